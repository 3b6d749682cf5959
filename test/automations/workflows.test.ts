import { describe, expect, it } from "vitest";
import { codes, load, only, yaml } from "./helpers.js";

describe("workflows: (deployment triggers) expand into automations", () => {
  const text = yaml`
    automations:
      - name: explicit
        trigger: {expect: a.b.c}
    workflows:
      deploy.yml:
        triggers:
          - expect: github.workflow-run.Completed
            match_related: {prefect.resource.role: workflow, prefect.resource.name: build.yml}
            inputs: {environment: staging}
            ref: main
          - name: nightly deploy
            description: Deploy every night
            expect: acme.schedule.nightly
            enabled: false
      cleanup.yml:
        triggers:
          - expect: github.pull-request.closed
  `;

  it("one automation per trigger, after the explicit ones, named <workflow>#<n> unless named", () => {
    const r = load(text);
    expect(r.problems).toEqual([]);
    const autos = r.config!.automations;
    expect(autos.map((a) => a.name)).toEqual(["explicit", "deploy.yml#1", "nightly deploy", "cleanup.yml#1"]);
    expect(autos.map((a) => a.generated_from)).toEqual([
      undefined,
      { workflow: "deploy.yml", trigger_index: 0 },
      { workflow: "deploy.yml", trigger_index: 1 },
      { workflow: "cleanup.yml", trigger_index: 0 },
    ]);
  });

  it("each has one run-workflow action with the workflow, inputs and ref, and the trigger fields", () => {
    const [, first, second] = load(text).config!.automations;
    expect(first!.actions).toHaveLength(1);
    expect(first!.actions[0]).toMatchObject({
      type: "run-workflow",
      params: { workflow: "deploy.yml", inputs: { environment: "staging" }, ref: "main" },
      position: { line: 7, col: 9 },
    });
    expect(first!.trigger).toMatchObject({
      type: "event",
      expect: ["github.workflow-run.Completed"],
      match_related: [{ "prefect.resource.role": "workflow", "prefect.resource.name": "build.yml" }],
      posture: "Reactive",
    });
    expect(second).toMatchObject({ enabled: false, description: "Deploy every night" });
    expect(second!.actions[0]!.params).toEqual({ workflow: "deploy.yml" });
  });

  it("generated automations are validated like the others, at the trigger entry", () => {
    const loop = load("workflows:\n  ci.yml:\n    triggers:\n      - expect: github.workflow-run.*\n");
    expect(only(loop, "HOOKLINE_WORKFLOW_LOOP")).toMatchObject({ line: 4, col: 9 });
    const empty = load("workflows:\n  ci.yml:\n    triggers:\n      - inputs: {a: b}\n");
    expect(codes(empty)).toEqual(["HOOKLINE_TRIGGER_MATCHES_EVERYTHING"]);
  });

  it("unknown fields in a workflows trigger get a did-you-mean hint; a compound is not allowed there", () => {
    const r = load("workflows:\n  ci.yml:\n    triggers:\n      - expect: a.b.c\n        input: {a: b}\n");
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD")).toMatchObject({ line: 5, col: 9, hint: "did you mean `inputs`?" });
    expect(codes(load("workflows:\n  ci.yml:\n    triggers:\n      - {type: compound, triggers: []}\n"))).toContain(
      "HOOKLINE_INVALID_VALUE",
    );
  });

  it("a generated name that collides with an explicit one is a duplicate at the workflows entry", () => {
    const r = load(
      "automations:\n  - name: ci.yml#1\n    trigger: {expect: a.b.c}\nworkflows:\n  ci.yml:\n    triggers:\n      - expect: a.b.c\n",
    );
    expect(only(r, "HOOKLINE_DUPLICATE_NAME")).toMatchObject({ line: 7, col: 9, hint: "give this workflows trigger a `name`" });
  });

  it("a workflow needs at least one trigger", () => {
    expect(codes(load("workflows:\n  ci.yml:\n    triggers: []\n"))).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });
});
