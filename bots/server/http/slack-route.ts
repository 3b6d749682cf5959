/**
 * `POST /slack/events`: handed to the Slack bot (signature gate, then Bolt: slash command, buttons). Without
 * SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: 503 naming the environment variables it waits for.
 */
import { SLACK_ENV } from "../config.js";
import type { SlackHandle } from "../slack.js";
import type { PartsHandler } from "./context.js";
import { sendErrorAndClose } from "../../../src/adapters/http-server/respond.js";

export const SLACK_EVENTS_PATH = "/slack/events";

/** `slack()`: the bot once the server is ready, null when it is not configured. */
export function slackRoute(slack: () => SlackHandle | null): PartsHandler {
  return async (ctx) => {
    const bot = slack();
    if (!bot) {
      const missing = SLACK_ENV.filter((n) => !ctx.deps.env[n]?.trim());
      sendErrorAndClose(
        ctx.res,
        503,
        "HOOKLINE_SLACK_NOT_CONFIGURED",
        `the Slack bot needs ${(missing.length ? missing : [...SLACK_ENV]).join(" and ")} in the server's environment (see docs/slack.md)`,
        { missing: missing.length ? missing : [...SLACK_ENV] },
      );
      return;
    }
    await bot.requestListener(ctx.req, ctx.res);
  };
}
