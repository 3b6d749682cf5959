/**
 * send-notification: the notifier named by the action (slack / teams / email / webhook). Secrets come only
 * from the environment variables the notifier names.
 *
 * Slack with a bot token (`token_env`, else SLACK_BOT_TOKEN): the first notification of a run (the
 * triggering event's primary resource) is chat.postMessage'd and its ts kept in the ThreadStore; later
 * states of the same run chat.update that message and reply in its thread. With `webhook_url_env` only (or
 * when the token variable is unset but the webhook's is set) it posts to the incoming webhook: degraded mode,
 * one message per notification, no threading. `mention_on_failure` users are prepended when the state is Failed.
 *
 * Bot-token messages carry Block Kit `blocks` (the `text` stays as the fallback for notifications and old
 * clients): the text, then buttons for the Slack bot (bots/slack): `Re-run failed jobs` and `Cancel run` when
 * the triggering event is a GitHub workflow run, `Pause this automation`, and a link to the run's page. Each
 * button's value is JSON `{repo, run_id, automation, scope}` (scope: the runtime's, when it says).
 */
import type { Notifier } from "../automations/types.js";
import { stateOfEvent } from "../engine/index.js";
import { ACTION_CODES, ActionError, invalidParams, secretMissing } from "./errors.js";
import { checkUrl, postJson } from "./http-call.js";
import type { Attempt } from "./github-executors.js";
import { eventRepository } from "./targets.js";
import type { ActionPorts, Invocation, Notifiers } from "./types.js";

/** The one name of the Slack bot token across the product: the server's bot, the notifiers, the docs. */
export const SLACK_TOKEN_FALLBACK_ENV = "SLACK_BOT_TOKEN";
/** Its former name for notifiers: still read when SLACK_BOT_TOKEN is unset; the runtimes warn when it is set. */
export const SLACK_TOKEN_DEPRECATED_ENV = "HOOKLINE_SLACK_TOKEN";
export const SMTP_URL_FALLBACK_ENV = "HOOKLINE_SMTP_URL";

/** the variables a Slack notifier's bot token is read from, the first set one wins ([]: webhook_url_env only) */
function slackTokenEnvs(n: Extract<Notifier, { type: "slack" }>): string[] {
  if (n.token_env) return [n.token_env];
  return n.webhook_url_env === undefined ? [SLACK_TOKEN_FALLBACK_ENV, SLACK_TOKEN_DEPRECATED_ENV] : [];
}

const smtpUrlEnv = (n: Extract<Notifier, { type: "email" }>) => n.smtp_url_env ?? SMTP_URL_FALLBACK_ENV;

/**
 * The environment variables a notifier's delivery reads its secret from: it can deliver when any one is set (not
 * blank); the first is the one to name when none is. One place for the rule, for the runtimes' start-up checks.
 */
export function notifierEnv(n: Notifier): string[] {
  switch (n.type) {
    case "slack":
      return [...slackTokenEnvs(n), ...(n.webhook_url_env === undefined ? [] : [n.webhook_url_env])];
    case "teams":
      return [n.webhook_url_env];
    case "email":
      return [smtpUrlEnv(n)];
    case "webhook":
      return [n.url_env];
  }
}

function secret(ports: ActionPorts, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const v = ports.env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function mention(user: string): string {
  if (user.startsWith("<")) return user;
  if (user === "here" || user === "channel" || user === "everyone" || user === "@here" || user === "@channel")
    return `<!${user.replace(/^@/, "")}>`;
  return `<@${user.replace(/^@/, "")}>`;
}

/** action_ids of the notification buttons (the Slack bot registers handlers for them) */
export const SLACK_BUTTONS = {
  rerun: "hookline_rerun_failed_jobs",
  cancel: "hookline_cancel_run",
  pause: "hookline_pause_automation",
  link: "hookline_open_run",
} as const;

/** What a button click carries (JSON in the button's `value`, at most 2000 characters). */
export interface SlackButtonValue {
  automation: string;
  /** the scope of the automation when the runtime knows it (the server: `server` / `repo:<owner>/<name>`) */
  scope?: string;
  /** owner/name of the run's repository (workflow-run buttons) */
  repo?: string;
  run_id?: number;
}

const SECTION_LIMIT = 3000;
const VALUE_LIMIT = 2000;
const RUN_ID = /^github\.workflow-run\.([1-9]\d{0,17})$/;

function slackBlocks(inv: Invocation, text: string, ports: ActionPorts): unknown[] {
  const te = inv.firing.triggering_event;
  const section = text.length > SECTION_LIMIT ? `${text.slice(0, SECTION_LIMIT - 1)}…` : text;
  const blocks: unknown[] = [
    { type: "section", block_id: "hookline_text", text: { type: "mrkdwn", text: section === "" ? " " : section } },
  ];
  const base: SlackButtonValue = {
    automation: inv.automation.name,
    ...(typeof ports.scope === "string" && ports.scope !== "" ? { scope: ports.scope } : {}),
  };
  const runMatch = te ? RUN_ID.exec(te.resource["prefect.resource.id"] ?? "") : null;
  const buttons: unknown[] = [];
  const button = (actionId: string, label: string, value: SlackButtonValue, style?: "danger" | "primary") => {
    const json = JSON.stringify(value);
    if (json.length > VALUE_LIMIT) return;
    buttons.push({
      type: "button",
      action_id: actionId,
      text: { type: "plain_text", text: label },
      value: json,
      ...(style ? { style } : {}),
    });
  };
  if (te && runMatch) {
    const repo = eventRepository(te, ports.repository);
    const run = { ...base, repo: `${repo.owner}/${repo.repo}`, run_id: Number(runMatch[1]) };
    button(SLACK_BUTTONS.rerun, "Re-run failed jobs", run, "primary");
    button(SLACK_BUTTONS.cancel, "Cancel run", run, "danger");
  }
  button(SLACK_BUTTONS.pause, "Pause this automation", base);
  const url = te?.resource["github.html_url"];
  if (typeof url === "string" && /^https?:\/\/[^\s]{1,2900}$/.test(url)) {
    buttons.push({
      type: "button",
      action_id: SLACK_BUTTONS.link,
      text: { type: "plain_text", text: runMatch ? "Open run" : "Open" },
      url,
    });
  }
  if (buttons.length) blocks.push({ type: "actions", block_id: "hookline_buttons", elements: buttons });
  return blocks;
}

interface Message {
  subject: string | undefined;
  body: string;
  state: string | null;
  run: string | null;
}

function slack(inv: Invocation, name: string, n: Extract<Notifier, { type: "slack" }>, msg: Message, ports: ActionPorts): Attempt {
  const tokenEnvs = slackTokenEnvs(n);
  const token = tokenEnvs.map((e) => secret(ports, e)).find((v) => v !== undefined);
  const webhook = secret(ports, n.webhook_url_env);
  const mentions = msg.state === "Failed" && n.mention_on_failure?.length ? `${n.mention_on_failure.map(mention).join(" ")} ` : "";
  const text = `${mentions}${msg.subject ? `*${msg.subject}*\n` : ""}${msg.body}`;
  if (token === undefined && webhook !== undefined) {
    const target = checkUrl(webhook, `slack notifier ${name} (${n.webhook_url_env})`);
    return async (signal) => {
      await postJson(ports, target, { text }, `Slack incoming webhook of notifier ${name}`, signal);
      return { notifier: name, mode: "webhook" };
    };
  }
  if (token === undefined) throw secretMissing(tokenEnvs[0] ?? SLACK_TOKEN_FALLBACK_ENV, `Slack bot token of notifier ${name}`);
  const port = ports.slack;
  if (!port) throw new ActionError(ACTION_CODES.portMissing, `notifier ${name}: this runtime has no Slack client`, false);
  const threads = ports.threads;
  const key = msg.run === null ? null : `${name}\n${msg.run}`;
  const slackPort = port;
  const blocks = slackBlocks(inv, text, ports);
  const post = async (signal: AbortSignal) => {
    const res = await slackPort.call("chat.postMessage", token, { channel: n.channel, text, blocks }, signal);
    const channel = typeof res.channel === "string" ? res.channel : n.channel;
    if (threads && key !== null && typeof res.ts === "string") await threads.set(key, { channel, ts: res.ts });
    return { notifier: name, mode: "message", channel, ts: res.ts };
  };
  return async (signal) => {
    const first = threads && key !== null ? await threads.get(key) : undefined;
    if (first) {
      try {
        await port.call("chat.update", token, { channel: first.channel, ts: first.ts, text, blocks }, signal);
      } catch (err) {
        // the first message was deleted (or is too old to edit): start a new one for this run
        if (!(err instanceof ActionError && /: (message_not_found|cant_update_message|edit_window_closed)\b/.test(err.message))) throw err;
        return post(signal);
      }
      const reply = await port.call("chat.postMessage", token, { channel: first.channel, thread_ts: first.ts, text }, signal);
      return { notifier: name, mode: "thread", channel: first.channel, ts: first.ts, reply_ts: reply.ts };
    }
    return post(signal);
  };
}

function teams(name: string, n: Extract<Notifier, { type: "teams" }>, msg: Message, ports: ActionPorts): Attempt {
  const url = secret(ports, n.webhook_url_env);
  if (url === undefined) throw secretMissing(n.webhook_url_env, `Teams webhook URL of notifier ${name}`);
  const target = checkUrl(url, `teams notifier ${name} (${n.webhook_url_env})`);
  const body: unknown[] = [];
  if (msg.subject) body.push({ type: "TextBlock", text: msg.subject, weight: "Bolder", size: "Medium", wrap: true });
  body.push({ type: "TextBlock", text: msg.body, wrap: true });
  if (msg.state) body.push({ type: "FactSet", facts: [{ title: "State", value: msg.state }] });
  const card = {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body },
      },
    ],
  };
  return async (signal) => {
    await postJson(ports, target, card, `Teams webhook of notifier ${name}`, signal);
    return { notifier: name, mode: "teams" };
  };
}

function email(inv: Invocation, name: string, n: Extract<Notifier, { type: "email" }>, msg: Message, ports: ActionPorts): Attempt {
  const env = smtpUrlEnv(n);
  const url = secret(ports, env);
  if (url === undefined) throw secretMissing(env, `SMTP server URL of notifier ${name}, e.g. smtps://user:pass@smtp.example.com`);
  if (!/^smtps?:\/\//i.test(url)) throw invalidParams(`notifier ${name}: ${env} must be an smtp:// or smtps:// URL`);
  const mail = ports.mail;
  if (!mail) throw new ActionError(ACTION_CODES.portMissing, `notifier ${name}: this runtime cannot send mail`, false);
  const subject = (msg.subject ?? `[hookline] ${inv.automation.name}${msg.state ? `: ${msg.state}` : ""}`).replace(/[\r\n]+/g, " ");
  const from = n.from ?? "hookline <hookline@localhost>";
  return async (signal) => {
    const res = await mail.send(url, { from, to: [...n.to], subject, text: msg.body }, signal);
    return { notifier: name, mode: "email", to: n.to.length, ...(res.messageId ? { message_id: res.messageId } : {}) };
  };
}

function webhook(inv: Invocation, name: string, n: Extract<Notifier, { type: "webhook" }>, msg: Message, ports: ActionPorts): Attempt {
  const url = secret(ports, n.url_env);
  if (url === undefined) throw secretMissing(n.url_env, `webhook URL of notifier ${name}`);
  const target = checkUrl(url, `webhook notifier ${name} (${n.url_env})`);
  const payload = {
    automation: inv.automation.name,
    firing_id: inv.firing.id,
    state: msg.state,
    subject: msg.subject ?? null,
    body: msg.body,
    event: inv.firing.triggering_event,
  };
  return async (signal) => {
    await postJson(ports, target, payload, `webhook of notifier ${name}`, signal, { "idempotency-key": inv.idempotencyKey });
    return { notifier: name, mode: "webhook" };
  };
}

export function notificationAttempt(inv: Invocation, params: Record<string, unknown>, notifiers: Notifiers, ports: ActionPorts): Attempt {
  const name = String(params.notifier ?? "");
  const n = Object.prototype.hasOwnProperty.call(notifiers, name) ? notifiers[name] : undefined;
  if (!n)
    throw new ActionError(ACTION_CODES.unknownNotifier, `notifier ${JSON.stringify(name)} is not declared under \`notifiers:\``, false);
  const te = inv.firing.triggering_event;
  const msg: Message = {
    subject: params.subject === undefined || params.subject === null ? undefined : String(params.subject),
    body:
      params.body === undefined || params.body === null ? "" : typeof params.body === "string" ? params.body : JSON.stringify(params.body),
    state: te ? stateOfEvent(te) : null,
    run: te ? (te.resource["prefect.resource.id"] ?? null) : null,
  };
  switch (n.type) {
    case "slack":
      return slack(inv, name, n, msg, ports);
    case "teams":
      return teams(name, n, msg, ports);
    case "email":
      return email(inv, name, n, msg, ports);
    case "webhook":
      return webhook(inv, name, n, msg, ports);
  }
}
