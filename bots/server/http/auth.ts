/**
 * /api and /metrics authorization: `Authorization: Bearer <token>`, compared in constant time. No client is trusted
 * for its address: a repository's call-webhook to 127.0.0.1 arrives from loopback like the operator's curl.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { HooklineCode } from "../../../src/errors/index.js";

export type AuthFailure = { status: 401; code: HooklineCode; message: string };

const digest = (s: string) => createHash("sha256").update(s).digest();

export function authorizeApi(req: IncomingMessage, token: string): AuthFailure | null {
  const header = req.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m)
    return {
      status: 401,
      code: "HOOKLINE_API_UNAUTHORIZED",
      message:
        "send the API token as `Authorization: Bearer <token>` (HOOKLINE_API_TOKEN, or the file .hookline/api-token the server created)",
    };
  if (!timingSafeEqual(digest(m[1]!), digest(token)))
    return { status: 401, code: "HOOKLINE_API_BAD_TOKEN", message: "the bearer token is not the server's API token" };
  return null;
}
