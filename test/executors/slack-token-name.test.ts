/**
 * One name for the Slack bot token (issue 13 item 4): a Slack notifier without `token_env` reads SLACK_BOT_TOKEN,
 * the variable the server's bot reads; the former HOOKLINE_SLACK_TOKEN is still read while SLACK_BOT_TOKEN is
 * unset (the runtimes warn), and never when the notifier names its own variable.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Notifier } from "../../src/automations/types.js";
import { runInvocation, SLACK_TOKEN_DEPRECATED_ENV, SLACK_TOKEN_FALLBACK_ENV } from "../../src/executors/index.js";
import { actionOf, invocationOf, portsFor, startServer, type TestServer } from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function slackApi(): Promise<TestServer> {
  const s = await startServer(() => ({ body: { ok: true, channel: "C123", ts: "1700000000.000001" } }));
  closers.push(s.close);
  return s;
}

const send = actionOf("send-notification", { notifier: "ops", body: "CI failed" });
const plain: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops" } };

async function tokenUsed(notifiers: Record<string, Notifier>, env: Record<string, string>) {
  const slack = await slackApi();
  const { ports } = portsFor({ slack: slack.url, env });
  const outcome = await runInvocation(invocationOf(send), notifiers, ports);
  return { outcome, auth: slack.requests.map((r) => r.headers.authorization) };
}

describe("the Slack bot token's name", () => {
  it("is SLACK_BOT_TOKEN, the server bot's variable, for a notifier without token_env", async () => {
    expect(SLACK_TOKEN_FALLBACK_ENV).toBe("SLACK_BOT_TOKEN");
    const r = await tokenUsed(plain, { SLACK_BOT_TOKEN: "xoxb-new" });
    expect(r.outcome.status).toBe("executed");
    expect(r.auth).toEqual(["Bearer xoxb-new"]);
  });

  it("the deprecated HOOKLINE_SLACK_TOKEN is still read while SLACK_BOT_TOKEN is unset, and loses when both are set", async () => {
    expect((await tokenUsed(plain, { [SLACK_TOKEN_DEPRECATED_ENV]: "xoxb-old" })).auth).toEqual(["Bearer xoxb-old"]);
    expect((await tokenUsed(plain, { HOOKLINE_SLACK_TOKEN: "xoxb-old", SLACK_BOT_TOKEN: "xoxb-new" })).auth).toEqual(["Bearer xoxb-new"]);
  });

  it("a notifier that names its token_env reads only that variable: the missing secret is named, no fallback", async () => {
    const own: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", token_env: "OPS_TOKEN" } };
    const r = await tokenUsed(own, { HOOKLINE_SLACK_TOKEN: "xoxb-old", SLACK_BOT_TOKEN: "xoxb-new" });
    expect(r.outcome).toMatchObject({ status: "failed", code: "HOOKLINE_SECRET_MISSING" });
    expect(r.outcome.status === "failed" && r.outcome.reason).toContain("OPS_TOKEN");
    expect(r.auth).toEqual([]);
  });
});
