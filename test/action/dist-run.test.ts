/** The built dist/index.js run as the runner runs it, under Node 20 and Node 24 (action.yml `using: node24`). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, nodeBinaries, runDist, startApi, type ApiServer } from "./run-dist.js";

const webhooks = readFileSync(join(ROOT, "examples/notify-failed-runs/webhooks.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { name: string; payload: Record<string, any> });
const failedRun = webhooks[14]!.payload;
const successRun = webhooks[2]!.payload;

const AUTOMATIONS = `notifiers:
  ci-alerts: {type: slack, channel: "#ci-alerts", token_env: SLACK_BOT_TOKEN}
automations:
  - name: ci-failed
    trigger:
      expect: [github.workflow-run.Failed]
      match: {github.workflow: CI}
    actions:
      - type: send-notification
        notifier: ci-alerts
        body: "CI failed on {{ workflow_run.head_branch }}: {{ workflow_run.html_url }}"
      - type: run-workflow
        workflow: triage.yml
        inputs: {branch: "{{ workflow_run.head_branch }}"}
`;
const TRIAGE = `name: triage
on:
  workflow_dispatch:
    inputs:
      branch: {required: true}
jobs: {}
`;
const files = { ".github/automations.yaml": AUTOMATIONS, ".github/workflows/triage.yml": TRIAGE };

const binaries = nodeBinaries();

describe.each(binaries)("dist/index.js under $label", ({ node }) => {
  it("validate: a broken file fails the step with an error annotation at file:line:col", async () => {
    const broken = AUTOMATIONS.replace("expect: [github.workflow-run.Failed]", "expect: [github.workflow-run.Failed]\n      within: soon");
    const r = await runDist({ node, inputs: { mode: "validate" }, files: { ...files, ".github/automations.yaml": broken } });
    expect(r.code).toBe(1);
    const error = r.annotations.find((a) => a.level === "error" && a.props.file === ".github/automations.yaml");
    expect(error?.props.line).toBe("7");
    expect(Number(error?.props.col)).toBeGreaterThan(0);
    expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_AUTOMATIONS_INVALID: /);
  });

  it("validate: a valid file passes and the summary tables each automation and what it reacts to", async () => {
    const r = await runDist({ node, inputs: { mode: "validate" }, files });
    expect(r.code).toBe(0);
    expect(r.annotations).toEqual([]);
    expect(r.summary).toContain(
      "<td>ci-failed</td><td>github.workflow-run.Failed where github.workflow=CI</td><td>send-notification, run-workflow</td>",
    );
  });

  it("validate: a dispatched workflow that is missing, or lacks a passed input, is an error at the action", async () => {
    const missing = await runDist({ node, inputs: { mode: "validate" }, files: { ".github/automations.yaml": AUTOMATIONS } });
    expect(missing.code).toBe(1);
    expect(missing.annotations[0]).toMatchObject({ level: "error", props: { title: "HOOKLINE_WORKFLOW_NOT_FOUND", line: "12" } });
    const undeclared = await runDist({
      node,
      inputs: { mode: "validate" },
      files: { ...files, ".github/workflows/triage.yml": TRIAGE.replace("branch:", "ref:") },
    });
    expect(undeclared.code).toBe(1);
    expect(undeclared.annotations.map((a) => a.props.title)).toEqual([
      "HOOKLINE_WORKFLOW_INPUT_UNKNOWN",
      "HOOKLINE_WORKFLOW_INPUT_MISSING",
      undefined,
    ]);
  });

  it("validate: past 10 errors, 9 are annotated and the 10th line summarises the rest", async () => {
    const many = `automations:\n${Array.from({ length: 14 }, (_, i) => `  - name: a${i}\n    trigger: {expect: [x.y.z], within: nope}\n`).join("")}`;
    const r = await runDist({ node, inputs: { mode: "validate" }, files: { ".github/automations.yaml": many } });
    expect(r.code).toBe(1);
    const errors = r.annotations.filter((a) => a.level === "error" && a.message.startsWith("HOOKLINE_ACTION") === false);
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).every((a) => a.props.file === ".github/automations.yaml")).toBe(true);
    expect(errors[9]!.message).toMatch(/^5 more errors not shown as annotations/);
  });

  it("evaluate (dry run): a failed CI run fires, renders both actions, and writes outputs and the summary", async () => {
    const r = await runDist({ node, eventName: "workflow_run", event: failedRun, files, inputs: { "dry-run": "true" } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.fired).toBe("1");
    const actions = JSON.parse(r.outputs.actions!) as Array<Record<string, any>>;
    expect(actions.map((a) => [a.type, a.status])).toEqual([
      ["send-notification", "dry-run"],
      ["run-workflow", "dry-run"],
    ]);
    expect(actions[1]!.request.inputs).toEqual({ branch: "main" });
    const events = JSON.parse(r.outputs.events!) as Array<{ event: string }>;
    expect(events.map((e) => e.event)).toEqual(["github.workflow-run.Failed", "hookline.automation.triggered"]);
    expect(r.summary).toContain("<td>ci-failed</td><td>Triggered</td>");
    expect(r.summary).toContain("<td>send-notification</td><td>dry-run</td>");
  });

  it("evaluate: a successful run fires nothing and says so", async () => {
    const r = await runDist({ node, eventName: "workflow_run", event: successRun, files, inputs: { "dry-run": "true" } });
    expect(r.code).toBe(0);
    expect(r.outputs.fired).toBe("0");
    expect(r.outputs.actions).toBe("[]");
    expect(r.summary).toContain("No automation fired.");
  });

  it("evaluate: a re-run of the same workflow run (new attempt) yields the same event id; another run does not", async () => {
    const ids = async (env: Record<string, string>) => {
      const r = await runDist({ node, event: failedRun, files, env, inputs: { "dry-run": "true" } });
      return (JSON.parse(r.outputs.events!) as Array<{ id: string }>)[0]!.id;
    };
    const first = await ids({ GITHUB_RUN_ATTEMPT: "1" });
    expect(await ids({ GITHUB_RUN_ATTEMPT: "2" })).toBe(first);
    expect(await ids({ GITHUB_RUN_ID: "7654321" })).not.toBe(first);
  });

  describe("without a checkout", () => {
    let api: ApiServer;
    beforeAll(async () => {
      // Octokit (the Action's GitHub client) sends the path as one URL variable: `/` encoded as %2F, which GitHub reads
      api = await startApi({ "GET /repos/octo-org/octo-repo/contents/.github%2Fautomations.yaml": [200, AUTOMATIONS] });
    });
    afterAll(() => api.close());

    it("evaluate: the automations are read through the API (GITHUB_API_URL) with the token, at the default branch", async () => {
      const r = await runDist({ node, event: failedRun, files: {}, apiUrl: api.url, inputs: { "dry-run": "true" } });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.fired).toBe("1");
      const req = api.requests.at(-1)!;
      expect(req.url).toBe("/repos/octo-org/octo-repo/contents/.github%2Fautomations.yaml");
      expect(req.headers.authorization).toBe("token test-token");
      expect(req.headers.accept).toBe("application/vnd.github.v3.raw");
      expect(r.summary).toContain("via the API");
    });

    it("evaluate: a file on neither the workspace nor the default branch fails with HOOKLINE_ACTION_AUTOMATIONS_MISSING", async () => {
      const r = await runDist({ node, event: failedRun, files: {}, apiUrl: api.url, inputs: { automations: "other.yaml" } });
      expect(r.code).toBe(1);
      expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_AUTOMATIONS_MISSING: /);
    });
  });

  it("emit: a custom event from YAML inputs is evaluated in the same step", async () => {
    const automations = `automations:\n  - name: on-release\n    trigger: {expect: [deploy.release.finished], match: {env: prod}}\n    actions: [{type: do-nothing}]\n`;
    const r = await runDist({
      node,
      files: { ".github/automations.yaml": automations },
      inputs: {
        mode: "emit",
        event: "deploy.release.finished",
        resource: "prefect.resource.id: deploy.release.42\nenv: prod",
        payload: '{"version": "1.2.3"}',
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.fired).toBe("1");
    const emitted = (JSON.parse(r.outputs.events!) as Array<{ event: string; payload: unknown }>)[0]!;
    expect(emitted).toMatchObject({ event: "deploy.release.finished", payload: { version: "1.2.3" } });
  });

  it("emit: an event that is not a valid standard event fails with HOOKLINE_ACTION_EMIT", async () => {
    const r = await runDist({ node, files, inputs: { mode: "emit", event: "x".repeat(1025), resource: "prefect.resource.id: x" } });
    expect(r.code).toBe(1);
    expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_EMIT: .*event: must be at most 1024 characters/);
  });

  it("bad inputs fail with HOOKLINE_ACTION_INPUT and say what to write", async () => {
    const bad: Array<Record<string, string>> = [
      { mode: "bogus" },
      { "dry-run": "maybe" },
      { automations: "../../etc/passwd" },
      { "slack-api-url": "ftp://x" },
      { mode: "notify", only_states: "Exploded" },
    ];
    for (const inputs of bad) {
      const r = await runDist({ node, files, inputs });
      expect(r.code).toBe(1);
      expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_INPUT: input `[\w-]+`/);
    }
  });

  it("a crafted event cannot inject runner commands into the log nor markup into the summary", async () => {
    const hostile = structuredClone(failedRun);
    hostile.workflow_run.head_branch = "x\n::error::pwned\n<img src=x onerror=alert(1)>|";
    const r = await runDist({ node, event: hostile, files, inputs: { "dry-run": "true" } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^::error::pwned/m);
    expect(r.annotations).toEqual([]);
    expect(r.summary).not.toContain("<img");
    expect(r.summary).toContain("&lt;img src=x onerror=alert(1)&gt;&#124;");
  });

  it("an event file that is not JSON fails with HOOKLINE_ACTION_EVENT_FILE", async () => {
    const r = await runDist({ node, event: "{not json", files });
    expect(r.code).toBe(1);
    expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_EVENT_FILE: /);
  });
});
