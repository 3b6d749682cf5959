/**
 * `GET /api/automations[?scope=]`: every scope's automations with live state. `POST
 * /api/automations/:name/pause|resume[?scope=server]` with an optional `{ "for": "30m" }`: records the pause
 * (and its hookline.automation.paused|resumed event) through the workers' pauseAutomation, then wakes them.
 */
import { parseDuration } from "../../../src/automations/index.js";
import { isoOf } from "../../../src/events/index.js";
import { pauseAutomation } from "../work/index.js";
import { API_ORIGIN } from "./events-route.js";
import { actorOf } from "../console/console-auth.js";
import { closeMatches, scopeStatus } from "./automation-status.js";
import type { PartsHandler } from "./context.js";
import { readJson } from "./json-body.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";

export const getAutomations: PartsHandler = async (ctx, parts) => {
  const wanted = ctx.url.searchParams.get("scope");
  const known = new Set(["server", ...(await parts.store.listScopes())]);
  if (wanted !== null && !known.has(wanted)) {
    return sendError(
      ctx.res,
      404,
      "HOOKLINE_SCOPE_NOT_FOUND",
      `no scope ${JSON.stringify(wanted.slice(0, 200))}: scopes are ${[...known].slice(0, 20).join(", ")}`,
    );
  }
  const scopes = wanted !== null ? [wanted] : [...known].sort((a, b) => (a === "server" ? -1 : b === "server" ? 1 : a.localeCompare(b)));
  const now = ctx.deps.now();
  const out = [];
  for (const scope of scopes) out.push(await scopeStatus(parts.store, parts.runtime, scope, now));
  sendJson(ctx.res, 200, { now: isoOf(now), scopes: out });
};

export const setPaused: PartsHandler = async (ctx, parts) => {
  const { name, verb } = ctx.params as { name: string; verb: string };
  if (verb !== "pause" && verb !== "resume") {
    return sendError(ctx.res, 404, "HOOKLINE_NOT_FOUND", `no endpoint ${ctx.url.pathname}: use /api/automations/<name>/pause or /resume`);
  }
  const scope = ctx.url.searchParams.get("scope") ?? "server";
  const body = await readJson(ctx, true);
  if (!body) return;
  let seconds: number | null = null;
  if (body.value !== undefined) {
    const v = body.value as Record<string, unknown> | null;
    if (typeof v !== "object" || v === null || Array.isArray(v) || Object.keys(v).some((k) => k !== "for")) {
      return sendError(
        ctx.res,
        400,
        "HOOKLINE_BAD_PAUSE",
        'the body is optional; when sent it must be { "for": "<duration>" }, e.g. { "for": "30m" }',
      );
    }
    if (v.for !== undefined) {
      if (verb === "resume") return sendError(ctx.res, 400, "HOOKLINE_BAD_PAUSE", '"for" applies to pause only');
      seconds = parseDuration(v.for);
      if (seconds === null || seconds <= 0)
        return sendError(
          ctx.res,
          400,
          "HOOKLINE_BAD_PAUSE",
          `"for" must be a positive duration like 30m, 2h or PT1H, got ${JSON.stringify(v.for)?.slice(0, 40)}`,
        );
    }
  }
  const config = await parts.runtime.configOf(scope);
  const names = config?.config.automations.map((a) => a.name) ?? [];
  if (!names.includes(name)) {
    const near = closeMatches(name, names);
    return sendError(
      ctx.res,
      404,
      "HOOKLINE_AUTOMATION_NOT_FOUND",
      `no automation ${JSON.stringify(name.slice(0, 200))} in scope ${scope}${near.length ? `; did you mean ${near.join(", ")}?` : ""}`,
      { matches: near },
    );
  }
  const now = ctx.deps.now();
  const until = seconds === null ? null : now + seconds * 1000;
  // the API token, or the console session that clicked (recorded like a Slack user's pause)
  const { by, actor } = actorOf(ctx.principal);
  await pauseAutomation(parts.store, {
    scope,
    automation: name,
    paused: verb === "pause",
    until,
    by,
    actor,
    origin: API_ORIGIN,
    now,
  });
  ctx.log.info({ scope, automation: name, paused: verb === "pause", until, by }, `automation ${verb}d`);
  parts.wake();
  sendJson(ctx.res, 200, { scope, automation: name, paused: verb === "pause", until: until === null ? null : isoOf(until), by });
};
