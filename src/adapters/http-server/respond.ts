/**
 * JSON answers with stable error codes: `{ "error": { "code", "message", "docs", ... } }` everywhere; `docs` is
 * the code's section of docs/errors.md (what happened, how to fix it).
 */
import type { ServerResponse } from "node:http";
import { docsOf, type HooklineCode } from "../../errors/index.js";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: HooklineCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  const docs = docsOf(code);
  sendJson(res, status, { error: { code, message, ...(docs === undefined ? {} : { docs }), ...extra } }, headers);
}

/** Answers and closes the connection: used when the client may still be sending a body we will not read. */
export function sendErrorAndClose(
  res: ServerResponse,
  status: number,
  code: HooklineCode,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendError(res, status, code, message, extra, { ...headers, connection: "close" });
  res.once("finish", () => lingeringClose(res));
}

/**
 * how long a refused upload may keep sending (discarded) after the answer, before the socket is destroyed:
 * nginx's lingering_timeout default. A client that has not read the answer when the reset comes loses it (its
 * kernel drops unread data on RST); 2 s lost answers to busy clients (seen in tests on a loaded machine).
 */
export const LINGER_MS = 5_000;

/**
 * Closes a connection whose request body is still arriving without making the client lose the answer:
 * closing at once makes the kernel reset the connection when more data arrives, and a reset can discard the
 * answer before the client has read it (nginx's "lingering close"). So: half-close (FIN after the answer), read
 * and discard what still comes, destroy when the client closes or after LINGER_MS.
 */
function lingeringClose(res: ServerResponse): void {
  const socket = res.req.socket;
  if (!socket || socket.destroyed) return;
  res.req.resume();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}

/**
 * 503 + Retry-After for a body the server has no room to read now (read-body.ts "busy"): nothing of it was
 * kept, the client may send it again after `retryAfterSeconds`.
 */
export function sendBusy(res: ServerResponse, retryAfterSeconds: number): void {
  sendErrorAndClose(
    res,
    503,
    "HOOKLINE_SERVER_BUSY",
    `the server is reading as many request bodies as it may hold at once: send this request again after ${retryAfterSeconds} s`,
    { retryAfterSeconds },
    { "retry-after": String(retryAfterSeconds) },
  );
}
