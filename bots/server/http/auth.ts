/**
 * /api authorization: `Authorization: Bearer <HOOKLINE_API_TOKEN>` (compared in constant time), or, when no
 * token is configured, requests from this machine only (loopback addresses).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export type AuthFailure = { status: 401 | 403; code: string; message: string };

const digest = (s: string) => createHash("sha256").update(s).digest();

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

export function authorizeApi(req: IncomingMessage, token: string | null): AuthFailure | null {
  if (token === null) {
    if (isLoopback(req.socket.remoteAddress)) return null;
    return {
      status: 403,
      code: "HOOKLINE_API_LOOPBACK_ONLY",
      message:
        "the events API accepts requests from this machine only: set HOOKLINE_API_TOKEN on the server and send it as `Authorization: Bearer <token>`",
    };
  }
  const header = req.headers.authorization;
  const m = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m)
    return {
      status: 401,
      code: "HOOKLINE_API_UNAUTHORIZED",
      message: "send the API token as `Authorization: Bearer <HOOKLINE_API_TOKEN>`",
    };
  if (!timingSafeEqual(digest(m[1]!), digest(token)))
    return { status: 401, code: "HOOKLINE_API_BAD_TOKEN", message: "the bearer token is not the server's HOOKLINE_API_TOKEN" };
  return null;
}
