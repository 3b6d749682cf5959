import { afterEach, describe, expect, it } from "vitest";
import type { Notifier } from "../../src/automations/types.js";
import { runInvocation } from "../../src/executors/index.js";
import { actionOf, invocationOf, portsFor, runEvent, startServer, startSmtp, type Recorded, type TestServer } from "./helpers.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  closers.push(s.close);
  return s;
}

/** Slack Web API calls arrive form-encoded or as JSON */
function slackArgs(r: Recorded): Record<string, string> {
  if (r.json && typeof r.json === "object") return r.json as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(r.body));
}

function slackApi() {
  let n = 0;
  return server((req) => {
    if (req.path.endsWith("/chat.postMessage")) return { body: { ok: true, channel: "C123", ts: `1700000000.00000${++n}` } };
    if (req.path.endsWith("/chat.update")) return { body: { ok: true, channel: "C123", ts: slackArgs(req).ts } };
    return { body: { ok: false, error: "unknown_method" } };
  });
}

const notify = (body: string, subject?: string) =>
  actionOf("send-notification", { notifier: "ops", body, ...(subject ? { subject } : {}) });

describe("Slack with a bot token", () => {
  const notifiers: Record<string, Notifier> = {
    ops: { type: "slack", channel: "#ops", token_env: "SLACK_BOT", mention_on_failure: ["U111", "@here"] },
  };

  it("posts once per run, then updates that message and replies in its thread when the run changes state", async () => {
    const slack = await slackApi();
    const { ports, threads } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb-secret" } });
    const running = await runInvocation(
      invocationOf(notify("CI is {{ event.resource['github.state'] }}"), runEvent("Running"), 0, "f1"),
      notifiers,
      ports,
    );
    expect(running).toMatchObject({ status: "executed", result: { mode: "message", channel: "C123", ts: "1700000000.000001" } });
    const failed = await runInvocation(
      invocationOf(notify("CI is {{ event.resource['github.state'] }}"), runEvent("Failed"), 0, "f2"),
      notifiers,
      ports,
    );
    expect(failed).toMatchObject({
      status: "executed",
      result: { mode: "thread", ts: "1700000000.000001", reply_ts: "1700000000.000002" },
    });

    expect(slack.requests.map((r) => r.path)).toEqual(["/api/chat.postMessage", "/api/chat.update", "/api/chat.postMessage"]);
    expect(slack.requests.every((r) => r.headers.authorization === "Bearer xoxb-secret")).toBe(true);
    const [post, update, reply] = slack.requests.map(slackArgs);
    expect(post).toMatchObject({ channel: "#ops", text: "CI is Running" });
    expect(post!.thread_ts).toBeUndefined();
    expect(update).toMatchObject({ channel: "C123", ts: "1700000000.000001", text: "<@U111> <!here> CI is Failed" });
    expect(reply).toMatchObject({ channel: "C123", thread_ts: "1700000000.000001", text: "<@U111> <!here> CI is Failed" });
    expect([...threads.keys()]).toEqual(["ops\ngithub.workflow-run.123"]);
  });

  it("different runs get separate messages", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    const other = runEvent("Failed", { resource: { ...runEvent().resource, "prefect.resource.id": "github.workflow-run.999" } });
    await runInvocation(invocationOf(notify("a"), runEvent("Failed")), notifiers, ports);
    await runInvocation(invocationOf(notify("b"), other), notifiers, ports);
    expect(slack.requests.map((r) => r.path)).toEqual(["/api/chat.postMessage", "/api/chat.postMessage"]);
  });

  it("mentions are prepended only when the state is Failed; the subject is a bold first line", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    await runInvocation(invocationOf(notify("done", "CI"), runEvent("Completed")), notifiers, ports);
    expect(slackArgs(slack.requests[0]!).text).toBe("*CI*\ndone");
  });

  it("a Slack platform error (not_in_channel) fails at once with a hint", async () => {
    const slack = await server(() => ({ body: { ok: false, error: "not_in_channel" } }));
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    const out = await runInvocation(invocationOf(notify("x")), notifiers, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_SLACK_ERROR" });
    expect(out.status === "failed" && out.reason).toContain("invite the bot");
    expect(slack.requests).toHaveLength(1);
  });

  it("Slack rate limiting (429 Retry-After) is retried after the requested delay", async () => {
    const slack = await server((req, n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "4" }, body: "" } : { body: { ok: true, channel: "C1", ts: "1.1" } },
    );
    const { ports, sleeps } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    expect(await runInvocation(invocationOf(notify("x")), notifiers, ports)).toMatchObject({ status: "executed", attempts: 2 });
    expect(sleeps).toEqual([4_000]);
  });

  it("a missing token variable is HOOKLINE_SECRET_MISSING naming it, and the value is never in the reason", async () => {
    const { ports } = portsFor({ env: {} });
    const out = await runInvocation(invocationOf(notify("x")), notifiers, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 0, code: "HOOKLINE_SECRET_MISSING" });
    expect(out.status === "failed" && out.reason).toContain("SLACK_BOT");
  });
});

describe("Slack incoming webhook (degraded mode)", () => {
  it("posts {text} to the webhook URL, one message per notification, no threading", async () => {
    const hook = await server(() => ({ status: 200, body: "ok" }));
    const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", webhook_url_env: "SLACK_HOOK" } };
    const { ports, threads } = portsFor({ env: { SLACK_HOOK: `${hook.url}/services/T/B/secret` } });
    await runInvocation(invocationOf(notify("first"), runEvent("Running")), notifiers, ports);
    const out = await runInvocation(invocationOf(notify("second"), runEvent("Failed")), notifiers, ports);
    expect(out).toMatchObject({ status: "executed", result: { mode: "webhook" } });
    expect(hook.requests.map((r) => [r.path, r.json])).toEqual([
      ["/services/T/B/secret", { text: "first" }],
      ["/services/T/B/secret", { text: "second" }],
    ]);
    expect(threads.size).toBe(0);
  });

  it("a non-2xx answer fails, and the reason does not reveal the webhook URL's secret path", async () => {
    const hook = await server(() => ({ status: 404, body: "no_service" }));
    const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", webhook_url_env: "SLACK_HOOK" } };
    const { ports } = portsFor({ env: { SLACK_HOOK: `${hook.url}/services/T/B/secret` } });
    const out = await runInvocation(invocationOf(notify("x")), notifiers, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 1 });
    expect(out.status === "failed" && out.reason).not.toContain("secret");
  });

  it("the token is preferred; when its variable is unset the webhook is used", async () => {
    const hook = await server(() => ({ status: 200, body: "ok" }));
    const notifiers: Record<string, Notifier> = {
      ops: { type: "slack", channel: "#ops", token_env: "SLACK_BOT", webhook_url_env: "SLACK_HOOK" },
    };
    const { ports } = portsFor({ env: { SLACK_HOOK: `${hook.url}/h` } });
    expect(await runInvocation(invocationOf(notify("x")), notifiers, ports)).toMatchObject({
      status: "executed",
      result: { mode: "webhook" },
    });
  });

  it("a webhook URL that is not http(s) is refused", async () => {
    const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", webhook_url_env: "SLACK_HOOK" } };
    const { ports } = portsFor({ env: { SLACK_HOOK: "file:///etc/passwd" } });
    expect(await runInvocation(invocationOf(notify("x")), notifiers, ports)).toMatchObject({
      status: "failed",
      code: "HOOKLINE_ACTION_INVALID_PARAMS",
    });
  });
});

describe("Teams, email and webhook notifiers", () => {
  it("Teams gets an Adaptive Card message with subject, body and state", async () => {
    const teams = await server(() => ({ status: 202, body: "" }));
    const { ports } = portsFor({ env: { TEAMS_URL: `${teams.url}/webhook` } });
    const out = await runInvocation(
      invocationOf(notify("CI failed", "Alert")),
      { ops: { type: "teams", webhook_url_env: "TEAMS_URL" } },
      ports,
    );
    expect(out.status).toBe("executed");
    const card = teams.requests[0]!.json as {
      type: string;
      attachments: { contentType: string; content: { body: { text?: string }[] } }[];
    };
    expect(teams.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(card.type).toBe("message");
    expect(card.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0]!.content.body.map((b) => b.text).filter(Boolean)).toEqual(["Alert", "CI failed"]);
    expect(JSON.stringify(card)).toContain('"value":"Failed"');
  });

  it("a missing Teams URL variable is HOOKLINE_SECRET_MISSING", async () => {
    const { ports } = portsFor();
    const out = await runInvocation(invocationOf(notify("x")), { ops: { type: "teams", webhook_url_env: "TEAMS_URL" } }, ports);
    expect(out).toMatchObject({ status: "failed", code: "HOOKLINE_SECRET_MISSING" });
    expect(out.status === "failed" && out.reason).toContain("TEAMS_URL");
  });

  it("email is sent through the SMTP server named by smtp_url_env", async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const { ports } = portsFor({ env: { MAIL_URL: smtp.url } });
    const notifiers: Record<string, Notifier> = {
      ops: { type: "email", to: ["a@example.com", "b@example.com"], from: "ci@example.com", smtp_url_env: "MAIL_URL" },
    };
    const out = await runInvocation(invocationOf(notify("run {{ workflow_run.id }} failed", "CI")), notifiers, ports);
    expect(out).toMatchObject({ status: "executed", attempts: 1 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.from).toBe("ci@example.com");
    expect(smtp.messages[0]!.to).toEqual(["a@example.com", "b@example.com"]);
    expect(smtp.messages[0]!.data).toContain("Subject: CI");
    expect(smtp.messages[0]!.data).toContain("run 123 failed");
  });

  it("email falls back to HOOKLINE_SMTP_URL; a permanent SMTP refusal (5xx) is not retried", async () => {
    const smtp = await startSmtp({ rcptCode: 550 });
    closers.push(smtp.close);
    const { ports } = portsFor({ env: { HOOKLINE_SMTP_URL: smtp.url } });
    const out = await runInvocation(invocationOf(notify("x")), { ops: { type: "email", to: ["a@example.com"] } }, ports);
    expect(out).toMatchObject({ status: "failed", attempts: 1, code: "HOOKLINE_SMTP_ERROR" });
  });

  it("email without any SMTP URL names the variable to set", async () => {
    const { ports } = portsFor();
    const out = await runInvocation(invocationOf(notify("x")), { ops: { type: "email", to: ["a@example.com"] } }, ports);
    expect(out).toMatchObject({ status: "failed", code: "HOOKLINE_SECRET_MISSING" });
    expect(out.status === "failed" && out.reason).toContain("HOOKLINE_SMTP_URL");
  });

  it("a webhook notifier posts the notification and the triggering event as JSON with an idempotency key", async () => {
    const hook = await server(() => ({ status: 204 }));
    const { ports } = portsFor({ env: { HOOK: `${hook.url}/in` } });
    const out = await runInvocation(invocationOf(notify("x", "s")), { ops: { type: "webhook", url_env: "HOOK" } }, ports);
    expect(out.status).toBe("executed");
    expect(hook.requests[0]!.headers["idempotency-key"]).toBe("firing-1:0");
    expect(hook.requests[0]!.json).toMatchObject({
      automation: "ci-alerts",
      state: "Failed",
      subject: "s",
      body: "x",
      event: { id: runEvent().id },
    });
  });

  it("an undeclared notifier fails with HOOKLINE_UNKNOWN_NOTIFIER", async () => {
    const { ports } = portsFor();
    expect(await runInvocation(invocationOf(notify("x")), {}, ports)).toMatchObject({
      status: "failed",
      code: "HOOKLINE_UNKNOWN_NOTIFIER",
    });
    // inherited names are not notifiers
    const proto = actionOf("send-notification", { notifier: "toString", body: "x" });
    expect(await runInvocation(invocationOf(proto), {}, ports)).toMatchObject({ status: "failed", code: "HOOKLINE_UNKNOWN_NOTIFIER" });
  });
});

describe("Slack thread recovery", () => {
  it("when the run's first message is gone (message_not_found), a new message is posted and becomes the thread", async () => {
    let n = 0;
    const slack = await server((req) =>
      req.path.endsWith("/chat.update")
        ? { body: { ok: false, error: "message_not_found" } }
        : { body: { ok: true, channel: "C9", ts: `2.${++n}` } },
    );
    const { ports, threads } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    threads.set("ops\ngithub.workflow-run.123", { channel: "C9", ts: "1.0" });
    const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", token_env: "SLACK_BOT" } };
    const out = await runInvocation(invocationOf(notify("x")), notifiers, ports);
    expect(out).toMatchObject({ status: "executed", attempts: 1, result: { mode: "message", ts: "2.1" } });
    expect(slack.requests.map((r) => r.path)).toEqual(["/api/chat.update", "/api/chat.postMessage"]);
    expect(threads.get("ops\ngithub.workflow-run.123")).toEqual({ channel: "C9", ts: "2.1" });
  });

  it("other update errors fail the notification (no duplicate message)", async () => {
    const slack = await server((req) =>
      req.path.endsWith("/chat.update")
        ? { body: { ok: false, error: "channel_not_found" } }
        : { body: { ok: true, channel: "C9", ts: "3.0" } },
    );
    const { ports, threads } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    threads.set("ops\ngithub.workflow-run.123", { channel: "C9", ts: "1.0" });
    const out = await runInvocation(invocationOf(notify("x")), { ops: { type: "slack", channel: "#ops", token_env: "SLACK_BOT" } }, ports);
    expect(out).toMatchObject({ status: "failed", code: "HOOKLINE_SLACK_ERROR" });
    expect(slack.requests.map((r) => r.path)).toEqual(["/api/chat.update"]);
  });
});

describe("Slack bot-token messages carry buttons for the Slack bot", () => {
  const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#ops", token_env: "SLACK_BOT" } };
  const blocksOf = (r: Recorded) => {
    const b = slackArgs(r).blocks as unknown;
    return (typeof b === "string" ? JSON.parse(b) : b) as {
      type: string;
      text?: { text: string };
      elements?: { action_id: string; value?: string; url?: string; text: { text: string } }[];
    }[];
  };

  it("a workflow-run notification: the text, then Re-run failed jobs, Cancel run, Pause this automation and a link; text stays as the fallback", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    const event = runEvent("Failed", {
      resource: { ...runEvent().resource, "github.html_url": "https://github.com/acme/app/actions/runs/123" },
    });
    await runInvocation(invocationOf(notify("CI failed"), event), notifiers, { ...ports, scope: "repo:acme/app" } as typeof ports);
    expect(slackArgs(slack.requests[0]!).text).toBe("CI failed");
    const blocks = blocksOf(slack.requests[0]!);
    expect(blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn", text: "CI failed" } });
    const buttons = blocks[1]!.elements!;
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ["hookline_rerun_failed_jobs", "Re-run failed jobs"],
      ["hookline_cancel_run", "Cancel run"],
      ["hookline_pause_automation", "Pause this automation"],
      ["hookline_open_run", "Open run"],
    ]);
    expect(JSON.parse(buttons[0]!.value!)).toEqual({ automation: "ci-alerts", scope: "repo:acme/app", repo: "acme/app", run_id: 123 });
    expect(JSON.parse(buttons[2]!.value!)).toEqual({ automation: "ci-alerts", scope: "repo:acme/app" });
    expect(buttons[3]!.url).toBe("https://github.com/acme/app/actions/runs/123");
  });

  it("the update of a run's first message keeps the buttons (thread replies stay plain text)", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    await runInvocation(invocationOf(notify("a"), runEvent("Running"), 0, "f1"), notifiers, ports);
    await runInvocation(invocationOf(notify("b"), runEvent("Failed"), 0, "f2"), notifiers, ports);
    const [, update, reply] = slack.requests;
    expect(blocksOf(update!)[1]!.elements!.map((b) => b.action_id)).toContain("hookline_rerun_failed_jobs");
    expect(slackArgs(reply!).blocks).toBeUndefined();
  });

  it("an event that is not a workflow run gets only Pause this automation; without a runtime scope the value has none", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    const push = runEvent("Completed", {
      event: "github.push",
      resource: { "prefect.resource.id": "github.repository.acme/app", "github.html_url": "javascript:alert(1)" },
    });
    await runInvocation(invocationOf(notify("pushed"), push), notifiers, ports);
    const buttons = blocksOf(slack.requests[0]!)[1]!.elements!;
    expect(buttons.map((b) => b.action_id)).toEqual(["hookline_pause_automation"]);
    expect(JSON.parse(buttons[0]!.value!)).toEqual({ automation: "ci-alerts" });
  });

  it("a body longer than a section allows is cut in the block, the text fallback keeps it whole", async () => {
    const slack = await slackApi();
    const { ports } = portsFor({ slack: slack.url, env: { SLACK_BOT: "xoxb" } });
    await runInvocation(invocationOf(notify("x".repeat(5000))), notifiers, ports);
    expect(String(slackArgs(slack.requests[0]!).text)).toHaveLength(5000);
    expect(blocksOf(slack.requests[0]!)[0]!.text!.text).toHaveLength(3000);
  });

  it("incoming-webhook mode stays text only", async () => {
    const hook = await server(() => ({ status: 200, body: "ok" }));
    const { ports } = portsFor({ env: { SLACK_HOOK: `${hook.url}/h` } });
    await runInvocation(invocationOf(notify("x")), { ops: { type: "slack", channel: "#ops", webhook_url_env: "SLACK_HOOK" } }, ports);
    expect(hook.requests[0]!.json).toEqual({ text: "x" });
  });
});
