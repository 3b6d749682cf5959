import { afterEach, describe, expect, it } from "vitest";
import { runInvocation, type Invocation } from "../../src/executors/index.js";
import type { Notifier } from "../../src/automations/types.js";
import { actionOf, invocationOf, portsFor, runEvent } from "../executors/helpers.js";
import { startHarness, waitFor, type Harness, type HarnessOptions, type Recorded } from "./harness.js";

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!();
});
async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(opts);
  open.push(h.close);
  return h;
}

/** the WebClient sends `blocks` as JSON inside a form, or as part of a JSON body */
function blocksOf(r: Recorded): Posted["blocks"] {
  const b = r.args.blocks;
  return (typeof b === "string" ? JSON.parse(b) : b) as Posted["blocks"];
}

interface Button {
  action_id: string;
  value?: string;
  url?: string;
  text: { text: string };
}
interface Posted {
  text: string;
  ts: string;
  blocks: { type: string; block_id?: string; elements?: Button[]; text?: { text: string } }[];
}

/** A failure notification posted by the real notify executor to the fake Slack API (as the server's outbox would). */
async function notify(h: Harness, scope = "repo:acme/app"): Promise<Posted> {
  const notifiers: Record<string, Notifier> = { ops: { type: "slack", channel: "#alerts", token_env: "SLACK_BOT" } };
  const event = runEvent("Failed", {
    resource: { ...runEvent().resource, "github.html_url": "https://github.com/acme/app/actions/runs/123" },
  });
  const base = invocationOf(
    actionOf("send-notification", { notifier: "ops", body: "CI failed on {{ event.resource['github.branch'] }}" }),
    event,
  );
  const inv: Invocation = { ...base, automation: { ...base.automation, name: "deploy-alerts" } };
  const { ports } = portsFor({ slack: h.slack.url, env: { SLACK_BOT: "xoxb-test-token" } });
  const out = await runInvocation(inv, notifiers, { ...ports, scope } as typeof ports);
  expect(out.status).toBe("executed");
  const post = h.slack.requests.filter((r) => r.path === "/api/chat.postMessage").at(-1)!;
  const res = out.status === "executed" ? (out.result as { ts: string }) : { ts: "" };
  return { text: String(post.args.text), ts: res.ts, blocks: blocksOf(post) };
}

function button(msg: Posted, actionId: string): Button {
  const found = msg.blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!found) throw new Error(`no button ${actionId}`);
  return found;
}

let clicks = 0;
/** Slack's block_actions payload for a click on `b` in `msg`, signed and posted like Slack does */
async function click(
  h: Harness,
  msg: Posted,
  b: Button,
  user = "UOPS1",
  value = b.value,
): Promise<{ status: number; respondPath: string }> {
  const respondPath = `/respond/click-${++clicks}`;
  const payload = {
    type: "block_actions",
    user: { id: user, username: "someone", team_id: "T1" },
    api_app_id: "A1",
    token: "legacy",
    container: { type: "message", message_ts: msg.ts, channel_id: "CALERTS", is_ephemeral: false },
    trigger_id: `trigger-click-${clicks}`,
    team: { id: "T1", domain: "acme" },
    channel: { id: "CALERTS", name: "alerts" },
    message: { type: "message", user: "UBOT", bot_id: "BBOT", text: msg.text, ts: msg.ts, blocks: msg.blocks },
    response_url: `${h.slack.url}${respondPath}`,
    actions: [
      {
        action_id: b.action_id,
        block_id: "hookline_buttons",
        text: { type: "plain_text", text: b.text.text },
        value,
        type: "button",
        action_ts: `1714560100.${clicks}`,
      },
    ],
  };
  const res = await h.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  return { status: res.status, respondPath };
}

const updates = (h: Harness) => h.slack.requests.filter((r) => r.path === "/api/chat.update");
const outcomeOf = (r: Recorded) => {
  const blocks = blocksOf(r) as { block_id?: string; elements?: { text?: string }[] }[];
  return blocks.filter((b) => b.block_id?.startsWith("hookline_outcome")).map((b) => b.elements?.[0]?.text ?? "");
};

describe("buttons of a failure notification", () => {
  it("the notification carries the text, Re-run failed jobs, Cancel run, Pause this automation and a link to the run", async () => {
    const h = await harness();
    const msg = await notify(h);
    expect(msg.text).toBe("CI failed on feature/x");
    expect(msg.blocks[0]).toMatchObject({ type: "section", text: { text: "CI failed on feature/x" } });
    expect(msg.blocks[1]!.elements!.map((e) => e.text.text)).toEqual([
      "Re-run failed jobs",
      "Cancel run",
      "Pause this automation",
      "Open run",
    ]);
    expect(JSON.parse(button(msg, "hookline_rerun_failed_jobs").value!)).toEqual({
      automation: "deploy-alerts",
      scope: "repo:acme/app",
      repo: "acme/app",
      run_id: 123,
    });
    expect(button(msg, "hookline_open_run").url).toBe("https://github.com/acme/app/actions/runs/123");
  });

  it("a click on Re-run failed jobs calls GitHub's rerun-failed-jobs endpoint and updates the message with who did it", async () => {
    const h = await harness();
    const msg = await notify(h);
    const { status } = await click(h, msg, button(msg, "hookline_rerun_failed_jobs"));
    expect(status).toBe(200);
    const update = await waitFor(() => updates(h)[0], "chat.update");
    expect(h.github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /repos/acme/app/actions/runs/123/rerun-failed-jobs"]);
    expect(h.github.requests[0]!.headers.authorization).toBe("token ghs_installation");
    expect(update.args).toMatchObject({ channel: "CALERTS", ts: msg.ts, text: msg.text });
    expect(outcomeOf(update)).toEqual([":white_check_mark: <@UOPS1> re-ran the failed jobs of run 123 of acme/app."]);
    // the buttons stay for the next click
    expect((blocksOf(update)[1] as { elements: unknown[] }).elements).toHaveLength(4);
  });

  it("a failed Cancel run updates the message with the error GitHub gave", async () => {
    const h = await harness({ githubReply: () => ({ status: 409, body: { message: "Cannot cancel a workflow run that is completed." } }) });
    const msg = await notify(h);
    await click(h, msg, button(msg, "hookline_cancel_run"));
    const update = await waitFor(() => updates(h)[0], "chat.update");
    expect(h.github.requests[0]!.path).toBe("/repos/acme/app/actions/runs/123/cancel");
    const [line] = outcomeOf(update);
    expect(line).toContain("<@UOPS1> tried to cancel run 123 of acme/app, and it failed");
    expect(line).toContain("Cannot cancel a workflow run that is completed.");
  });

  it("an unauthorized click changes nothing: no GitHub call, no message update, a private denial", async () => {
    const h = await harness();
    const msg = await notify(h);
    const { respondPath } = await click(h, msg, button(msg, "hookline_rerun_failed_jobs"), "UINTRUDER");
    const denial = await waitFor(() => h.slack.requests.find((r) => r.path === respondPath), "the denial");
    expect(denial.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(denial.args.text)).toContain("you may not rerun `deploy-alerts` in repo:acme/app");
    expect(h.github.requests).toEqual([]);
    expect(updates(h)).toEqual([]);
  });

  it("Pause this automation pauses it (store + event with the actor) and says so in the message", async () => {
    const h = await harness({ sql: true });
    const msg = await notify(h);
    await click(h, msg, button(msg, "hookline_pause_automation"));
    const update = await waitFor(() => updates(h)[0], "chat.update");
    expect(outcomeOf(update)[0]).toContain("<@UOPS1> paused `acme/app:deploy-alerts` until resumed");
    expect(await h.store.listPauses("repo:acme/app", Date.now())).toMatchObject([{ automation: "deploy-alerts", by: "slack:UOPS1" }]);
    const events = (await h.store.listEvents({ name: "hookline.automation.paused", limit: 10 })).events;
    expect(events.map((e) => e.event.related)).toEqual([
      [
        expect.objectContaining({ "prefect.resource.id": "slack.user.UOPS1", "prefect.resource.role": "actor" }),
        expect.objectContaining({ "prefect.resource.id": "hookline.origin.slack.UOPS1", "prefect.resource.role": "origin" }),
      ],
    ]);
  });

  it("a button value that is not hookline's (tampered JSON, unknown fields) is refused privately and does nothing", async () => {
    const h = await harness();
    const msg = await notify(h);
    for (const value of [
      "{not json",
      JSON.stringify({ automation: "deploy-alerts", repo: "acme/app", run_id: 123, __proto__x: 1 }),
      JSON.stringify({ automation: "x", repo: "../../etc", run_id: 1 }),
    ]) {
      const { respondPath } = await click(h, msg, button(msg, "hookline_rerun_failed_jobs"), "UOPS1", value);
      const answer = await waitFor(() => h.slack.requests.find((r) => r.path === respondPath), "the refusal");
      expect(String(answer.args.text)).toContain("nothing was done");
    }
    expect(h.github.requests).toEqual([]);
    expect(updates(h)).toEqual([]);
  });

  it("a click on the link button is acknowledged and does nothing else", async () => {
    const h = await harness();
    const msg = await notify(h);
    expect((await click(h, msg, button(msg, "hookline_open_run"))).status).toBe(200);
    expect(h.github.requests).toEqual([]);
    expect(updates(h)).toEqual([]);
  });

  it("without a scope in the button (the Action's notifications) the automation is looked up, its repository first", async () => {
    const h = await harness();
    const msg = await notify(h, "");
    expect(JSON.parse(button(msg, "hookline_rerun_failed_jobs").value!).scope).toBeUndefined();
    await click(h, msg, button(msg, "hookline_rerun_failed_jobs"));
    await waitFor(() => updates(h)[0], "chat.update");
    expect(h.github.requests.map((r) => r.path)).toEqual(["/repos/acme/app/actions/runs/123/rerun-failed-jobs"]);
  });
});
