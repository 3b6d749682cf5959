/**
 * `POST /api/github/webhooks`: handed to the GitHub App's middleware (signature check, translate,
 * ingest, answer). Without the App's credentials: 503 naming the environment variables it waits for.
 */
import { APP_ENV } from "../config.js";
import type { PartsHandler } from "./context.js";
import { sendErrorAndClose } from "../../../src/adapters/http-server/respond.js";

export const GITHUB_WEBHOOKS_PATH = "/api/github/webhooks";

export const githubRoute: PartsHandler = async (ctx, parts) => {
  if (!parts.app) {
    sendErrorAndClose(
      ctx.res,
      503,
      "HOOKLINE_GITHUB_APP_NOT_CONFIGURED",
      `GitHub App webhooks need ${APP_ENV.join(", ")} (PRIVATE_KEY or PRIVATE_KEY_PATH) in the server's environment`,
      { missing: [...APP_ENV] },
    );
    return;
  }
  const handled = await parts.app.middleware(ctx.req, ctx.res, ctx.note);
  if (!handled && !ctx.res.headersSent) sendErrorAndClose(ctx.res, 404, "HOOKLINE_NOT_FOUND", `no endpoint ${ctx.url.pathname}`);
};
