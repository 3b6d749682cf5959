/**
 * dist/index.js: `mode: notify` (the per-job state handler) against local GitHub and Slack servers, and crafted
 * events that try to inject into annotations, outputs, the summary, a shell, templates and Slack markup.
 */
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withFakeApis, type FakeGitHub, type FakeSlack } from "./fake-apis.js";
import { ROOT, nodeBinaries, runDist, type RunOptions } from "./run-dist.js";

const RUN_ID = "1234567";
const step = (name: string, conclusion: string | null, status = "completed") => ({ name, status, conclusion, number: 1 });
const job = (name: string, steps: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 42,
  name,
  status: "in_progress",
  conclusion: null,
  started_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  runner_name: "GitHub Actions 7",
  steps: [...steps, step("hookline notify", null, "in_progress")],
  ...extra,
});

const webhooks = readFileSync(join(ROOT, "examples/dispatch-follow-up/webhooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { payload: Record<string, any> });

describe.each(nodeBinaries())("dist/index.js under $label", ({ node }) => {
  let gh: FakeGitHub;
  let slack: FakeSlack;
  withFakeApis((g, s) => ((gh = g), (slack = s)));
  const run = (o: Omit<RunOptions, "node" | "apiUrl">) =>
    runDist({ ...o, node, apiUrl: gh.url, inputs: { "slack-api-url": slack.url, ...o.inputs } });
  const notify = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    run({
      inputs: { mode: "notify", "slack-token": "xoxb-n", channel: "#ci", ...inputs },
      env: { GITHUB_JOB: "build", RUNNER_NAME: "GitHub Actions 7", GITHUB_WORKFLOW: "CI", GITHUB_REF_NAME: "main", ...env },
    });

  describe("notify", () => {
    it("a failed job posts its state, the failed step and the mentions; the state is an output", async () => {
      gh.jobs.set(RUN_ID, [job("build", [step("checkout", "success"), step("test", "failure")]), job("other", [], { runner_name: "r9" })]);
      const r = await notify({ only_states: "Failed", mention: "U0ONCALL, S0TEAM" });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.state).toBe("Failed");
      expect(slack.calls).toHaveLength(1);
      const { body, auth } = slack.calls[0]!;
      expect(auth).toBe("Bearer xoxb-n");
      expect(body.channel).toBe("#ci");
      expect(body.text).toMatch(/^<@U0ONCALL> <!subteam\^S0TEAM> :x: \*CI\* \/ \*build\*: Failed on `main`/);
      expect(body.text).toContain(`<https://github.com/octo-org/octo-repo/actions/runs/${RUN_ID}/job/42|run ${RUN_ID}>`);
      expect(body.text).toContain("Steps: `test`");
      expect(gh.requests.map((q) => q.path)).toEqual([`/repos/octo-org/octo-repo/actions/runs/${RUN_ID}/jobs?filter=latest&per_page=100`]);
      expect(gh.requests[0]!.headers.authorization).toBe("token test-token");
    });

    it("only_states: Failed posts nothing for a successful job, and a continue-on-error failure with job-status success is a success", async () => {
      gh.jobs.set(RUN_ID, [job("build", [step("lint", "failure"), step("test", "success")])]);
      const r = await notify({ only_states: "Failed", "job-status": "success" });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.state).toBe("Completed");
      expect(r.outputs.fired).toBe("0");
      expect(slack.calls).toEqual([]);
    });

    it("cancelled and timed-out jobs are reported as such, without mentions when cancelled", async () => {
      gh.jobs.set(RUN_ID, [job("build", [step("test", "cancelled")])]);
      const cancelled = await notify({ mention: "U0ONCALL", "job-status": "cancelled" });
      expect(cancelled.outputs.state).toBe("Cancelled");
      expect(slack.calls[0]!.body.text).toMatch(/^:no_entry_sign: /);
      const timedOut = await notify({ mention: "U0ONCALL", "job-status": "cancelled", "timeout-minutes": "5" });
      expect(timedOut.outputs.state).toBe("TimedOut");
      expect(slack.calls[1]!.body.text).toMatch(/^<@U0ONCALL> :hourglass: /);
    });

    it("ignore_states skips the listed states; a job the API cannot find is a clear error", async () => {
      gh.jobs.set(RUN_ID, [job("build", [step("test", "success")])]);
      const r = await notify({ ignore_states: "Completed" });
      expect(r.code).toBe(0);
      expect(slack.calls).toEqual([]);
      gh.jobs.set(RUN_ID, [job("a", [], { runner_name: "x" }), job("b", [], { runner_name: "y" })]);
      const lost = await notify({});
      expect(lost.code).toBe(1);
      expect(lost.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_NOTIFY_JOB: /);
    });

    it("missing slack-token or channel, and a bad job-status, fail with HOOKLINE_ACTION_INPUT before any call", async () => {
      const bad: Array<Record<string, string>> = [
        { "slack-token": "" },
        { channel: "" },
        { "job-status": "${{ job.status }}" },
        { "timeout-minutes": "soon" },
      ];
      for (const inputs of bad) {
        const r = await notify(inputs);
        expect(r.code).toBe(1);
        expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_INPUT: /);
      }
      expect(gh.requests).toEqual([]);
      expect(slack.calls).toEqual([]);
    });

    it("a job name with Slack markup cannot mention the channel or forge a link", async () => {
      gh.jobs.set(RUN_ID, [job("<!channel> <https://evil.example|click> & `x`", [step("t", "failure")])]);
      const r = await notify({});
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const text = slack.calls[0]!.body.text!;
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://evil");
      expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp;");
    });
  });

  describe("a crafted event", () => {
    const marker = join(tmpdir(), `hookline-pwned-${process.pid}-${Date.now()}`);
    const HOSTILE = `main\n::set-output name=fired::999\n::error::pwned\n$(touch ${marker})\`touch ${marker}\`{{ 7*7 }}{% raw %}<script>alert(1)</script>|`;
    const AUTOMATIONS = `notifiers:
  ci: {type: slack, channel: "#ci", token_env: SLACK_BOT_TOKEN}
automations:
  - name: deploy
    trigger:
      expect: github.workflow-run.Completed
      match: {github.workflow: Build}
    actions:
      - type: run-workflow
        workflow: deploy.yml
        ref: main
        inputs: {branch: "{{ workflow_run.head_branch }}", title: "{{ workflow_run.display_title }}"}
      - type: send-notification
        notifier: ci
        body: "built {{ workflow_run.head_branch }}"
`;

    it("cannot inject into annotations, outputs, the summary, a shell, templates or Slack markup", async () => {
      const event = structuredClone(webhooks[8]!.payload);
      event.workflow_run.head_branch = HOSTILE;
      event.workflow_run.display_title = '{{ range.constructor("return process")() }} ${{ secrets.TOKEN }}';
      const r = await run({ event, files: { ".github/automations.yaml": AUTOMATIONS }, env: { SLACK_BOT_TOKEN: "xoxb-i" } });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // runner commands: no line of the log starts one, no annotation appears
      expect(r.stdout).not.toMatch(/^::(set-output|error)/m);
      expect(r.annotations).toEqual([]);
      // outputs: exactly the three, `fired` untouched
      expect(Object.keys(r.outputs).sort()).toEqual(["actions", "events", "fired"]);
      expect(r.outputs.fired).toBe("1");
      // the summary: escaped text, no markup
      expect(r.summary).not.toContain("<script>");
      expect(r.summary).toContain("<td>deploy</td><td>Triggered</td>");
      expect(JSON.parse(r.outputs.events!)[0].resource["github.branch"]).toBe(HOSTILE);
      // no shell ever ran the branch name
      expect(existsSync(marker)).toBe(false);
      // templates: data is data, never rendered again
      const dispatch = gh.requests.find((q) => q.path.endsWith("/dispatches"))!;
      expect(dispatch.body.inputs).toEqual({ branch: HOSTILE, title: event.workflow_run.display_title });
      const text = slack.calls.find((c) => c.method === "chat.postMessage")!.body.text!;
      expect(text).toContain("{{ 7*7 }}");
      // (the marker path holds a pid and a timestamp, whose digits may contain "49": leave it out)
      expect(text.split(marker).join("")).not.toContain("49");
    });
  });
});
