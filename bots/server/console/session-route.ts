/**
 * `/api/session`, the console's sign-in (public: it is how a browser gets in).
 * - `POST { "token": "<API token>" }`: 201, sets the session cookie, answers `{ csrf, expires, actor }`;
 *   a wrong token is 401 HOOKLINE_SIGN_IN_FAILED, and after a few from one address 429 with Retry-After.
 * - `GET`: `{ signed_in: true, csrf, expires, actor }` for a live session cookie, else `{ signed_in: false }`.
 * - `DELETE` (cookie + CSRF header): ends the session (its live feeds close) and clears the cookie: 204.
 * The cookie is HttpOnly, SameSite=Strict, Path=/, with Max-Age; Secure when the request came over https
 * (directly, or `X-Forwarded-Proto: https` from a proxy).
 */
import type { IncomingMessage } from "node:http";
import { isoOf } from "../../../src/events/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import type { Handler } from "../http/context.js";
import { readJson } from "../http/json-body.js";
import { actorOf, authorizeRequest } from "./console-auth.js";
import { SESSION_COOKIE, sameSecret, sessionCookieOf, type Session } from "./sessions.js";

function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return (req.socket as { encrypted?: boolean }).encrypted === true || first === "https";
}

function cookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${isHttps(req) ? "; Secure" : ""}`;
}

const view = (s: Session) => ({ csrf: s.csrf, expires: isoOf(s.expires), actor: actorOf({ kind: "session", session: s }).by });

export const postSession: Handler = async (ctx) => {
  const { deps, req, res } = ctx;
  const address = req.socket.remoteAddress ?? "unknown";
  const now = deps.now();
  const wait = deps.console.signInLimit.blockedFor(address, now);
  if (wait > 0)
    return sendError(
      res,
      429,
      "HOOKLINE_SIGN_IN_RATE_LIMITED",
      `too many wrong tokens from this address: try again in ${wait} s`,
      {},
      { "retry-after": String(wait) },
    );
  const body = await readJson(ctx);
  if (!body) return;
  const token = (body.value as { token?: unknown } | null)?.token;
  if (typeof token !== "string" || token.length === 0 || token.length > 1024)
    return sendError(
      res,
      400,
      "HOOKLINE_BAD_SIGN_IN",
      'send { "token": "<the API token>" } (HOOKLINE_API_TOKEN, or the file .hookline/api-token)',
    );
  if (!sameSecret(token, deps.apiToken)) {
    deps.console.signInLimit.failed(address, now);
    ctx.log.warn({ code: "HOOKLINE_SIGN_IN_FAILED", remote: address }, "console sign-in refused");
    return sendError(
      res,
      401,
      "HOOKLINE_SIGN_IN_FAILED",
      "that is not the server's API token: use HOOKLINE_API_TOKEN, or the token in the file the server's start log names (.hookline/api-token)",
    );
  }
  deps.console.signInLimit.succeeded(address);
  const session = deps.console.sessions.create(now);
  ctx.log.info({ actor: actorOf({ kind: "session", session }).by }, "console signed in");
  sendJson(res, 201, view(session), { "set-cookie": cookie(req, session.id, Math.floor((session.expires - now) / 1000)) });
};

export const getSession: Handler = (ctx) => {
  const id = sessionCookieOf(ctx.req.headers.cookie);
  const session = id === null ? null : ctx.deps.console.sessions.get(id, ctx.deps.now());
  if (!session) return sendJson(ctx.res, 200, { signed_in: false });
  sendJson(ctx.res, 200, { signed_in: true, ...view(session) });
};

export const deleteSession: Handler = (ctx) => {
  const { deps, req, res } = ctx;
  const auth = authorizeRequest(req, deps.apiToken, deps.console.sessions, deps.now());
  if ("denied" in auth) return sendError(res, auth.denied.status, auth.denied.code, auth.denied.message);
  if (auth.principal.kind !== "session")
    return sendError(res, 400, "HOOKLINE_NO_SESSION", "sign-out ends a console session: send the session cookie, not the bearer token");
  deps.console.sessions.end(auth.principal.session.id);
  res.writeHead(204, { "set-cookie": cookie(req, "", 0), "cache-control": "no-store" }).end();
};
