/** Webhook authentication: shared secret or HMAC signature of the raw body, compared in constant time. */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { WEBHOOK_CODES, type WebhookAuth } from "./types.js";
import type { HooklineCode } from "../errors/registry.js";

/**
 * Constant-time equality of two strings or byte arrays of ANY lengths: both sides are hashed to 32 bytes
 * first, so neither the content nor the length of the expected value leaks through timing, and unequal
 * lengths never throw (node's timingSafeEqual does).
 */
export function timingSafeEqualText(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  // the length check is on public data only: both digests are 32 bytes
  return timingSafeEqual(da, db) && byteLength(a) === byteLength(b);
}

function byteLength(v: string | Uint8Array): number {
  return typeof v === "string" ? Buffer.byteLength(v, "utf8") : v.byteLength;
}

export type AuthOutcome = { ok: true } | { ok: false; status: 401 | 403; code: HooklineCode; reason: string };

/**
 * What authentication can decide from the headers alone, before a byte of the body is read (so an
 * unauthenticated sender cannot make the server hold its body): the whole decision for `none`, a secret `slug`
 * (the route found it) and the shared `secret`, a refusal for an unset secret or a missing signature header; null when the HMAC of the body decides.
 * `headers` have lower-case names.
 */
export function authenticateHeaders(
  auth: WebhookAuth,
  headers: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): AuthOutcome | null {
  if (auth.kind === "none" || auth.kind === "slug") return { ok: true };
  const secret = env[auth.secretEnv];
  if (typeof secret !== "string" || secret === "") {
    // fail closed; the caller is not told which variable is missing (the server logs it at start)
    return {
      ok: false,
      status: 403,
      code: WEBHOOK_CODES.authUnset,
      reason: "this webhook requires authentication, but its secret is not configured on the server",
    };
  }
  if (auth.kind === "secret") {
    const given = headers["x-hookline-secret"] ?? bearer(headers["authorization"]);
    if (given === undefined || given === "") {
      return {
        ok: false,
        status: 401,
        code: WEBHOOK_CODES.authMissing,
        reason: "send the shared secret in X-Hookline-Secret or Authorization: Bearer",
      };
    }
    return timingSafeEqualText(given, secret)
      ? { ok: true }
      : { ok: false, status: 403, code: WEBHOOK_CODES.authWrong, reason: "the shared secret does not match" };
  }
  const given = headers[auth.header];
  if (given === undefined || given === "") {
    return {
      ok: false,
      status: 401,
      code: WEBHOOK_CODES.authMissing,
      reason: `send the ${auth.algorithm} HMAC of the body in ${auth.header}`,
    };
  }
  return null;
}

/** `headers` have lower-case names. */
export function authenticate(
  auth: WebhookAuth,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  env: Readonly<Record<string, string | undefined>>,
): AuthOutcome {
  const early = authenticateHeaders(auth, headers, env);
  if (early) return early;
  // authenticateHeaders decided every other kind, and that the secret and the header are there
  if (auth.kind !== "signature") throw new Error("unreachable: a header-only scheme was not decided");
  const secret = env[auth.secretEnv]!;
  const given = headers[auth.header]!;
  const expected = auth.prefix + createHmac(auth.algorithm, secret).update(body).digest("hex");
  // hex digits compare case-insensitively; the prefix as configured
  const normalized = given.startsWith(auth.prefix) ? auth.prefix + given.slice(auth.prefix.length).toLowerCase() : given;
  return timingSafeEqualText(normalized, expected)
    ? { ok: true }
    : { ok: false, status: 403, code: WEBHOOK_CODES.authWrong, reason: `the signature in ${auth.header} does not match the body` };
}

function bearer(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S.*?)[ \t]*$/i.exec(value);
  return m ? m[1] : undefined;
}
