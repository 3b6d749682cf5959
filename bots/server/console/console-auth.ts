/**
 * Who is calling /api: a script with `Authorization: Bearer <token>` (unchanged), or the console with its session
 * cookie. A cookie request that changes state (anything but GET/HEAD) must also carry the session's CSRF token
 * in `X-Hookline-CSRF`: a page on another origin can make the browser send the cookie (SameSite=Strict already
 * stops most of that) but can never read the token. Bearer requests need no CSRF token: browsers never attach
 * them on their own.
 */
import type { IncomingMessage } from "node:http";
import type { Resource } from "../../../src/events/index.js";
import { authorizeApi, type AuthFailure } from "../http/auth.js";
import { CSRF_HEADER, sameSecret, sessionCookieOf, type Session, type Sessions } from "./sessions.js";
import type { HooklineCode } from "../../../src/errors/index.js";

export type Principal = { kind: "token" } | { kind: "session"; session: Session };

export type ApiAuthFailure = { status: 401 | 403; code: HooklineCode; message: string };

const SAFE_METHODS = new Set(["GET", "HEAD"]);

export function authorizeRequest(
  req: IncomingMessage,
  token: string,
  sessions: Sessions,
  now: number,
): { principal: Principal } | { denied: AuthFailure | ApiAuthFailure } {
  const cookie = sessionCookieOf(req.headers.cookie);
  if (req.headers.authorization !== undefined || cookie === null) {
    const denied = authorizeApi(req, token);
    return denied ? { denied } : { principal: { kind: "token" } };
  }
  const session = sessions.get(cookie, now);
  if (!session)
    return {
      denied: {
        status: 401,
        code: "HOOKLINE_SESSION_EXPIRED",
        message: "the console session has ended (signed out, expired or the server restarted): sign in again with the API token",
      },
    };
  if (!SAFE_METHODS.has(req.method ?? "GET")) {
    const given = req.headers[CSRF_HEADER];
    if (typeof given !== "string" || !sameSecret(given, session.csrf))
      return {
        denied: {
          status: 403,
          code: "HOOKLINE_CSRF_REQUIRED",
          message: `a write with the session cookie needs the session's CSRF token in ${CSRF_HEADER} (GET /api/session gives it)`,
        },
      };
  }
  return { principal: { kind: "session", session } };
}

/** the actor recorded on what a caller changes (pause, resume, redeliver): the API token, or one console session */
export function actorOf(p: Principal | undefined): { by: string; actor: Resource } {
  if (p?.kind === "session")
    return {
      by: `console:${p.session.label}`,
      actor: { "prefect.resource.id": `hookline.console.session.${p.session.label}`, "prefect.resource.name": "console session" },
    };
  return { by: "api", actor: { "prefect.resource.id": "hookline.api.token" } };
}
