/**
 * The HTTP request handler: request ids, the route table, 404/405 and JSON errors, 503 before the server is
 * ready, /api authorization, request logs and metrics. node:http only.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeRequest } from "../console/console-auth.js";
import { consoleFile } from "../console/assets.js";
import { getDeliveries, getEvent, getResourceEvents, postRedeliver, streamEvents } from "../console/console-routes.js";
import { getDelivery } from "../console/delivery-route.js";
import { CONSOLE_HEADERS } from "../console/security-headers.js";
import { deleteSession, getSession, postSession } from "../console/session-route.js";
import { getAutomations, setPaused } from "./automations-route.js";
import { postReplay } from "./database-replay-route.js";
import { getDatabaseSources, postInvoke } from "./database-route.js";
import type { Handler, HttpDeps, PartsHandler, RequestContext } from "./context.js";
import { getEvents, postEvents } from "./events-route.js";
import { GITHUB_WEBHOOKS_PATH, githubRoute } from "./github-route.js";
import { healthz, metrics, readyz } from "./health-routes.js";
import { HOOK_METHODS, hooksRoute } from "./hooks-route.js";
import { sendError, sendErrorAndClose } from "../../../src/adapters/http-server/respond.js";
import { governBody } from "../../../src/adapters/http-server/read-body.js";
import { Router } from "./router.js";
import { CALLBACK_PATH, SETUP_PATH } from "../github-app-setup.js";
import { postWhatIf, postWhatIfValidate } from "./what-if-route.js";
import { SLACK_EVENTS_PATH, slackRoute } from "./slack-route.js";
import type { SlackHandle } from "../slack.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * behind the API token, or a console session (whose writes need its CSRF token: console-auth.ts); no database
 * needed: /metrics answers while the server starts
 */
function guarded(handler: Handler): Handler {
  return async (ctx) => {
    const auth = authorizeRequest(ctx.req, ctx.deps.apiToken, ctx.deps.console.sessions, ctx.deps.now());
    if ("principal" in auth) {
      ctx.principal = auth.principal;
      return handler(ctx);
    }
    const denied = auth.denied;
    ctx.log.warn({ code: denied.code, remote: ctx.req.socket.remoteAddress }, "request refused");
    return sendErrorAndClose(
      ctx.res,
      denied.status,
      denied.code,
      denied.message,
      {},
      denied.status === 401 ? { "www-authenticate": "Bearer" } : {},
    );
  };
}

/** needs the database; `api`: behind the API token */
function parts(handler: PartsHandler, api = false): Handler {
  const withParts: Handler = async (ctx) => {
    const p = ctx.deps.parts();
    if (!p)
      return sendErrorAndClose(
        ctx.res,
        503,
        "HOOKLINE_NOT_READY",
        "the server is starting (database migrations, workers): retry in a moment",
        {},
        { "retry-after": "1" },
      );
    return handler(ctx, p);
  };
  return api ? guarded(withParts) : withParts;
}

/** the manifest setup (github-app-setup.ts) while no App is configured; 404 otherwise */
const setupRoute: Handler = async (ctx) => {
  const setup = ctx.deps.setup;
  if (setup && (await setup.handle(ctx.req, ctx.res))) return;
  sendErrorAndClose(
    ctx.res,
    404,
    "HOOKLINE_APP_SETUP_CLOSED",
    "no GitHub App setup here: the App is configured (or the server keeps no data folder: run `hookline setup github-app`)",
  );
};

export interface RouterExtras {
  /** the Slack bot once the server is ready; null (or absent): /slack/events answers 503 naming what to set */
  slack?: () => SlackHandle | null;
}

export function createRouter(extras: RouterExtras = {}): Router {
  return new Router()
    .add(["GET"], "/healthz", healthz)
    .add(["GET"], "/readyz", readyz)
    .add(["GET"], "/metrics", guarded(metrics))
    .add(HOOK_METHODS, "/hooks/:slug", parts(hooksRoute))
    .add(["GET", "HEAD"], "/", consoleFile)
    .add(["GET", "HEAD"], "/assets/:file", consoleFile)
    .add(["POST"], "/api/session", postSession)
    .add(["GET"], "/api/session", getSession)
    .add(["DELETE"], "/api/session", deleteSession)
    .add(["POST"], "/api/events", parts(postEvents, true))
    .add(["GET"], "/api/events", parts(getEvents, true))
    .add(["GET"], "/api/events/stream", guarded(streamEvents))
    .add(["GET"], "/api/events/:id", parts(getEvent, true))
    .add(["GET"], "/api/resources/:id/events", parts(getResourceEvents, true))
    .add(["GET"], "/api/deliveries", parts(getDeliveries, true))
    .add(["GET"], "/api/deliveries/:id", parts(getDelivery, true))
    .add(["POST"], "/api/deliveries/:id/redeliver", parts(postRedeliver, true))
    .add(["GET"], "/api/automations", parts(getAutomations, true))
    .add(["POST"], "/api/automations/:name/:verb", parts(setPaused, true))
    .add(["GET"], "/api/database/sources", parts(getDatabaseSources, true))
    .add(["POST"], "/api/database/sources/:source/invoke", parts(postInvoke, true))
    .add(["POST"], "/api/database/sources/:source/replay", parts(postReplay, true))
    .add(["POST"], "/api/what-if", parts(postWhatIf, true))
    .add(["POST"], "/api/what-if/validate", parts(postWhatIfValidate, true))
    .add(["POST"], GITHUB_WEBHOOKS_PATH, parts(githubRoute))
    .add(["GET"], SETUP_PATH, setupRoute)
    .add(["GET"], CALLBACK_PATH, setupRoute)
    .add(["POST"], SLACK_EVENTS_PATH, parts(slackRoute(extras.slack ?? (() => null))));
}

export function createRequestHandler(deps: HttpDeps, extras: RouterExtras = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const router = createRouter(extras);
  return (req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", requestId);
    // the console's headers on every answer: a JSON error opened in a tab is as locked down as the page
    for (const [k, v] of Object.entries(CONSOLE_HEADERS)) res.setHeader(k, v);
    if (deps.bodyBudget) governBody(req, res, deps.bodyBudget);
    // the request's child logger only when a handler logs (most requests log one line: the one below)
    let child: RequestContext["log"] | undefined;
    const logOf = () => (child ??= deps.log.child({ reqId: requestId }));
    const noted: Record<string, unknown> = {};
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return sendErrorAndClose(res, 400, "HOOKLINE_BAD_URL", "the request target is not a valid path");
    }
    const method = req.method ?? "GET";
    const match = router.match(method, url.pathname);
    const routeName =
      match && "route" in match ? match.route.name : match ? url.pathname.split("/").slice(0, 2).join("/") + "/*" : "unmatched";
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.http(routeName, method, res.statusCode, seconds);
      deps.log.info(
        {
          reqId: requestId,
          method,
          path: url.pathname.slice(0, 200),
          route: routeName,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
          ...noted,
        },
        "request",
      );
    });
    if (match === null)
      return sendErrorAndClose(
        res,
        404,
        "HOOKLINE_NOT_FOUND",
        `no endpoint ${url.pathname.slice(0, 200)}: see / (the console), /healthz, /readyz, /metrics, /hooks/<slug>, /api/session, /api/events, /api/deliveries, /api/automations, /api/database/sources, /api/what-if, /api/github/webhooks, /slack/events`,
      );
    if (!("route" in match)) {
      return sendErrorAndClose(
        res,
        405,
        "HOOKLINE_METHOD_NOT_ALLOWED",
        `${method} is not allowed on ${url.pathname.slice(0, 200)}: use ${match.allow.join(", ")}`,
        {},
        { allow: match.allow.join(", ") },
      );
    }
    const ctx: RequestContext = {
      req,
      res,
      url,
      params: match.params,
      requestId,
      get log() {
        return logOf();
      },
      note: (fields) => void Object.assign(noted, fields),
      deps,
    };
    Promise.resolve()
      .then(() => match.route.handler(ctx))
      .catch((err: unknown) => {
        logOf().error({ err }, "request failed");
        if (!res.headersSent)
          sendError(res, 500, "HOOKLINE_INTERNAL", `internal error (request ${requestId}); the server log has the details`);
        else res.destroy();
      });
  };
}
