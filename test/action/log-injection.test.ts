/**
 * No untrusted text the Action logs can act as a workflow command (issue 17 item 2), in every mode, through
 * dist/index.js: hostile job, step, workflow and branch names, pull request titles, automation names, YAML keys,
 * event names and reasons from Slack hold both command forms (`::name::` at a line start after a line break, and
 * `##[name]` anywhere). The runner's reading of the output (runner-commands.ts) finds only the Action's own
 * commands: annotations (escaped by @actions/core), masks of its secrets, and stop-commands around hostile text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandSafeLines } from "../../src/action/log.js";
import { withFakeApis, type FakeGitHub, type FakeSlack } from "./fake-apis.js";
import { ROOT, nodeBinaries, runDist, type RunResult } from "./run-dist.js";
import { runnerCommands } from "./runner-commands.js";

const HOSTILE = "x ##[add-mask]PWNED-A ::error::PWNED-B\n::warning::PWNED-C\n  ##[error]PWNED-D ##[set-env name=A]PWNED-E";
const ONE_LINE = "x ##[add-mask]PWNED-A ::error::PWNED-B ##[error]PWNED-D";
const OWN = new Set(["error", "warning", "notice", "add-mask", "stop-commands"]);

/** the commands the runner would run: only the Action's own, none named or opened by the hostile text */
function expectNoInjection(r: RunResult): void {
  const commands = runnerCommands(`${r.stdout}\n${r.stderr}`);
  expect(
    commands.filter((c) => c.form === "##["),
    "##[ commands the runner would run",
  ).toEqual([]);
  expect(commands.filter((c) => !OWN.has(c.name)).map((c) => c.line)).toEqual([]);
  const injected = commands.filter(
    (c) => /PWNED/.test(c.name) || /^\s*PWNED/.test(c.data) || (c.name === "add-mask" && /PWNED/.test(c.data)),
  );
  expect(injected.map((c) => c.line)).toEqual([]);
}

const step = (name: string, conclusion: string | null, status = "completed") => ({ name, status, conclusion, number: 1 });
const webhooks = readFileSync(join(ROOT, "examples/dispatch-follow-up/webhooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { payload: Record<string, any> });
const node = nodeBinaries().at(-1)!.node;

describe("the Action's log (log.ts)", () => {
  it("text holding either command form anywhere is fenced by stop-commands with a token it does not contain", () => {
    // unfenced, the runner would run one command a line
    expect(runnerCommands(HOSTILE).map((c) => `${c.form}${c.name}`)).toEqual(["##[add-mask", "::warning", "##[error"]);
    expect(commandSafeLines("hookline: job build is Failed")).toEqual(["hookline: job build is Failed"]);
    const tokens = ["hookline-t1", "hookline-t2"];
    const lines = commandSafeLines(`job hookline-t1 ${ONE_LINE}`, () => tokens.shift()!);
    expect(lines).toEqual(["::stop-commands::hookline-t2", `job hookline-t1 ${ONE_LINE}`, "::hookline-t2::"]);
    for (const text of [HOSTILE, ONE_LINE, "a::b", "##[group]x"]) {
      const out = commandSafeLines(text).join("\n");
      expect(runnerCommands(out).map((c) => c.name)).toEqual(["stop-commands"]);
    }
  });
});

describe("dist/index.js under node 24: hostile text in every mode", () => {
  let gh: FakeGitHub;
  let slack: FakeSlack;
  withFakeApis((g, s) => ((gh = g), (slack = s)));

  it("notify: job, step, workflow and branch names and Slack's reason", async () => {
    gh.jobs.set("1234567", [
      {
        id: 42,
        name: HOSTILE,
        status: "in_progress",
        conclusion: null,
        runner_name: "r1",
        steps: [step(HOSTILE, "failure"), step("notify", null, "in_progress")],
      },
    ]);
    slack.script.push({ status: 200, body: { ok: false, error: "##[add-mask]PWNED-F" } });
    const r = await runDist({
      node,
      apiUrl: gh.url,
      inputs: { mode: "notify", "slack-api-url": slack.url, "slack-token": "xoxb-n", channel: "#ci" },
      env: { GITHUB_JOB: "build", RUNNER_NAME: "r1", GITHUB_WORKFLOW: HOSTILE, GITHUB_REF_NAME: `main\n::error::PWNED-G ##[error]PWNED-H` },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.state).toBe("Failed");
    expect(r.stdout).toContain("PWNED-A"); // it was logged, fenced
    expect(
      r.annotations.map((a) => a.level),
      r.stdout,
    ).toEqual(["warning"]);
    expectNoInjection(r);
  });

  it("evaluate: a branch name and pull request title, an automation's name, and Slack's reason for a failed action", async () => {
    const event = structuredClone(webhooks[8]!.payload);
    event.workflow_run.head_branch = HOSTILE;
    event.workflow_run.display_title = HOSTILE;
    slack.script.push({ status: 200, body: { ok: false, error: "x ##[error]PWNED-F" } });
    const automations = `notifiers:
  ci: {type: slack, channel: "#ci", token_env: SLACK_BOT_TOKEN}
automations:
  - name: ${JSON.stringify(ONE_LINE)}
    trigger: {expect: github.workflow-run.Completed}
    actions:
      - type: send-notification
        notifier: ci
        max_retries: 0
        body: "{{ workflow_run.head_branch }} {{ workflow_run.display_title }}"
`;
    const r = await runDist({
      node,
      apiUrl: gh.url,
      event,
      files: { ".github/automations.yaml": automations },
      inputs: { "slack-api-url": slack.url },
      env: { SLACK_BOT_TOKEN: "xoxb-i" },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("PWNED-A");
    expect(r.annotations.some((a) => a.level === "warning" && a.message.includes("PWNED-F"))).toBe(true);
    expectNoInjection(r);
  });

  it("validate: automation names and keys quoted in problems", async () => {
    const automations = `automations:
  - name: ${JSON.stringify(HOSTILE)}
    ${JSON.stringify(ONE_LINE)}: 1
    trigger: {expect: "${"github.push"}"}
    actions: [{type: do-nothing}]
`;
    const r = await runDist({ node, inputs: { mode: "validate" }, files: { ".github/automations.yaml": automations } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("PWNED-A");
    expectNoInjection(r);
  });

  it("emit: a hostile event name and payload", async () => {
    const bad = await runDist({ node, inputs: { mode: "emit", event: HOSTILE, resource: "{prefect.resource.id: x.y}" } });
    expect(bad.code).toBe(1);
    expectNoInjection(bad);
    const ok = await runDist({
      node,
      inputs: {
        mode: "emit",
        event: "deploy.release.finished",
        resource: "{prefect.resource.id: x.y}",
        payload: JSON.stringify({ title: HOSTILE }),
      },
      files: { ".github/automations.yaml": "automations: []\n" },
    });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expectNoInjection(ok);
  });
});
