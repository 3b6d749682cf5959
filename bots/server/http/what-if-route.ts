/**
 * What-if backtests over stored events (issue 16 item 5, docs/what-if.md "API"). `POST /api/what-if` with
 * `{ scope, since, until, automations }`: the automations YAML is checked (problems at line:col; with an error
 * nothing is replayed), then the scope's stored events in [since, until) are replayed off the event loop through
 * the live configuration of the scope and through the proposed one, and compared. `POST /api/what-if/validate`
 * with `{ automations }`: the check alone, cheap enough for every keystroke. The body, the range and the number
 * of events are bounded; a busy server answers 503 with Retry-After.
 */
import { loadAutomations, type AutomationsConfig, type Problem } from "../../../src/automations/index.js";
import { isoOf, parseIsoTime } from "../../../src/events/index.js";
import { WhatIfError } from "../../../src/adapters/what-if/what-if-runner.js";
import type { ReplayRoutes } from "../../../src/scopes/replay-scope.js";
import { SERVER_SCOPE } from "../../../src/scopes/routing.js";
import { publicSlug, type WebhookDef } from "../../../src/webhooks/index.js";
import type { DatabaseSource } from "../../../src/database/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import type { PartsHandler, RequestContext, ServerParts } from "./context.js";
import { readJson } from "./json-body.js";
import type { HooklineCode } from "../../../src/errors/index.js";

/** the largest body: an automations file may be 1 MiB (as in the PR check) plus the other fields */
export const WHAT_IF_BODY_LIMIT = 1024 * 1024 + 4096;
/** the longest range one replay covers */
export const WHAT_IF_MAX_SPAN_DAYS = 31;
/** the name problems are reported under */
const FILE = "automations.yaml";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function bad(ctx: RequestContext, code: HooklineCode, message: string): void {
  sendError(ctx.res, 400, code, message);
}

const problemOut = (p: Problem) => ({
  code: p.code,
  message: p.message,
  line: p.line,
  col: p.col,
  severity: p.severity,
  ...(p.hint ? { hint: p.hint } : {}),
});

/** The YAML checked; null after an error answer. */
function check(ctx: RequestContext, body: Json): { config: AutomationsConfig | null; problems: ReturnType<typeof problemOut>[] } | null {
  if (typeof body.automations !== "string") {
    bad(ctx, "HOOKLINE_WHAT_IF_BAD_REQUEST", '"automations" must be the automations YAML as a string');
    return null;
  }
  const loaded = loadAutomations(body.automations, FILE);
  return { config: loaded.config, problems: loaded.problems.map(problemOut) };
}

async function body(ctx: RequestContext): Promise<Json | null> {
  const read = await readJson(ctx, false, WHAT_IF_BODY_LIMIT);
  if (!read) return null;
  if (!isObject(read.value)) {
    bad(
      ctx,
      "HOOKLINE_WHAT_IF_BAD_REQUEST",
      'send a JSON object: { "scope": "server", "since": ISO, "until": ISO, "automations": "<YAML>" }',
    );
    return null;
  }
  return read.value;
}

export const postWhatIfValidate: PartsHandler = async (ctx) => {
  const b = await body(ctx);
  if (!b) return;
  const checked = check(ctx, b);
  if (!checked) return;
  sendJson(ctx.res, 200, { valid: checked.config !== null, problems: checked.problems });
};

/** The scopes of the events a webhook or database source stored, as the server routes them now. */
export function replayRoutesOf(webhooks: ReadonlyMap<string, WebhookDef>, sources: readonly DatabaseSource[]): ReplayRoutes {
  return {
    webhooks: new Map([...webhooks.values()].map((def) => [publicSlug(def), [...def.scopes]])),
    databases: new Map(
      sources.map((s) => [
        s.name,
        { scopes: [...s.scopes], tables: s.tables.map((t) => ({ schema: t.schema, table: t.table, scopes: [...t.scopes] })) },
      ]),
    ),
  };
}

async function knownScope(parts: ServerParts, scope: string): Promise<boolean> {
  return scope === SERVER_SCOPE || (await parts.store.listScopes()).includes(scope) || (await parts.runtime.configOf(scope)) !== null;
}

export const postWhatIf: PartsHandler = async (ctx, parts) => {
  const b = await body(ctx);
  if (!b) return;
  const runner = parts.whatIf;
  const unknown = Object.keys(b).filter((k) => !["scope", "since", "until", "automations"].includes(k));
  if (unknown.length)
    return bad(
      ctx,
      "HOOKLINE_WHAT_IF_BAD_REQUEST",
      `unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}: send scope, since, until, automations`,
    );
  if (typeof b.scope !== "string" || b.scope === "" || b.scope.length > 300)
    return bad(ctx, "HOOKLINE_WHAT_IF_BAD_REQUEST", '"scope" must name a scope: "server" or "repo:<owner>/<name>"');
  const times: number[] = [];
  for (const key of ["since", "until"] as const) {
    const ms = typeof b[key] === "string" ? parseIsoTime(b[key]) : Number.NaN;
    if (Number.isNaN(ms)) return bad(ctx, "HOOKLINE_WHAT_IF_BAD_RANGE", `"${key}" must be an ISO-8601 time, e.g. 2026-01-01T00:00:00Z`);
    times.push(ms);
  }
  const [sinceMs, untilMs] = times as [number, number];
  if (untilMs <= sinceMs) return bad(ctx, "HOOKLINE_WHAT_IF_BAD_RANGE", '"until" must be later than "since"');
  if (untilMs - sinceMs > WHAT_IF_MAX_SPAN_DAYS * 86_400_000)
    return bad(
      ctx,
      "HOOKLINE_WHAT_IF_RANGE_TOO_LONG",
      `the range is ${Math.ceil((untilMs - sinceMs) / 86_400_000)} days: replay at most ${WHAT_IF_MAX_SPAN_DAYS} days at once`,
    );
  const checked = check(ctx, b);
  if (!checked) return;
  if (!(await knownScope(parts, b.scope)))
    return sendError(
      ctx.res,
      404,
      "HOOKLINE_SCOPE_NOT_FOUND",
      `no scope ${JSON.stringify(b.scope.slice(0, 200))}: see GET /api/automations for the scopes`,
    );
  const base = { scope: b.scope, since: isoOf(sinceMs), until: isoOf(untilMs), problems: checked.problems };
  if (checked.config === null)
    return sendJson(ctx.res, 200, { ...base, replayed: false, events: 0, truncated: false, live: null, proposed: null, diff: [] });
  const live = (await parts.runtime.configOf(b.scope))?.config ?? null;
  try {
    const r = await runner.run({ scope: b.scope, sinceMs, untilMs, live, proposed: checked.config, routes: parts.replayRoutes });
    ctx.note({ whatIf: { scope: b.scope, events: r.events, truncated: r.truncated } });
    sendJson(ctx.res, 200, {
      ...base,
      replayed: true,
      events: r.events,
      scanned: r.scanned,
      truncated: r.truncated,
      ...(r.truncated ? { max_events: runner.limits.maxEvents } : {}),
      replayed_until: r.replayed_until,
      live: r.live,
      proposed: r.proposed,
      diff: r.diff,
    });
  } catch (err) {
    if (!(err instanceof WhatIfError)) throw err;
    if (err.code === "HOOKLINE_WHAT_IF_BUSY" || err.code === "HOOKLINE_WHAT_IF_CLOSED")
      return sendError(ctx.res, 503, err.code, err.message, {}, { "retry-after": String(err.retryAfterSeconds ?? 5) });
    if (err.code === "HOOKLINE_WHAT_IF_TIMEOUT") return sendError(ctx.res, 504, err.code, err.message);
    ctx.log.error({ err }, "what-if replay failed");
    return sendError(ctx.res, 500, err.code, err.message);
  }
};
