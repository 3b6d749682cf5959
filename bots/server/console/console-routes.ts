/**
 * The /api endpoints the console added (issue 16), usable with the bearer token like every other /api endpoint:
 * - `GET /api/events/stream`: the live feed (event-stream.ts), filters as `GET /api/events`.
 * - `GET /api/events/:id`: the event, its related resources, and what it caused: firings whose triggering event
 *   it is, with their actions' deliveries.
 * - `GET /api/resources/:id/events`: a resource's timeline (events whose primary resource it is), newest first.
 * - `GET /api/deliveries`: the outbox as a log (`state`, `scope`, `automation`, `limit`, `before` cursor).
 * - `GET /api/deliveries/:id`: one delivery with its attempts (delivery-route.ts).
 * - `POST /api/deliveries/:id/redeliver`: one more attempt of a failed or dead action, recorded as
 *   `hookline.action.redelivered` with the actor.
 */
import { isoOf, uuidv5, validateEvent, type HooklineEvent } from "../../../src/events/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import { scopesOfProduced } from "../../../src/scopes/routing.js";
import { DELIVERY_STATES, type Delivery, type DeliveryQuery, type DeliveryState } from "../../../src/store/sql/console-queries.js";
import type { Handler, PartsHandler, RequestContext } from "../http/context.js";
import { FILTER_PARAMS, parseEventFilter } from "../http/event-query.js";
import { API_ORIGIN, sendEventPage } from "../http/events-route.js";
import { actorOf } from "./console-auth.js";
import { maskSecrets, maskText } from "../../../src/executors/index.js";

const bad = (ctx: RequestContext, message: string) => sendError(ctx.res, 400, "HOOKLINE_BAD_QUERY", message);

function limitOf(ctx: RequestContext, fallback: number): number | null {
  const v = ctx.url.searchParams.get("limit");
  if (v === null || v === "") return fallback;
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 500) {
    bad(ctx, "limit must be a number from 1 to 500");
    return null;
  }
  return Number(v);
}

export const streamEvents: Handler = (ctx) => {
  const parsed = parseEventFilter(ctx.url.searchParams, [...FILTER_PARAMS, "view"]);
  if ("error" in parsed) return bad(ctx, parsed.error);
  const view = ctx.url.searchParams.get("view") ?? "full";
  if (view !== "full" && view !== "summary") return bad(ctx, `view must be "full" or "summary" (got ${JSON.stringify(view.slice(0, 40))})`);
  // EventSource sends the last id it saw when it reconnects: the feed resumes after it (bounded)
  const last = ctx.req.headers["last-event-id"];
  const feed = ctx.deps.console.streams.open(ctx.res, parsed.filter, typeof last === "string" ? last.trim() : undefined, view);
  if (feed && ctx.principal?.kind === "session") {
    const { onEnd } = ctx.principal.session;
    const close = () => feed.close();
    onEnd.add(close);
    ctx.res.once("close", () => onEnd.delete(close));
  }
};

export const getEvent: PartsHandler = async (ctx, parts) => {
  const id = ctx.params.id!;
  const stored = await parts.console.getEvent(id);
  if (!stored) return sendError(ctx.res, 404, "HOOKLINE_EVENT_NOT_FOUND", `no stored event ${JSON.stringify(id.slice(0, 200))}`);
  const e = stored.event;
  const caused = await parts.console.causedBy(e.id, Date.parse(e.occurred), ctx.deps.now());
  sendJson(ctx.res, 200, {
    event: { ...e, received: isoOf(stored.received) },
    related: e.related,
    caused: caused.map((c) => ({
      scope: c.scope,
      firing: { id: c.firing.id, automation: c.firing.automation, state: c.firing.state, at: c.firing.at, labels: c.firing.labels },
      deliveries: c.deliveries.map(deliveryView),
    })),
  });
};

export const getResourceEvents: PartsHandler = async (ctx, parts) => {
  const parsed = parseEventFilter(ctx.url.searchParams, ["name", "since", "until", "limit", "after"]);
  if ("error" in parsed) return bad(ctx, parsed.error);
  const limit = limitOf(ctx, 100);
  if (limit === null) return;
  const after = ctx.url.searchParams.get("after");
  await sendEventPage(ctx, parts, {
    ...parsed.filter,
    // everything that happened to it: as the primary resource or as a related one
    touching: ctx.params.id!,
    order: "desc",
    limit,
    ...(after ? { after } : {}),
  });
};

export function deliveryView(d: Delivery) {
  const inv = d.invocation;
  return {
    id: d.id,
    scope: d.scope,
    state: d.state,
    automation: inv.automation?.name ?? null,
    action: { index: inv.index, type: inv.action?.type ?? null },
    // which run it was for: the firing's key and the event that triggered it (a link in the log)
    firing: inv.firing
      ? {
          id: inv.firing.id,
          state: inv.firing.state,
          at: inv.firing.at,
          labels: inv.firing.labels ?? {},
          triggering_event: inv.firing.triggering_event?.id ?? null,
        }
      : null,
    attempts: d.attempts,
    max_attempts: d.maxAttempts,
    created: isoOf(d.createdAt),
    updated: isoOf(d.updatedAt),
    next_attempt: d.state === "pending" || d.state === "failed" ? isoOf(d.nextAttemptAt) : null,
    // masked when recorded since the attempts log; again here for rows an older build wrote
    last_error: d.lastError && { code: d.lastError.code, reason: maskText(String(d.lastError.reason ?? ""), undefined, 2000) },
    request: inv.action
      ? maskSecrets({ type: inv.action.type, params: inv.action.params, timeout: inv.action.timeout, max_retries: inv.action.max_retries })
      : null,
    response: maskSecrets(d.result ?? null),
    redeliverable: d.state === "failed" || d.state === "dead",
  };
}

export const getDeliveries: PartsHandler = async (ctx, parts) => {
  const q = ctx.url.searchParams;
  const allowed = ["state", "scope", "automation", "limit", "before"];
  for (const key of q.keys())
    if (!allowed.includes(key)) return bad(ctx, `unknown parameter ${JSON.stringify(key.slice(0, 40))}: use ${allowed.join(", ")}`);
  const limit = limitOf(ctx, 50);
  if (limit === null) return;
  const query: DeliveryQuery = { limit };
  const state = q.get("state");
  if (state !== null && state !== "") {
    if (!DELIVERY_STATES.includes(state as DeliveryState)) return bad(ctx, `state must be one of ${DELIVERY_STATES.join(", ")}`);
    query.state = state as DeliveryState;
  }
  for (const key of ["scope", "automation", "before"] as const) {
    const v = q.get(key);
    if (v !== null && v !== "") query[key] = v.slice(0, 1200);
  }
  let page;
  try {
    page = await parts.console.listDeliveries(query, ctx.deps.now());
  } catch (err) {
    if ((err as { code?: string }).code === "HOOKLINE_STORE_BAD_CURSOR") return bad(ctx, (err as Error).message);
    throw err;
  }
  sendJson(ctx.res, 200, { deliveries: page.deliveries.map(deliveryView), next: page.next });
};

function redeliveredEvent(d: Delivery, who: ReturnType<typeof actorOf>, now: number): HooklineEvent {
  const checked = validateEvent({
    // the same click twice (before the attempt ran) is one event: ingest drops the second as a duplicate
    id: uuidv5(`redeliver\n${d.id}\n${d.attempts}\n${who.by}`),
    occurred: isoOf(now),
    event: "hookline.action.redelivered",
    resource: {
      "prefect.resource.id": `hookline.action.${d.id}`,
      "hookline.scope": d.scope,
      "hookline.automation": d.invocation.automation?.name ?? "",
    },
    related: [{ ...who.actor, "prefect.resource.role": "actor" }],
    payload: { delivery: d.id, scope: d.scope, attempts_before: d.attempts, by: who.by },
  });
  if (!checked.ok) throw new Error(`redelivered event invalid: ${checked.errors.join("; ")}`);
  return checked.event;
}

export const postRedeliver: PartsHandler = async (ctx, parts) => {
  const id = ctx.params.id!;
  const now = ctx.deps.now();
  const who = actorOf(ctx.principal);
  const done = await parts.console.redeliver(id, now, (d) => ({
    event: redeliveredEvent(d, who, now),
    scopes: scopesOfProduced(d.scope, "action"),
    origin: API_ORIGIN,
  }));
  if (!done) {
    const current = await parts.console.getDelivery(id, now);
    if (!current) return sendError(ctx.res, 404, "HOOKLINE_DELIVERY_NOT_FOUND", `no delivery ${JSON.stringify(id.slice(0, 200))}`);
    return sendError(
      ctx.res,
      409,
      "HOOKLINE_NOT_REDELIVERABLE",
      `delivery ${id.slice(0, 200)} is ${current.state}: only a failed or dead delivery can be redelivered (a redelivery already queued is pending until it runs)`,
      { state: current.state },
    );
  }
  ctx.log.info({ delivery: id, by: who.by }, "delivery redelivered");
  parts.wake();
  sendJson(ctx.res, 202, { delivery: deliveryView(done) });
};
