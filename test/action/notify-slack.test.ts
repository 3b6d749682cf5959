/**
 * dist/index.js, `mode: notify` (issue 17) against local GitHub and Slack servers: a 429 is waited out and the
 * message posted once; a Slack failure is a warning unless `fail-on-error`; the incoming-webhook path posts the
 * same message under the same filters; the `template` input; state families and combined filters; re-runs say
 * "attempt N". Under Node 24 only, action.yml's `using: node24` (notify-and-injection.test.ts covers Node 20 too).
 */
import { describe, expect, it } from "vitest";
import { withFakeApis, type FakeGitHub, type FakeSlack } from "./fake-apis.js";
import { nodeBinaries, runDist } from "./run-dist.js";

const RUN_ID = "1234567";
const JOB_URL = `https://github.com/octo-org/octo-repo/actions/runs/${RUN_ID}/job/42`;
const step = (name: string, conclusion: string | null, status = "completed") => ({ name, status, conclusion, number: 1 });
const job = (name: string, steps: unknown[]) => ({
  id: 42,
  name,
  status: "in_progress",
  conclusion: null,
  started_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  runner_name: "GitHub Actions 7",
  steps: [...steps, step("hookline notify", null, "in_progress")],
});
const node = nodeBinaries().at(-1)!.node;

describe("dist/index.js notify under node 24", () => {
  let gh: FakeGitHub;
  let slack: FakeSlack;
  withFakeApis((g, s) => ((gh = g), (slack = s)));
  const notify = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    runDist({
      node,
      apiUrl: gh.url,
      inputs: { mode: "notify", "slack-api-url": slack.url, "slack-token": "xoxb-n", channel: "#ci", ...inputs },
      env: { GITHUB_JOB: "build", RUNNER_NAME: "GitHub Actions 7", GITHUB_WORKFLOW: "CI", GITHUB_REF_NAME: "main", ...env },
    });
  const failed = () => gh.jobs.set(RUN_ID, [job("build", [step("test", "failure")])]);
  const posts = () => slack.calls.filter((c) => c.method === "chat.postMessage" || c.method === "webhook");

  it("a Slack 429 is waited out (Retry-After) and the message posted once; the job stays green", async () => {
    failed();
    slack.script.push({ status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } });
    const r = await notify({});
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts()).toHaveLength(2); // the refused one, then the one Slack took
    expect(posts()[1]!.body.text).toBe(posts()[0]!.body.text);
    expect(r.outputs.fired).toBe("1");
    expect(r.annotations).toEqual([]);
  });

  it("a Slack error that retries cannot fix is a warning with the fix, the job unchanged; fail-on-error: true fails the step", async () => {
    failed();
    slack.script.push({ status: 200, body: { ok: false, error: "not_in_channel" } });
    const r = await notify({});
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts()).toHaveLength(1); // a configuration error is not retried
    expect(r.outputs).toMatchObject({ state: "Failed", fired: "0" });
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]).toMatchObject({ level: "warning", props: { title: "hookline notify: Slack did not take the message" } });
    expect(r.annotations[0]!.message).toMatch(/^HOOKLINE_SLACK_ERROR: .*invite the bot to the channel.*fail-on-error: true/);

    slack.script.push({ status: 200, body: { ok: false, error: "not_in_channel" } });
    const strict = await notify({ "fail-on-error": "true" });
    expect(strict.code).toBe(1);
    expect(strict.annotations.at(-1)).toMatchObject({ level: "error" });
    expect(strict.annotations.at(-1)!.message).toMatch(/^HOOKLINE_SLACK_ERROR: .*invite the bot/);
  });

  it("an incoming webhook (slack-webhook-url) gets the same Block Kit message under the same filters, the URL masked", async () => {
    failed();
    const bot = await notify({ only_states: "Failed" });
    expect(bot.code, bot.stdout + bot.stderr).toBe(0);
    const hook = await notify({ "slack-token": "", channel: "", "slack-webhook-url": slack.webhookUrl, only_states: "Failed" });
    expect(hook.code, hook.stdout + hook.stderr).toBe(0);
    const [viaBot, viaHook] = posts();
    expect(viaHook!.method).toBe("webhook");
    expect(viaHook!.auth).toBeUndefined();
    expect(viaHook!.body.text).toBe(viaBot!.body.text);
    expect(viaHook!.body.blocks).toEqual(JSON.parse(viaBot!.body.blocks));
    expect(viaHook!.body.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(hook.stdout).toContain(`::add-mask::${slack.webhookUrl}`);
    expect(hook.stdout.split(`::add-mask::${slack.webhookUrl}`).join("")).not.toContain("secretpart");

    gh.jobs.set(RUN_ID, [job("build", [step("test", "success")])]);
    const filtered = await notify({ "slack-token": "", channel: "", "slack-webhook-url": slack.webhookUrl, only_states: "Failed" });
    expect(filtered.outputs).toMatchObject({ state: "Completed", fired: "0" });
    expect(posts()).toHaveLength(2);
  });

  it("the incoming webhook is retried after a 429 as well, and posts once", async () => {
    failed();
    slack.script.push({ status: 429, headers: { "retry-after": "1" }, body: "rate_limited" });
    const r = await notify({ "slack-token": "", channel: "", "slack-webhook-url": slack.webhookUrl });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts().map((c) => c.method)).toEqual(["webhook", "webhook"]);
    expect(r.outputs.fired).toBe("1");
    expect(r.annotations).toEqual([]);
  });

  it("template: the user's message, with the job, state, attempt, failed steps and link escaped for Slack; a broken one fails before posting", async () => {
    gh.jobs.set(RUN_ID, [job("<!channel> deploy", [step("test <b>", "failure")])]);
    const template = "{{ icon }} {{ job.name }} {{ state }} attempt {{ attempt }}: {{ failed_steps | join(', ') }} <{{ url }}|logs>";
    const r = await notify({ template, mention: "U0ONCALL" }, { GITHUB_RUN_ATTEMPT: "2" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts()[0]!.body.text).toBe(`<@U0ONCALL> :x: &lt;!channel&gt; deploy Failed attempt 2: test &lt;b&gt; <${JOB_URL}|logs>`);

    const broken = await notify({ template: "{{ job.name " });
    expect(broken.code).toBe(1);
    expect(broken.annotations.at(-1)!.message).toMatch(/^HOOKLINE_ACTION_INPUT: input `template`: /);
    expect(posts()).toHaveLength(1);
  });

  it("a re-run posts a new message that says attempt N (notify keeps no state)", async () => {
    failed();
    const r = await notify({}, { GITHUB_RUN_ATTEMPT: "3" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(posts()[0]!.body.text).toContain(`<${JOB_URL}|run ${RUN_ID}, attempt 3>`);
    expect(gh.stateCalls()).toEqual([]);
  });

  it("state families: only_states Failed also posts a timed-out job; ignore_states TimedOut combined with it leaves only failures", async () => {
    gh.jobs.set(RUN_ID, [job("build", [step("test", "cancelled")])]);
    const timedOut = { "job-status": "cancelled", "timeout-minutes": "5" };
    expect((await notify({ only_states: "Failed", ...timedOut })).outputs).toMatchObject({ state: "TimedOut", fired: "1" });
    expect((await notify({ only_states: "Failed", ignore_states: "TimedOut", ...timedOut })).outputs).toMatchObject({
      state: "TimedOut",
      fired: "0",
    });
    failed();
    expect((await notify({ only_states: "Failed", ignore_states: "TimedOut" })).outputs).toMatchObject({ state: "Failed", fired: "1" });
    expect(posts()).toHaveLength(2);
  });

  it("a filter naming a state notify never produces is HOOKLINE_ACTION_INPUT with the states it can, before any call", async () => {
    const refused: Array<Record<string, string>> = [
      { only_states: "Running" },
      { ignore_states: "Completed, Skipped" },
      { only_states: "Failed, Bogus" },
    ];
    for (const inputs of refused) {
      const r = await notify(inputs);
      expect(r.code).toBe(1);
      expect(r.annotations.at(-1)!.message).toMatch(/^HOOKLINE_ACTION_INPUT: .*use one or more of Completed, Failed, Cancelled, TimedOut/);
    }
    expect(gh.requests).toEqual([]);
    expect(slack.calls).toEqual([]);
  });

  it("neither slack-token nor slack-webhook-url, or a webhook URL that is not http(s), fails with HOOKLINE_ACTION_INPUT and hides the value", async () => {
    const none = await notify({ "slack-token": "" });
    expect(none.annotations.at(-1)!.message).toMatch(/^HOOKLINE_ACTION_INPUT: .*slack-webhook-url/);
    const bad = await notify({ "slack-token": "", "slack-webhook-url": "ftp://hooks.example/secretpart" });
    expect(bad.code).toBe(1);
    expect(bad.annotations.at(-1)!.message).toMatch(/^HOOKLINE_ACTION_INPUT: input `slack-webhook-url` must be an https URL/);
    expect(bad.stdout.replace(/::add-mask::.*\n/g, "")).not.toContain("secretpart");
    expect(slack.calls).toEqual([]);
  });
});
