/**
 * Triggers that can never fire (issue 13): an unknown `github.*`/`hookline.*` event name, a state in the wrong case,
 * a `github.*` label no GitHub event carries. Each problem has its code and did-you-mean; none fires for the
 * automations the repository ships (examples/, README, docs/).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAutomations, type LoadResult } from "../../src/automations/index.js";
import { ROOT } from "../cli/run-cli.js";
import { errors, load, only, warnings } from "./helpers.js";

const withTrigger = (trigger: string) => `automations:\n  - name: a\n    trigger: ${trigger}\n    actions: [{type: do-nothing}]\n`;
const neverFires = (r: LoadResult) => r.problems.filter((p) => p.code.startsWith("HOOKLINE_TRIGGER_NEVER_FIRES_"));

describe("HOOKLINE_TRIGGER_NEVER_FIRES_NAME", () => {
  it("an expect name in github.* that the translator never produces warns, with the kebab-case, state-named suggestion", () => {
    const r = load(withTrigger("{expect: github.workflow_run.failed}"));
    expect(r.config).not.toBeNull();
    const p = only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_NAME");
    expect(p).toMatchObject({ severity: "warning", line: 3, col: 23 });
    expect(p.hint).toContain("did you mean `github.workflow-run.Failed`?");
  });

  it("a misspelt hookline.* name warns with the closest name hookline emits", () => {
    const r = load(withTrigger("{expect: [hookline.automation.triggerd]}"));
    expect(only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_NAME").hint).toContain("did you mean `hookline.automation.triggered`?");
  });

  it("`after` is checked like `expect`, and a glob that matches nothing gets a glob suggestion", () => {
    const r = load(withTrigger("{expect: github.workflow-run.Failed, after: [github.pull_request.*]}"));
    const p = only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_NAME");
    expect(p.col).toBe(59);
    expect(p.hint).toContain("did you mean `github.pull-request.*`?");
  });

  it("names that exist, globs that match some, negations and names outside github.*/hookline.* never warn", () => {
    for (const expectValue of [
      "github.workflow-run.Failed",
      "github.workflow-run.completed",
      "github.pull-request.edited",
      "github.schedule.triggered",
      "github.*.Failed",
      "hookline.action.failed",
      "hookline.automation.*",
      '"!github.nothing.here"',
      "acme.workflow_run.failed",
      "Summary",
    ]) {
      expect(neverFires(load(withTrigger(`{expect: ${expectValue}}`))), expectValue).toEqual([]);
    }
  });

  it("composite triggers are checked in every child", () => {
    const r = load(withTrigger("{type: compound, require: any, triggers: [{expect: github.push.pushed}, {expect: github.pushh.pushed}]}"));
    expect(only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_NAME").hint).toContain("did you mean `github.push.pushed`?");
  });
});

describe("HOOKLINE_TRIGGER_NEVER_FIRES_STATE", () => {
  it("a run state in the wrong case in an event name warns with the canonical case", () => {
    const p = only(load(withTrigger("{expect: github.workflow-run.failed}")), "HOOKLINE_TRIGGER_NEVER_FIRES_STATE");
    expect(p.hint).toContain("did you mean `github.workflow-run.Failed`?");
    const glob = only(load(withTrigger("{expect: github.*.timedout}")), "HOOKLINE_TRIGGER_NEVER_FIRES_STATE");
    expect(glob.hint).toContain("did you mean `github.*.TimedOut`?");
  });

  it("a github.state match value in the wrong case warns at the value; the right case does not", () => {
    const r = load(withTrigger('{expect: "github.*", match: {github.state: [Failed, "timed_out"]}}'));
    const p = only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_STATE");
    expect(p.col).toBe(66);
    expect(p.hint).toContain("did you mean `TimedOut`?");
    expect(neverFires(load(withTrigger('{expect: "github.*", match: {github.state: ["Failed", "!Completed", "T*"]}}')))).toEqual([]);
  });
});

describe("HOOKLINE_TRIGGER_NEVER_FIRES_LABEL", () => {
  it("a match key in github.* that no GitHub event carries warns at the key with the closest label", () => {
    const r = load(withTrigger("{expect: github.workflow-run.Failed, match: {github.workflw: CI}}"));
    const p = only(r, "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL");
    expect(p).toMatchObject({ severity: "warning", line: 3, col: 59 });
    expect(p.hint).toContain("did you mean `github.workflow`?");
  });

  it("a label cut short suggests the label it begins", () => {
    const p = only(
      load(withTrigger("{expect: github.pull-request.closed, match: {github.base: main}}")),
      "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL",
    );
    expect(p.hint).toBe("did you mean `github.base_branch`?");
  });

  it("a label that only related resources carry, used in match, says to use match_related", () => {
    const p = only(load(withTrigger("{expect: github.push.pushed, match: {github.login: octocat}}")), "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL");
    expect(p.hint).toContain("match_related");
  });

  it("match_related and for_each (related:ROLE:LABEL too) are checked against the labels of their resources", () => {
    const r = load(
      withTrigger(
        "{expect: github.push.pushed, match_related: {prefect.resource.role: actor, github.logn: octocat}, for_each: [github.branh, related:actor:github.login]}",
      ),
    );
    const found = neverFires(r).map((p) => [p.code, p.hint]);
    expect(found).toEqual([
      ["HOOKLINE_TRIGGER_NEVER_FIRES_LABEL", "did you mean `github.login`?"],
      ["HOOKLINE_TRIGGER_NEVER_FIRES_LABEL", "did you mean `github.branch`?"],
    ]);
  });

  it("labels outside github.* are free text and never warn", () => {
    expect(neverFires(load(withTrigger("{expect: github.push.pushed, match: {acme.team: core, prefect.resource.name: main}}")))).toEqual(
      [],
    );
  });
});

describe("strict checking", () => {
  it("with strict, every never-fires problem is an error and the file gives no config", () => {
    const text = withTrigger("{expect: github.workflow_run.failed, match: {github.workflw: CI}}");
    const r = loadAutomations(text, "automations.yaml", { strict: true });
    expect(r.config).toBeNull();
    expect(errors(r).map((p) => p.code)).toEqual(["HOOKLINE_TRIGGER_NEVER_FIRES_NAME", "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL"]);
    expect(warnings(load(text))).toHaveLength(2);
  });
});

/** every automations file the repository ships: examples/, and the yaml blocks of README.md and docs/ that are files */
function shippedAutomations(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        const text = readFileSync(path, "utf8");
        if (/^(automations|workflows):/m.test(text)) out.push({ where: path, text });
      }
    }
  };
  walk(join(ROOT, "examples"));
  const docs = readdirSync(join(ROOT, "docs")).map((f) => join(ROOT, "docs", f));
  for (const md of [join(ROOT, "README.md"), ...docs.filter((f) => f.endsWith(".md"))]) {
    const blocks = readFileSync(md, "utf8").matchAll(/```ya?ml\n([\s\S]*?)```/g);
    for (const [, text] of blocks) if (/^(automations|workflows):/m.test(text!)) out.push({ where: md, text: text! });
  }
  return out;
}

describe("no false positives", () => {
  it("no never-fires problem in any automations file of examples/, README.md or docs/", () => {
    const files = shippedAutomations();
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const { where, text } of files) {
      const r = loadAutomations(text, where, { strict: true });
      expect(neverFires(r), where).toEqual([]);
    }
  });
});
