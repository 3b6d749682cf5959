/**
 * The "Done when", end to end: dist/index.js run as the runner runs it (Node 20 and Node 24) against
 * local servers standing in for the GitHub API (with the Git Data API of refs/hookline/state) and Slack.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withFakeApis, type FakeGitHub, type FakeSlack } from "./fake-apis.js";
import { ROOT, nodeBinaries, runDist, type RunOptions } from "./run-dist.js";

type Webhook = { name: string; payload: Record<string, any> };
const webhooks = (example: string): Webhook[] =>
  readFileSync(join(ROOT, `examples/${example}/webhooks.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Webhook);
const example = (name: string) => readFileSync(join(ROOT, `examples/${name}/automations.yaml`), "utf8");

/**
 * The payload's times moved so that `anchor` becomes `to` (epoch ms). The stuck-run story needs times near the
 * real clock: a schedule run advances the engine to the wall clock, and an engine idle for years forgets runs.
 */
function shifted(payload: Record<string, any>, anchor: string, to: number): Record<string, any> {
  const delta = to - Date.parse(anchor);
  return JSON.parse(JSON.stringify(payload), (_k, v) =>
    typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)
      ? new Date(Date.parse(v) + delta).toISOString().replace(/\.000Z$/, "Z")
      : v,
  );
}

const ci = webhooks("notify-failed-runs");
const build = webhooks("dispatch-follow-up");
const e2e = webhooks("stuck-run");

/** notify-failed-runs with the bot token from the `slack-token` input (no token_env: HOOKLINE_SLACK_TOKEN) */
const FAILED_ONLY = example("notify-failed-runs").replace(
  "    token_env: SLACK_BOT_TOKEN # the secret is named by its environment variable, never written here\n",
  "",
);

describe.each(nodeBinaries())("Done when, dist/index.js under $label", ({ node }) => {
  let gh: FakeGitHub;
  let slack: FakeSlack;
  withFakeApis((g, s) => ((gh = g), (slack = s)));
  // every evaluator run has its own GITHUB_RUN_ID (the delivery of its event), as on GitHub; a re-run keeps it
  let runId = 4000;
  const run = (o: Omit<RunOptions, "node" | "apiUrl">) =>
    runDist({
      ...o,
      node,
      apiUrl: gh.url,
      inputs: { "slack-api-url": slack.url, ...o.inputs },
      env: { GITHUB_RUN_ID: String(++runId), ...o.env },
    });
  const posts = () => slack.calls.filter((c) => c.method === "chat.postMessage");

  it("a Slack message only for FAILED runs of the chosen workflow: success and other workflows post nothing", async () => {
    const files = { ".github/automations.yaml": FAILED_ONLY };
    const inputs = { "slack-token": "xoxb-test" };
    for (const quiet of [ci[2]!, ci[8]!, ci[11]!]) {
      const r = await run({ event: quiet.payload, files, inputs });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.fired).toBe("0");
    }
    expect(slack.calls).toEqual([]);
    const r = await run({ event: ci[14]!.payload, files, inputs });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.fired).toBe("1");
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.auth).toBe("Bearer xoxb-test");
    expect(posts()[0]!.body.channel).toBe("#ci-alerts");
    expect(posts()[0]!.body.text).toContain("CI #");
    expect(posts()[0]!.body.text).toContain("on `main`");
    const actions = JSON.parse(r.outputs.actions!) as Array<Record<string, any>>;
    expect(actions.map((a) => [a.type, a.status])).toEqual([["send-notification", "executed"]]);
    expect(r.summary).toContain("<td>send-notification</td><td>executed</td>");
    // Slack threading needs state: the run's message is kept in refs/hookline/state
    expect(Object.values(gh.state().threads)).toEqual([expect.objectContaining({ channel: "C0CIALERTS" })]);
  });

  it("a dispatch of a follow-up workflow with inputs from the event (stateless: the only state call records it)", async () => {
    const files = { ".github/automations.yaml": example("dispatch-follow-up") };
    const quiet = await run({ event: build[5]!.payload, files });
    expect(quiet.outputs.fired).toBe("0");
    expect(gh.requests).toEqual([]); // a stateless config that fires nothing makes no API call at all
    const r = await run({ event: build[8]!.payload, files });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dispatches = gh.requests.filter((q) => q.method === "POST" && q.path.endsWith("/dispatches"));
    expect(dispatches.map((d) => d.path)).toEqual(["/repos/octo-org/octo-repo/actions/workflows/deploy-staging.yml/dispatches"]);
    const run9103 = build[8]!.payload.workflow_run;
    expect(dispatches[0]!.body).toEqual({
      ref: "main",
      inputs: { sha: run9103.head_sha, branch: "main", build_run_id: "9103", build_url: run9103.html_url },
      return_run_details: true,
    });
    expect(dispatches[0]!.headers.authorization).toBe("token test-token");
    const events = (JSON.parse(r.outputs.events!) as Array<{ event: string }>).map((e) => e.event);
    expect(events).toEqual([
      "github.workflow-run.Completed",
      "hookline.automation.triggered",
      "hookline.action.triggered",
      "hookline.action.executed",
    ]);
    expect(Object.keys(gh.state().dedupe)).toEqual([expect.stringMatching(/^action:/)]);
  });

  it("re-running the same workflow run does not fire twice (stateless: recorded action keys are skipped)", async () => {
    const files = { ".github/automations.yaml": example("dispatch-follow-up") };
    await run({ event: build[8]!.payload, files, env: { GITHUB_RUN_ID: "777", GITHUB_RUN_ATTEMPT: "1" } });
    const again = await run({ event: build[8]!.payload, files, env: { GITHUB_RUN_ID: "777", GITHUB_RUN_ATTEMPT: "2" } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(gh.requests.filter((q) => q.path.endsWith("/dispatches"))).toHaveLength(1);
    expect((JSON.parse(again.outputs.actions!) as Array<{ status: string }>).map((a) => a.status)).toEqual(["skipped"]);
  });

  it("re-running the same workflow run does not fire twice (stateful: the event id is recorded with the firing)", async () => {
    const files = { ".github/automations.yaml": FAILED_ONLY };
    const inputs = { "slack-token": "xoxb-test" };
    await run({ event: ci[14]!.payload, files, inputs, env: { GITHUB_RUN_ID: "777", GITHUB_RUN_ATTEMPT: "1" } });
    const again = await run({ event: ci[14]!.payload, files, inputs, env: { GITHUB_RUN_ID: "777", GITHUB_RUN_ATTEMPT: "2" } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.outputs.fired).toBe("0");
    expect(posts()).toHaveLength(1);
  });

  it("an alert when a run stays Running past its limit (a schedule run advances the clock), then a recovered update of the same message", async () => {
    const files = { ".github/automations.yaml": example("stuck-run") };
    const env = { SLACK_BOT_TOKEN: "xoxb-e2e" };
    // E2E #741 started 47 minutes ago (limit 30m) and finishes a minute before now: a late event, after the tick
    const now = Date.now();
    const finished = "2024-05-08T10:52:10Z";
    const running = await run({ event: shifted(e2e[3]!.payload, finished, now - 60_000), files, env: { ...env, GITHUB_RUN_ID: "501" } });
    expect(running.code, running.stdout + running.stderr).toBe(0);
    expect(running.outputs.fired).toBe("0");
    expect(slack.calls).toEqual([]);

    const tick = await run({ eventName: "schedule", event: { schedule: "*/5 * * * *" }, files, env: { ...env, GITHUB_RUN_ID: "502" } });
    expect(tick.code, tick.stdout + tick.stderr).toBe(0);
    expect(tick.outputs.fired).toBe("1");
    expect(posts()).toHaveLength(1);
    const alert = posts()[0]!;
    expect(alert.body.text).toContain("is stuck");
    expect(alert.body.thread_ts).toBeUndefined();

    const done = await run({ event: shifted(e2e[5]!.payload, finished, now - 60_000), files, env: { ...env, GITHUB_RUN_ID: "503" } });
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.outputs.fired).toBe("1");
    const [update] = slack.calls.filter((c) => c.method === "chat.update");
    expect(update?.body).toMatchObject({ channel: "C0CIALERTS", ts: "1700000001.000100" });
    expect(update?.body.text).toContain("recovered");
    const reply = posts()[1]!;
    expect(reply.body).toMatchObject({ channel: "C0CIALERTS", thread_ts: "1700000001.000100" });

    // a later tick has nothing left to say
    const later = await run({ eventName: "schedule", event: { schedule: "*/5 * * * *" }, files, env: { ...env, GITHUB_RUN_ID: "504" } });
    expect(later.outputs.fired).toBe("0");
    expect(slack.calls).toHaveLength(3);
  });

  it("parallel evaluator runs never lose a count: 4 concurrent failures, threshold 4, exactly one firing", async () => {
    const files = {
      ".github/automations.yaml": `automations:
  - name: flaky-ci
    trigger:
      expect: [github.workflow-run.Failed]
      threshold: 4
      within: 1h
    actions: [{type: run-workflow, workflow: triage.yml, ref: main}]
`,
    };
    // four failed runs within a minute (whatever order their evaluator runs land in)
    const now = Date.now();
    const failures = [ci[5]!, ci[8]!, ci[14]!, build[5]!].map((w, i) =>
      shifted(w.payload, w.payload.workflow_run.updated_at, now - 60_000 + i * 1000),
    );
    const results = await Promise.all(failures.map((event) => run({ event, files })));
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(results.map((r) => Number(r.outputs.fired)).reduce((a, b) => a + b, 0)).toBe(1);
    expect(gh.requests.filter((q) => q.path.endsWith("/dispatches"))).toHaveLength(1);
    const recorded = Object.keys(gh.state().dedupe);
    for (const r of results) expect(recorded).toContain(`event:${(JSON.parse(r.outputs.events!) as Array<{ id: string }>)[0]!.id}`);
  });

  it("red annotations for a broken automations.yaml in validate mode (the PR check)", async () => {
    const broken = FAILED_ONLY.replace(
      "expect: [github.workflow-run.Failed, github.workflow-run.TimedOut]",
      "expect: [github.workflow-run.Failed]\n      within: soon",
    );
    const r = await run({
      eventName: "pull_request",
      event: {},
      files: { ".github/automations.yaml": broken },
      inputs: { mode: "validate" },
    });
    expect(r.code).toBe(1);
    const errors = r.annotations.filter((a) => a.level === "error" && a.props.file === ".github/automations.yaml");
    expect(errors.length).toBeGreaterThan(0);
    expect(Number(errors[0]!.props.line)).toBeGreaterThan(0);
    expect(Number(errors[0]!.props.col)).toBeGreaterThan(0);
    expect(gh.requests).toEqual([]);
    expect(slack.calls).toEqual([]);
  });
});
