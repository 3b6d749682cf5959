/**
 * `GET /api/deliveries/:id`: one delivery (as in the log) with its recorded attempts, newest first: when each
 * started and finished, how long it took, its outcome and error, and the calls it made (request: method, URL,
 * headers; response: status, a few headers, the first bytes of the body). The worker masked them when it recorded
 * them; they are masked again here (the same rules, src/executors/masking.ts), so a row written by an older
 * build or by hand shows no secret either.
 */
import { isoOf } from "../../../src/events/index.js";
import { BODY_PREVIEW, maskHeaders, maskText, maskUrl } from "../../../src/executors/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import type { AttemptRecord } from "../../../src/store/server-types.js";
import type { PartsHandler } from "../http/context.js";
import { deliveryView } from "./console-routes.js";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const headers = (v: unknown) => maskHeaders(Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, str(x)])));
const errorView = (v: unknown) =>
  v === null || v === undefined
    ? null
    : { code: maskText(str(obj(v).code), undefined, 100), reason: maskText(str(obj(v).reason), undefined, 2000) };

function callView(c: unknown) {
  const req = obj(obj(c).request);
  const res = obj(c).response === null ? null : obj(obj(c).response);
  return {
    request: {
      method: str(req.method).slice(0, 10),
      url: maskUrl(str(req.url)),
      headers: headers(req.headers),
      body_bytes: num(req.body_bytes),
    },
    response: res && {
      status: num(res.status),
      headers: headers(res.headers),
      // the recorded preview is already cut; the margin keeps its "… (N chars)" note
      body: maskText(str(res.body), undefined, BODY_PREVIEW + 40),
      body_bytes: num(res.body_bytes),
    },
    error: errorView(obj(c).error),
  };
}

export function attemptView(a: AttemptRecord) {
  return {
    attempt: a.attempt,
    started: isoOf(a.startedAt),
    finished: isoOf(a.finishedAt),
    duration_ms: a.durationMs,
    outcome: a.outcome,
    error: errorView(a.error),
    calls: a.calls.slice(0, 10).map(callView),
  };
}

export const getDelivery: PartsHandler = async (ctx, parts) => {
  const id = ctx.params.id!;
  const now = ctx.deps.now();
  const d = await parts.console.getDelivery(id, now);
  if (!d) return sendError(ctx.res, 404, "HOOKLINE_DELIVERY_NOT_FOUND", `no delivery ${JSON.stringify(id.slice(0, 200))}`);
  const attempts = await parts.console.getAttempts(id);
  sendJson(ctx.res, 200, { delivery: deliveryView(d), attempts: attempts.map(attemptView) });
};
