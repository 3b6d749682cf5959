/**
 * The gate in front of Bolt for HTTP mode. Bolt's own check (`verifySlackRequest`, used here too) refuses a
 * bad signature and a timestamp more than 5 minutes in the PAST, but accepts any timestamp in the future and
 * the same signed request any number of times within the window. This gate refuses, with 401 and nothing
 * processed:
 * - unsigned requests (no `x-slack-signature` / `x-slack-request-timestamp`, or repeated headers),
 * - timestamps more than 5 minutes away from now, in either direction,
 * - a signature that does not match the body (a changed byte, another secret),
 * - a replay: a signature already accepted within the last 10 minutes (per process: instances behind a load
 *   balancer each keep their own memory; the 5-minute window bounds what a replay elsewhere can do).
 * Bodies over `bodyLimit` get 413. Everything the headers decide (signed at all, the timestamp's window) is
 * decided before the body is read; an unsigned body is read only up to SSL_CHECK_LIMIT (Slack's unsigned
 * `ssl_check`). The body is read by the server's one reader (read-body.ts), within its body budget when the
 * server governs the request (503 + Retry-After when full), and handed to Bolt as a BufferedIncomingMessage.
 */
import type { IncomingMessage } from "node:http";
import { verifySlackRequest } from "@slack/bolt";
import { readBody } from "../../src/adapters/http-server/read-body.js";

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** an unsigned request can only be Slack's ssl_check (a short form): nothing longer is read */
export const SSL_CHECK_LIMIT = 4 * 1024;
const REPLAY_MEMORY_MS = 2 * SIGNATURE_WINDOW_SECONDS * 1000;
const MAX_REMEMBERED = 100_000;

export type GuardResult =
  | { ok: true; sslCheck: boolean }
  | { ok: false; status: 401 | 413; reason: string }
  | { ok: false; status: 503; reason: string; retryAfterSeconds: number };

export interface GuardOptions {
  signingSecret: string;
  now(): number;
  bodyLimit?: number;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
}

/** The timestamp's refusal (401 reason), or null when it is a Unix time within the window of `nowMs`. */
function stampRefusal(stamp: string, nowMs: number): string | null {
  if (!/^\d{1,12}$/.test(stamp)) return "x-slack-request-timestamp is not a Unix time";
  const skew = Number(stamp) - Math.floor(nowMs / 1000);
  if (Math.abs(skew) <= SIGNATURE_WINDOW_SECONDS) return null;
  return skew < 0
    ? `stale: signed ${-skew}s ago (over ${SIGNATURE_WINDOW_SECONDS}s)`
    : `from the future: signed ${skew}s ahead (over ${SIGNATURE_WINDOW_SECONDS}s)`;
}

export function createRequestGuard(opts: GuardOptions): (req: IncomingMessage) => Promise<GuardResult> {
  const seen = new Map<string, number>();
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;

  function remember(signature: string, now: number): boolean {
    if (seen.size >= MAX_REMEMBERED) {
      for (const [k, exp] of seen) if (exp <= now) seen.delete(k);
      // still full: every entry is live; forget the oldest half rather than grow without bound
      if (seen.size >= MAX_REMEMBERED) for (const k of [...seen.keys()].slice(0, MAX_REMEMBERED / 2)) seen.delete(k);
    }
    const exp = seen.get(signature);
    if (exp !== undefined && exp > now) return false;
    seen.set(signature, now + REPLAY_MEMORY_MS);
    return true;
  }

  return async (req) => {
    const signature = header(req, "x-slack-signature");
    const stamp = header(req, "x-slack-request-timestamp");
    const signed = signature !== undefined && stamp !== undefined;
    const unsigned: GuardResult = { ok: false, status: 401, reason: "unsigned: x-slack-signature or x-slack-request-timestamp missing" };
    const now = opts.now();
    if (signed) {
      const refusal = stampRefusal(stamp, now);
      if (refusal) return { ok: false, status: 401, reason: refusal };
    }
    const read = await readBody(req, signed ? limit : SSL_CHECK_LIMIT);
    if (!read.ok) {
      if (read.reason === "busy")
        return { ok: false, status: 503, reason: "the server's body budget is full", retryAfterSeconds: read.retryAfterSeconds };
      if (read.reason === "too-large") return signed ? { ok: false, status: 413, reason: `body over ${limit} bytes` } : unsigned;
      return { ok: false, status: 401, reason: "the request was aborted before its body arrived" };
    }
    const body = read.body;
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    const text = body.toString("utf8");
    if (/^application\/x-www-form-urlencoded\b/.test(header(req, "content-type") ?? "")) {
      const form = new URLSearchParams(text);
      // Slack's SSL check is not signed; it carries nothing to act on
      if (form.get("ssl_check") === "1") return { ok: true, sslCheck: true };
    }
    if (!signed) return unsigned;
    try {
      verifySlackRequest({
        signingSecret: opts.signingSecret,
        body: text,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(stamp) },
        nowMilliseconds: now,
      });
    } catch {
      return { ok: false, status: 401, reason: "signature mismatch" };
    }
    if (!remember(signature, now)) return { ok: false, status: 401, reason: "replayed: this signed request was already received" };
    return { ok: true, sslCheck: false };
  };
}
