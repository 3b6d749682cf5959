/**
 * The hookline Slack bot (@slack/bolt 5): the `/hookline` slash command and the buttons of hookline's Slack
 * notifications. HTTP mode (`createSlackBot`): the server mounts `requestListener` at POST /slack/events (slash
 * command, interactivity and events all use that one URL); requests pass the signature gate (verify.ts) and
 * then Bolt's HTTPReceiver (processBeforeResponse false: ack answers Slack at once, the work runs after and
 * answers through `respond` / `chat.update`). An ack never waits on Slack's API (no auth.test per request), and
 * a command or click that Slack delivers again runs once (run-once.ts). Socket Mode for development: socket.ts.
 */
import { finished } from "node:stream/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel, type Receiver, type Logger as BoltLogger } from "@slack/bolt";
import type { Invocation, Outcome } from "../../src/executors/types.js";
import { SLACK_BUTTONS } from "../../src/executors/notify.js";
import type { ServerStore } from "../../src/store/server-types.js";
import type { Logger } from "../../src/scopes/types.js";
import { HooklineError } from "../../src/errors/index.js";
import type { ConfigOf } from "./catalog.js";
import { runCommand, type CommandDeps, type Requester } from "./commands.js";
import { handleClick, withOutcome } from "./interactive.js";
import type { PauseTargets } from "./pause-targets.js";
import type { SlackPolicy } from "./policy.js";
import { cachedGroupMembers, USER_GROUP_TTL_MS } from "./user-groups.js";
import { createRequestGuard } from "./verify.js";
import { clickKey, commandKey, createRunOnce } from "./run-once.js";
import { sendBusy, sendErrorAndClose } from "../../src/adapters/http-server/respond.js";

export { createPauseTargets, type PauseChange, type PauseOutcome, type PauseTargets, type PauseTargetsOptions } from "./pause-targets.js";
export {
  loadSlackPolicy,
  parseSlackPolicy,
  authorize,
  SLACK_POLICY_FILE,
  SLACK_VERBS,
  SlackPolicyError,
  type SlackPolicy,
  type SlackRule,
  type SlackVerb,
} from "./policy.js";
export { buttonInvocation, type ExecuteAction } from "./interactive.js";
export { SLACK_BUTTONS };

export const SLACK_EVENTS_PATH = "/slack/events";
export const SLASH_COMMAND = "/hookline";

export interface SlackBotOptions {
  signingSecret: string;
  /** bot token (xoxb-…) */
  token: string;
  /** Slack Web API base URL (default https://slack.com/api/); tests point it at a local server */
  slackApiUrl?: string;
  store: ServerStore;
  policy: SlackPolicy;
  targets: PauseTargets;
  /** runs a button's rerun/cancel invocation with the ports of `scope` (the server wires src/executors runInvocation) */
  executeAction: (scope: string, invocation: Invocation) => Promise<Outcome>;
  /** automations of a scope (the server's ScopeRuntime.configOf); without it names come from the store */
  configOf?: ConfigOf;
  log: Logger;
  clock?: { now(): number };
  /** the bot's ids when known; else learned by one auth.test in the background (requests never wait on it) */
  botId?: string;
  botUserId?: string;
  userGroupTtlMs?: number;
}

export interface SlackBot {
  app: App;
  /** POST /slack/events; resolves when the response has been sent (the work after ack may still run) */
  requestListener(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => log.debug?.({ component: "slack" }, text(msg)),
    info: (...msg) => log.info({ component: "slack" }, text(msg)),
    warn: (...msg) => log.warn({ component: "slack" }, text(msg)),
    error: (...msg) => log.error({ component: "slack" }, text(msg)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

function apiUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : url.endsWith("/") ? url : `${url}/`;
}

/** Registers the command and button handlers on an App built around any receiver (HTTP or Socket Mode). */
export function buildSlackApp(opts: SlackBotOptions, receiver: Receiver, extra: { appToken?: string; socketMode?: boolean } = {}): App {
  const now = () => (opts.clock ?? Date).now();
  const slackApiUrl = apiUrl(opts.slackApiUrl);
  // Bolt's own single-token authorization calls auth.test on every request when the bot's ids are not given,
  // so each ack waited on Slack's API. Authorize from what is known instead: the token, and the bot's ids once
  // learned (given, or one auth.test in the background at start, retried by the WebClient's retry policy).
  const identity: { botId?: string; botUserId?: string } =
    opts.botId && opts.botUserId ? { botId: opts.botId, botUserId: opts.botUserId } : {};
  const app = new App({
    authorize: async () => ({ botToken: opts.token, ...identity }),
    receiver,
    logger: boltLogger(opts.log),
    ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}),
    ...(extra.appToken ? { appToken: extra.appToken } : {}),
  });
  if (!identity.botId) {
    app.client.auth
      .test({ token: opts.token })
      .then((r) => {
        if (typeof r.bot_id === "string" && typeof r.user_id === "string")
          Object.assign(identity, { botId: r.bot_id, botUserId: r.user_id });
        opts.log.info({ component: "slack", botId: identity.botId ?? null }, "slack bot identity");
      })
      .catch((err: unknown) => opts.log.warn({ component: "slack", err: String(err) }, "auth.test failed: check SLACK_BOT_TOKEN"));
  }
  const once = createRunOnce();
  const members = cachedGroupMembers(
    {
      async list(group) {
        const res = await app.client.usergroups.users.list({ token: opts.token, usergroup: group });
        return Array.isArray(res.users) ? res.users : [];
      },
    },
    now,
    opts.userGroupTtlMs ?? USER_GROUP_TTL_MS,
  );
  const deps: CommandDeps = {
    store: opts.store,
    policy: opts.policy,
    targets: opts.targets,
    members,
    now,
    ...(opts.configOf ? { configOf: opts.configOf } : {}),
  };

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const key = commandKey(command);
    if (key && !once.first(key, now())) {
      opts.log.info({ component: "slack", user: command.user_id, trigger: command.trigger_id }, "slack command retried: already run");
      return;
    }
    const who: Requester = { user: command.user_id, team: command.team_id || null, channel: command.channel_id || null };
    try {
      const answer = await runCommand(command.text, who, deps);
      opts.log.info({ component: "slack", user: who.user, command: command.text.slice(0, 200) }, "slack command");
      await respond({ ...answer, text: answer.text });
    } catch (err) {
      opts.log.error({ component: "slack", err: String(err) }, "slack command failed");
      await respond({
        response_type: "ephemeral",
        text: `Something went wrong on the hookline server: ${err instanceof Error ? err.message.slice(0, 300) : "unknown error"}. Nothing may have changed; try again or check \`/hookline status\`.`,
      });
    }
  });

  // the link button also sends a click; it only needs an ack
  app.action(SLACK_BUTTONS.link, async ({ ack }) => {
    await ack();
  });

  for (const actionId of [SLACK_BUTTONS.rerun, SLACK_BUTTONS.cancel, SLACK_BUTTONS.pause]) {
    app.action({ type: "block_actions", action_id: actionId }, async ({ ack, body, action, client, respond }) => {
      await ack();
      const key = clickKey({
        trigger_id: body.trigger_id,
        action_id: actionId,
        ...("action_ts" in action ? { action_ts: action.action_ts } : {}),
        ...(body.container && typeof body.container.message_ts === "string" ? { message_ts: body.container.message_ts } : {}),
      });
      if (key && !once.first(key, now())) {
        opts.log.info({ component: "slack", user: body.user.id, action: actionId }, "slack button retried: already run");
        return;
      }
      const who: Requester = { user: body.user.id, team: body.team?.id ?? null, channel: body.channel?.id ?? null };
      const clickId = `${body.trigger_id}\n${"action_ts" in action ? action.action_ts : ""}`;
      const result = await handleClick(
        { actionId, value: "value" in action ? action.value : undefined, who, clickId },
        deps,
        opts.executeAction,
      ).catch((err: unknown) => ({
        outcome: null,
        ephemeral: `Something went wrong on the hookline server: ${err instanceof Error ? err.message.slice(0, 300) : "unknown error"}`,
      }));
      opts.log.info({ component: "slack", user: who.user, action: actionId, outcome: result.outcome ?? result.ephemeral }, "slack button");
      if (result.ephemeral) await respond({ response_type: "ephemeral", replace_original: false, text: result.ephemeral });
      const message = body.message;
      if (result.outcome && message && body.channel?.id) {
        try {
          await client.chat.update({
            channel: body.channel.id,
            ts: String(message.ts),
            text: String(message.text ?? ""),
            blocks: withOutcome(message.blocks, result.outcome, clickId) as never,
          });
        } catch (err) {
          opts.log.warn({ component: "slack", err: String(err) }, "could not update the notification");
          await respond({ response_type: "ephemeral", replace_original: false, text: result.outcome });
        }
      }
    });
  }

  app.error(async (err) => {
    opts.log.error({ component: "slack", err: String(err) }, "slack handler failed");
  });
  return app;
}

export function createSlackBot(opts: SlackBotOptions): SlackBot {
  if (!opts.signingSecret)
    throw new HooklineError(
      "HOOKLINE_SLACK_CONFIG",
      "HOOKLINE_SLACK_CONFIG: set SLACK_SIGNING_SECRET (the app's Basic Information → Signing Secret)",
    );
  if (!opts.token)
    throw new HooklineError(
      "HOOKLINE_SLACK_CONFIG",
      "HOOKLINE_SLACK_CONFIG: set SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-…)",
    );
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    processBeforeResponse: false,
    logger: boltLogger(opts.log),
  });
  const app = buildSlackApp(opts, receiver);
  const guard = createRequestGuard({ signingSecret: opts.signingSecret, now: () => (opts.clock ?? Date).now() });

  async function requestListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== SLACK_EVENTS_PATH || req.method !== "POST") {
      res.writeHead(path === SLACK_EVENTS_PATH ? 405 : 404, { "content-type": "text/plain" });
      res.end(path === SLACK_EVENTS_PATH ? "POST only\n" : "not found\n");
      return;
    }
    const check = await guard(req);
    if (!check.ok || check.sslCheck) {
      if (!check.ok) opts.log.warn({ component: "slack", status: check.status, reason: check.reason }, "slack request refused");
      if (!check.ok && check.status === 503) sendBusy(res, check.retryAfterSeconds);
      else if (!check.ok && req.complete === false) sendErrorAndClose(res, check.status, "HOOKLINE_SLACK_REFUSED", check.reason);
      else {
        res.writeHead(check.ok ? 200 : check.status);
        res.end();
      }
      return;
    }
    const done = finished(res).catch(() => undefined);
    receiver.requestListener(req, res);
    await done;
  }

  return { app, requestListener };
}
