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
  { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" } | { ok: false; reason: "busy"; retryAfterSeconds: number };

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

/** An ArrayBuffer that can grow up to its maxByteLength in place and shrink, giving its pages back at once. */
type Resizable = ArrayBuffer & { readonly maxByteLength: number; resize(byteLength: number): void };
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => Resizable;

/**
 * A reservation for `req`'s body, or the "busy" answer; null reservation: the request is not governed.
 * `free` runs once the response is closed (with the release of the reservation).
 */
function reserve(req: IncomingMessage, declared: number | null, free: () => void): { reservation: BodyReservation | null } | BodyResult {
  const g = governed.get(req);
  if (!g) return { reservation: null };
  const busy: BodyResult = { ok: false, reason: "busy", retryAfterSeconds: g.budget.limits.retryAfterSeconds };
  const reservation = g.budget.open(clientOf(req));
  if (!reservation) return busy;
  if (declared !== null && !reservation.grow(declared)) {
    reservation.release();
    return busy;
  }
  const done = () => {
    reservation.release();
    free();
  };
  if (g.res.closed) done();
  else g.res.once("close", done);
  return { reservation };
}

/** bodies up to this size are kept as the chunks node hands over; larger ones in a resizable ArrayBuffer */
export const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * A large body (over SMALL_BODY_BYTES, declared or grown to it) is kept in one resizable ArrayBuffer that grows as
 * bytes arrive (to the declared length at once): no chunk list and no second copy by concat. When a governed
 * request's response is closed the buffer is shrunk to nothing, which hands its pages back to the system at once:
 * a plain Buffer's memory comes back only when a major GC collects it, and a server that goes idle after a burst
 * runs none for a long while (measured: RSS stayed ~85 MB above its baseline for 20 s after 100 refused 25 MB
 * uploads; see bench/server/hostile-load.mjs). A large body must not be used after the response is closed (it
 * reads as empty then): every reader parses or copies it before answering.
 * A small body (every GitHub delivery but the rare huge one, every event batch) is the chunks node hands over,
 * joined once: copying each chunk into a resizable buffer, shrinking it and decoding from it cost a 17 KB
 * delivery ~30 % of the server's CPU (bench/server: 459 -> 877 us per delivery), and young Buffers are collected
 * by the next minor GC anyway.
 * `onChunk` sees each chunk as it is kept (e.g. to hash a signed body as it arrives, rather than in one long
 * synchronous call over 25 MiB that stalls every other request).
 */
export function readBody(req: IncomingMessage, limit: number, onChunk?: (chunk: Buffer) => void): Promise<BodyResult> {
  if (declaredTooLarge(req, limit)) return Promise.resolve({ ok: false, reason: "too-large" });
  const declared = declaredLength(req);
  const max = Math.max(1, declared ?? limit);
  let store: Resizable | null = null;
  let chunks: Buffer[] = [];
  const release = () => {
    store?.resize(0);
    chunks = [];
  };
  const reserved = reserve(req, declared, release);
  if ("ok" in reserved) return Promise.resolve(reserved);
  const { reservation } = reserved;
  return new Promise((resolve) => {
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
        // what was kept is garbage now: give it back at once rather than when the answer is sent
        reservation?.release();
        release();
      }
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      const next = size + chunk.length;
      // node's parser never delivers more than a declared length; the check covers chunked bodies
      if (next > limit || next > max) return finish({ ok: false, reason: "too-large" });
      if (declared === null && reservation && !reservation.grow(chunk.length)) return busy();
      if (store === null && next > SMALL_BODY_BYTES) {
        // large: from here on in one resizable buffer, with what came so far
        store = new ResizableArrayBuffer(0, { maxByteLength: max });
        store.resize(size);
        let at = 0;
        for (const c of chunks) at += c.copy(new Uint8Array(store, at, c.length));
        chunks = [];
      }
      if (store === null) chunks.push(chunk);
      else {
        store.resize(next);
        chunk.copy(new Uint8Array(store, size, chunk.length));
      }
      size = next;
      onChunk?.(chunk);
    };
    const busy = () => finish({ ok: false, reason: "busy", retryAfterSeconds: governed.get(req)!.budget.limits.retryAfterSeconds });
    const body = (): Buffer =>
      store !== null ? Buffer.from(store, 0, size) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    const onEnd = () => finish({ ok: true, body: body() });
    const onError = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => finish(req.complete ? { ok: true, body: body() } : { ok: false, reason: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
