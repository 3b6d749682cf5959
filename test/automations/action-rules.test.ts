import { describe, expect, it } from "vitest";
import { codes, load, notifiers, only } from "./helpers.js";

const automation = (trigger: string, actions: string, name = "a") =>
  `  - name: ${name}\n    trigger: ${trigger}\n    actions:\n${actions
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n")}\n`;
const file = (...automations: string[]) => `${notifiers}automations:\n${automations.join("")}`;
const RUN = "- {type: run-workflow, workflow: ci.yml}";

describe("run-workflow loop (SEMANTICS §5)", () => {
  it.each([
    ["{expect: github.workflow-run.*}"],
    ["{expect: github.workflow-run.Running}"],
    ["{expect: github.workflow-run.Pending}"],
    ['{expect: "github.*"}'],
    ["{expect: [github.workflow-job.Running]}"],
    ['{expect: "!github.workflow-run.Failed"}'],
    ["{expect: github.workflow-run.*, match: {github.repository: org/app}}"],
    ["{expect: github.workflow-run.*, match: {prefect.resource.id: 'github.workflow-run.*'}}"],
    ["{expect: github.workflow-run.*, match_related: {prefect.resource.role: workflow}}"],
    ["{type: compound, require: any, triggers: [{expect: a.b.c}, {expect: github.workflow-run.*}]}"],
  ])("reacting to every run starting with %s loops and is an error", (trigger) => {
    const r = load(file(automation(trigger, RUN)));
    expect(r.config).toBeNull();
    expect(only(r, "HOOKLINE_WORKFLOW_LOOP")).toMatchObject({ line: 7, col: 9 });
  });

  it.each([
    ["{expect: github.workflow-run.Completed}"],
    ["{expect: [github.workflow-run.Failed, github.workflow-run.Cancelled]}"],
    ["{expect: github.workflow-run.*, match: {github.workflow: build.yml}}"],
    ["{expect: github.workflow-run.*, match: {prefect.resource.name: Build}}"],
    ["{expect: github.workflow-run.*, match_related: {prefect.resource.role: workflow, prefect.resource.name: build.yml}}"],
    ["{expect: github.workflow-run.*, posture: Proactive, within: 1h}"],
    ["{type: compound, require: all, triggers: [{expect: a.b.c}, {expect: github.workflow-run.*}]}"],
    ["{expect: github.push.*}"],
  ])("%s does not loop", (trigger) => {
    expect(codes(load(file(automation(trigger, RUN))))).not.toContain("HOOKLINE_WORKFLOW_LOOP");
  });

  it("a state filter that excludes Pending and Running breaks the loop", () => {
    const trigger = "{expect: github.workflow-run.*}";
    expect(load(file(automation(trigger, "- {type: run-workflow, workflow: ci.yml, only_states: [Failed]}"))).problems).toEqual([]);
    expect(load(file(automation(trigger, "- {type: run-workflow, workflow: ci.yml, ignore_states: [Pending, Running]}"))).problems).toEqual(
      [],
    );
    expect(codes(load(file(automation(trigger, "- {type: run-workflow, workflow: ci.yml, ignore_states: [Pending]}"))))).toEqual([
      "HOOKLINE_WORKFLOW_LOOP",
    ]);
  });

  it("other actions on every run are fine", () => {
    expect(load(file(automation("{expect: github.workflow-run.*}", "- {type: do-nothing}"))).problems).toEqual([]);
  });
});

describe("references resolve", () => {
  it("send-notification must name a declared notifier, with a did-you-mean hint", () => {
    const r = load(file(automation("{expect: a.b.c}", "- {type: send-notification, notifier: opps, body: hi}")));
    expect(only(r, "HOOKLINE_UNKNOWN_NOTIFIER")).toMatchObject({ line: 7, col: 45, hint: "did you mean `ops`?" });
  });

  it("with no notifiers declared the hint says how to declare one", () => {
    const r = load(`automations:\n${automation("{expect: a.b.c}", "- {type: send-notification, notifier: ops, body: hi}")}`);
    expect(only(r, "HOOKLINE_UNKNOWN_NOTIFIER").hint).toContain("notifiers:");
  });

  it("pause-automation / resume-automation must name an automation of the file", () => {
    const r = load(
      file(
        automation("{expect: a.b.c}", "- {type: pause-automation, automation: nightly}"),
        automation("{expect: a.b.c}", "- {type: resume-automation, automation: nigthly}", "b"),
        automation("{expect: a.b.c}", "- {type: resume-automation, automation: nightly-deploy}", "nightly"),
      ),
    );
    expect(r.problems.map((p) => [p.code, p.hint])).toEqual([
      ["HOOKLINE_UNKNOWN_AUTOMATION", "did you mean `nightly`?"],
      ["HOOKLINE_UNKNOWN_AUTOMATION", "name an automation of this file"],
    ]);
  });

  it("a templated automation name is not resolved at load time", () => {
    const r = load(file(automation("{expect: a.b.c}", '- {type: pause-automation, automation: "{{ labels.name }}"}')));
    expect(r.problems).toEqual([]);
  });
});

describe("sources", () => {
  it("`source: selected` needs its id", () => {
    for (const type of ["cancel-workflow-run", "rerun-workflow-run", "pause-automation", "resume-automation"]) {
      const r = load(file(automation("{expect: a.b.c}", `- {type: ${type}, source: selected}`)));
      expect(only(r, "HOOKLINE_MISSING_FIELD").message).toMatch(/needs `(run_id|automation)`/);
    }
  });

  it("`source: inferred` with an id is a conflict", () => {
    const r = load(file(automation("{expect: a.b.c}", "- {type: cancel-workflow-run, source: inferred, run_id: 5}")));
    expect(only(r, "HOOKLINE_CONFLICTING_FIELDS").col).toBe(55);
  });

  it("source defaults to selected when the id is given, else inferred", () => {
    const r = load(
      file(
        automation(
          "{expect: a.b.c}",
          '- {type: rerun-workflow-run, run_id: "{{ event.resource.id }}", failed_jobs_only: true}\n- {type: pause-automation}',
        ),
      ),
    );
    expect(r.problems).toEqual([]);
    const [rerun, pause] = r.config!.automations[0]!.actions;
    expect(rerun!.params).toEqual({ run_id: "{{ event.resource.id }}", failed_jobs_only: true, source: "selected" });
    expect(pause!.params).toEqual({ source: "inferred" });
  });

  it("failed_jobs_only belongs to rerun-workflow-run only", () => {
    const r = load(file(automation("{expect: a.b.c}", "- {type: cancel-workflow-run, failed_jobs_only: true}")));
    expect(codes(r)).toEqual(["HOOKLINE_UNKNOWN_FIELD"]);
  });
});

describe("other action rules", () => {
  it("only_states and ignore_states combine; an ignored state only_states never lets through warns that it changes nothing", () => {
    const r = load(file(automation("{expect: a.b.c}", "- {type: do-nothing, only_states: [Failed], ignore_states: [Running]}")));
    expect(only(r, "HOOKLINE_BOTH_STATE_FILTERS").severity).toBe("warning");
    expect(r.config).not.toBeNull();
    const member = load(file(automation("{expect: a.b.c}", "- {type: do-nothing, only_states: [Failed], ignore_states: [TimedOut]}")));
    expect(member.problems).toEqual([]);
  });

  it("a timeout of 0 is an error", () => {
    expect(codes(load(file(automation("{expect: a.b.c}", "- {type: do-nothing, timeout: 0}"))))).toEqual(["HOOKLINE_INVALID_DURATION"]);
  });

  it("actions_on_resolve on a Reactive trigger warns that they never run", () => {
    const text = `${notifiers}automations:\n  - name: a\n    trigger: {expect: a.b.c}\n    actions_on_resolve: [{type: do-nothing}]\n`;
    expect(only(load(text), "HOOKLINE_RESOLVE_NEVER_RUNS")).toMatchObject({ severity: "warning", line: 6, col: 5 });
    const proactive = text.replace("{expect: a.b.c}", "{expect: a.b.c, posture: Proactive}");
    expect(load(proactive).problems).toEqual([]);
  });
});
