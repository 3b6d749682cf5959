/**
 * Reads a request body up to `limit` bytes: the one body reader of the server (custom webhooks, the events API,
 * the GitHub App, the Slack bot). A declared Content-Length over the limit is refused before any byte is read; a
 * chunked body is refused as soon as it passes the limit; nothing beyond the limit is kept.
 *
 * A request the server governs (`governBody`, done for every request by the server's handler) also reserves its
 * bytes in the process's body budget (body-budget.ts) before they are kept: a declared Content-Length that does
 * not fit, or a client already reading its share of bodies, is refused ("busy", answered 503 + Retry-After)
 * before any byte is read; a chunked body that outgrows what is left is cut off the same way. The reservation is
 * held until the response is closed (the body is in memory until then) and released on every path: answered,
 * refused, errored, aborted by the client.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyBudget, BodyReservation } from "./body-budget.js";

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: "too-large" | "aborted" }
  | { ok: false; reason: "busy"; retryAfterSeconds: number };

const governed = new WeakMap<IncomingMessage, { budget: BodyBudget; res: ServerResponse }>();

/** Puts `req`'s body (if it is read at all) under `budget`; its reservation lasts until `res` closes. */
export function governBody(req: IncomingMessage, res: ServerResponse, budget: BodyBudget): void {
  governed.set(req, { budget, res });
}

/** The client a budget share belongs to: the peer's address (a reverse proxy is one client: see docs/security) */
export function clientOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

function declaredLength(req: IncomingMessage): number | null {
  const declared = req.headers["content-length"];
  return declared !== undefined && /^\d{1,15}$/.test(declared) ? Number(declared) : null;
}

export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit;
}

/** A reservation for `req`'s body, or the "busy" answer; null reservation: the request is not governed. */
function reserve(req: IncomingMessage, declared: number | null): { reservation: BodyReservation | null } | BodyResult {
  const g = governed.get(req);
  if (!g) return { reservation: null };
  const busy: BodyResult = { ok: false, reason: "busy", retryAfterSeconds: g.budget.limits.retryAfterSeconds };
  const reservation = g.budget.open(clientOf(req));
  if (!reservation) return busy;
  if (declared !== null && !reservation.grow(declared)) {
    reservation.release();
    return busy;
  }
  if (g.res.closed) reservation.release();
  else g.res.once("close", () => reservation.release());
  return { reservation };
}

export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (declaredTooLarge(req, limit)) return Promise.resolve({ ok: false, reason: "too-large" });
  const declared = declaredLength(req);
  const reserved = reserve(req, declared);
  if ("ok" in reserved) return Promise.resolve(reserved);
  const { reservation } = reserved;
  return new Promise((resolve) => {
    // a declared length is read into one buffer of that size: no chunk list, no second copy by concat
    const whole = declared !== null && declared > 0 ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (!r.ok) {
        req.pause();
        // what was kept is garbage now: give its share back at once rather than when the answer is sent
        reservation?.release();
      }
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return finish({ ok: false, reason: "too-large" });
      if (whole) {
        // node's parser never delivers more than the declared length; guard anyway
        if (size + chunk.length > whole.length) return finish({ ok: false, reason: "too-large" });
        chunk.copy(whole, size);
      } else {
        if (reservation && !reservation.grow(chunk.length)) return busy();
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    const busy = () => finish({ ok: false, reason: "busy", retryAfterSeconds: governed.get(req)!.budget.limits.retryAfterSeconds });
    const body = (): Buffer => (whole ? whole.subarray(0, size) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onEnd = () => finish({ ok: true, body: body() });
    const onError = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => finish(req.complete ? { ok: true, body: body() } : { ok: false, reason: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
