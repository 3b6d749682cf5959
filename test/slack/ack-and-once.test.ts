/**
 * Issue 12, item 7: an ack never waits on Slack's API (Bolt's auth.test per request made acks miss Slack's 3 s
 * when the API was slow, and the command was dropped), and a command or click Slack delivers again (same
 * trigger_id, re-signed, X-Slack-Retry-Num) runs once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { nowSec, startHarness, waitFor, type Harness, type HarnessOptions } from "./harness.js";

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});
async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h.close);
  return h;
}

let seq = 0;
/** a /hookline command as Slack posts it; the same form posted again is Slack's retry of it */
function commandForm(h: Harness, text: string): { form: string; respondPath: string } {
  const respondPath = `/respond/once-${++seq}`;
  const form = new URLSearchParams({
    token: "legacy",
    team_id: "T1",
    team_domain: "acme",
    channel_id: "CGENERAL",
    channel_name: "general",
    user_id: "UOPS1",
    user_name: "someone",
    command: "/hookline",
    text,
    api_app_id: "A1",
    response_url: `${h.slack.url}${respondPath}`,
    trigger_id: `trigger-once-${seq}`,
  }).toString();
  return { form, respondPath };
}

/** a click on a notification's Pause button as Slack posts it */
function pauseClickForm(h: Harness): string {
  const n = ++seq;
  const payload = {
    type: "block_actions",
    user: { id: "UOPS1", username: "someone", team_id: "T1" },
    api_app_id: "A1",
    token: "legacy",
    container: { type: "message", message_ts: "1714560000.000001", channel_id: "CALERTS", is_ephemeral: false },
    trigger_id: `trigger-click-once-${n}`,
    team: { id: "T1", domain: "acme" },
    channel: { id: "CALERTS", name: "alerts" },
    response_url: `${h.slack.url}/respond/click-once-${n}`,
    actions: [
      {
        action_id: "hookline_pause_automation",
        block_id: "hookline_buttons",
        text: { type: "plain_text", text: "Pause this automation" },
        value: JSON.stringify({ automation: "deploy-alerts", scope: "repo:acme/app" }),
        type: "button",
        action_ts: `1714560100.${n}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

const RETRY = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
const authTests = (h: Harness) => h.slack.requests.filter((r) => r.path === "/api/auth.test").length;
const answersTo = (h: Harness, path: string) => h.slack.requests.filter((r) => r.path === path);

/** polls an asynchronous condition (the store) until it holds; fails after ~10 s */
async function until(fn: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function changes(h: Harness) {
  const res = await h.store.listEvents({ name: "hookline.automation.*", limit: 100 });
  return res.events.map((e) => e.event.event).filter((n) => n === "hookline.automation.paused" || n === "hookline.automation.resumed");
}

describe("an ack never waits on Slack's API", () => {
  it("with Slack's API answering 5 s late, a slash command is acknowledged (200) before the API answered anything, and still runs", async () => {
    const h = await harness({ slackDelayMs: 5000 });
    const { form, respondPath } = commandForm(h, "help");
    const res = await h.post(form);
    expect(res.status).toBe(200);
    // order, not time: the ack came back while every request to the stand-in was still unanswered
    expect(h.slack.answered()).toBe(0);
    const answer = await waitFor(() => answersTo(h, respondPath)[0], "the command's answer");
    expect(String(answer.args.text)).toContain("/hookline pause");
  });

  it("no request path calls auth.test: the bot learns its ids once at start, commands and clicks never ask", async () => {
    const h = await harness();
    await waitFor(() => authTests(h) === 1 || undefined, "the start's auth.test");
    for (const text of ["help", "list", "status deploy-alerts"]) expect((await h.command(text)).status).toBe(200);
    expect((await h.post(pauseClickForm(h))).status).toBe(200);
    await until(async () => (await changes(h)).length === 1, "the click's pause");
    expect(authTests(h)).toBe(1);
  });
});

describe("a command or click runs once", () => {
  it("a retried command (same trigger_id, re-signed, X-Slack-Retry-Num: 1) runs once: one pause recorded, one message", async () => {
    const h = await harness();
    const pause = commandForm(h, "pause deploy-alerts");
    expect((await h.post(pause.form, { timestamp: nowSec() - 1 })).status).toBe(200);
    // Slack's retry: the same form, signed again at another time, acknowledged like any request
    expect((await h.post(pause.form, { timestamp: nowSec(), headers: RETRY })).status).toBe(200);
    // positive control: a distinct command runs; by its answer the retry has long been handled
    const resume = commandForm(h, "resume deploy-alerts");
    expect((await h.post(resume.form)).status).toBe(200);
    await waitFor(() => answersTo(h, resume.respondPath)[0], "the resume's answer");
    await waitFor(() => answersTo(h, pause.respondPath)[0], "the pause's answer");
    expect(await changes(h)).toEqual(["hookline.automation.paused", "hookline.automation.resumed"]);
    expect(answersTo(h, pause.respondPath)).toHaveLength(1);
    expect(h.logs.some((l) => l.msg === "slack command retried: already run")).toBe(true);
  });

  it("two distinct commands with the same text both run (each its own trigger_id)", async () => {
    const h = await harness();
    const first = commandForm(h, "pause deploy-alerts");
    const second = commandForm(h, "pause deploy-alerts");
    expect((await h.post(first.form)).status).toBe(200);
    expect((await h.post(second.form)).status).toBe(200);
    await waitFor(() => answersTo(h, first.respondPath)[0], "the first answer");
    await waitFor(() => answersTo(h, second.respondPath)[0], "the second answer");
    expect(h.logs.some((l) => l.msg === "slack command retried: already run")).toBe(false);
  });

  it("a retried click (same trigger_id and action_ts) runs once: one pause recorded", async () => {
    const h = await harness();
    const click = pauseClickForm(h);
    expect((await h.post(click, { timestamp: nowSec() - 1 })).status).toBe(200);
    expect((await h.post(click, { timestamp: nowSec(), headers: RETRY })).status).toBe(200);
    await waitFor(() => h.logs.some((l) => l.msg === "slack button retried: already run") || undefined, "the retry to be dropped");
    await until(async () => (await changes(h)).length > 0, "the click's pause");
    expect(await changes(h)).toEqual(["hookline.automation.paused"]);
  });
});
