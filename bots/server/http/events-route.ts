/**
 * The events API. `POST /api/events`: one event, or `{ "events": [...] }` (at most 500), all or nothing:
 * every event is validated first and a bad one refuses the whole request (400 listing the bad indices);
 * 202 `{ inserted, duplicates }` after the batch is stored. `GET /api/events`: filters `name` (glob),
 * `resource`, `related`, `since`/`until` (ISO, on `occurred`), `limit` (1..500, default 100), `after` (cursor), `order` (asc, the default, or desc: newest first).
 */
import { callerEventProblem, isoOf, validateEvent, type HooklineEvent, type Origin } from "../../../src/events/index.js";
import type { EventQuery } from "../../../src/store/server-types.js";
import type { PartsHandler } from "./context.js";
import { FILTER_PARAMS, parseEventFilter } from "./event-query.js";
import { readJson } from "./json-body.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";

export const MAX_BATCH = 500;

/**
 * The events API's token (one token today: HOOKLINE_API_TOKEN or the one created on first start). Its holder is
 * the operator, so ids are stored as given (Prefect's contract: the id you post is the id you list); the
 * untrusted sources (webhooks, repository_dispatch payloads) have their ids namespaced instead.
 */
export const API_ORIGIN: Origin = { kind: "api", name: "default" };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const postEvents: PartsHandler = async (ctx, parts) => {
  const body = await readJson(ctx);
  if (!body) return;
  const { value } = body;
  const batch = isObject(value) && Object.hasOwn(value, "events") ? value.events : null;
  if (batch !== null && !Array.isArray(batch)) return sendError(ctx.res, 400, "HOOKLINE_BAD_BATCH", "`events` must be a list of events");
  const inputs: unknown[] = batch ?? [value];
  if (inputs.length === 0) return sendError(ctx.res, 400, "HOOKLINE_BAD_BATCH", "`events` is empty: send at least one event");
  if (inputs.length > MAX_BATCH)
    return sendError(
      ctx.res,
      400,
      "HOOKLINE_BATCH_TOO_LARGE",
      `${inputs.length} events in one request: send at most ${MAX_BATCH} per request`,
    );
  const events: HooklineEvent[] = [];
  const invalid: { index: number; errors: string[] }[] = [];
  inputs.forEach((input, index) => {
    const r = isObject(input) ? validateEvent(input) : { ok: false as const, errors: ["an event must be a JSON object"] };
    const problem = r.ok ? callerEventProblem(r.event) : undefined;
    if (r.ok && problem === undefined) events.push(r.event);
    else invalid.push({ index, errors: r.ok ? [problem!] : r.errors.slice(0, 10) });
  });
  if (invalid.length > 0) {
    return sendError(
      ctx.res,
      400,
      "HOOKLINE_INVALID_EVENTS",
      `${invalid.length} of ${inputs.length} events are invalid (indices ${invalid
        .slice(0, 20)
        .map((i) => i.index)
        .join(", ")}); nothing was stored`,
      { invalid: invalid.slice(0, 100) },
    );
  }
  const result = await parts.ingest(
    events.map((event) => ({ event, scopes: ["server"], origin: API_ORIGIN })),
    "api",
    { requestId: ctx.requestId, eventIds: events.map((e) => e.id) },
  );
  sendJson(ctx.res, 202, { inserted: result.inserted, duplicates: result.duplicates });
};

function bad(ctx: Parameters<PartsHandler>[0], message: string): void {
  sendError(ctx.res, 400, "HOOKLINE_BAD_QUERY", message);
}

export const getEvents: PartsHandler = async (ctx, parts) => {
  const q = ctx.url.searchParams;
  const parsed = parseEventFilter(q, [...FILTER_PARAMS, "limit", "after", "order"]);
  if ("error" in parsed) return bad(ctx, parsed.error);
  const query: EventQuery = { limit: 100, ...parsed.filter };
  const order = q.get("order");
  if (order !== null && order !== "") {
    if (order !== "asc" && order !== "desc") return bad(ctx, "order must be asc (oldest first, the default) or desc (newest first)");
    query.order = order;
  }
  const limit = q.get("limit");
  if (limit !== null) {
    if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 500) return bad(ctx, "limit must be a number from 1 to 500");
    query.limit = Number(limit);
  }
  const after = q.get("after");
  if (after !== null && after !== "") query.after = after;
  await sendEventPage(ctx, parts, query);
};

/** one page of stored events as the API answers it: `{ events, next }` (a bad cursor is 400) */
export async function sendEventPage(ctx: Parameters<PartsHandler>[0], parts: Parameters<PartsHandler>[1], query: EventQuery) {
  let page: Awaited<ReturnType<typeof parts.store.listEvents>>;
  try {
    page = await parts.store.listEvents(query);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("HOOKLINE_")) return bad(ctx, (err as Error).message);
    throw err;
  }
  sendJson(ctx.res, 200, { events: page.events.map((s) => ({ ...s.event, received: isoOf(s.received) })), next: page.next });
}
