import { describe, expect, it } from "vitest";
import { ACTION_DEFAULTS } from "../../src/automations/index.js";
import { load, yaml } from "./helpers.js";

describe("normalization into the types.ts model", () => {
  it("fills event trigger defaults: Reactive, threshold 1, within 0, lists empty, repeat null", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expect: a.b.c}\n");
    expect(r.problems).toEqual([]);
    const a = r.config!.automations[0]!;
    expect(a).toMatchObject({ name: "a", description: "", enabled: true, actions: [], actions_on_trigger: [], actions_on_resolve: [] });
    expect(a.trigger).toEqual({
      type: "event",
      match: {},
      match_related: [],
      after: [],
      expect: ["a.b.c"],
      for_each: [],
      posture: "Reactive",
      threshold: 1,
      within: 0,
      repeat: null,
    });
    expect(a.position).toEqual({ file: "automations.yaml", line: 2, col: 5 });
  });

  it("a Proactive trigger without within defaults to 10 seconds", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expect: a.b.c, posture: Proactive}\n");
    expect(r.config!.automations[0]!.trigger).toMatchObject({ posture: "Proactive", within: 10 });
  });

  it("reads durations into seconds, lists from strings, a single match_related into a list, for_each sorted", () => {
    const r = load(yaml`
      automations:
        - name: a
          trigger:
            type: event
            expect: github.workflow-run.Failed
            after: github.workflow-run.Running
            for_each: [related:repository:prefect.resource.name, github.branch, github.branch]
            match_related: {prefect.resource.role: workflow, prefect.resource.name: [ci.yml, deploy.yml]}
            posture: Proactive
            within: PT1H30M
            repeat: 1d
            threshold: 3
    `);
    expect(r.problems).toEqual([]);
    expect(r.config!.automations[0]!.trigger).toEqual({
      type: "event",
      match: {},
      match_related: [{ "prefect.resource.role": "workflow", "prefect.resource.name": ["ci.yml", "deploy.yml"] }],
      after: ["github.workflow-run.Running"],
      expect: ["github.workflow-run.Failed"],
      for_each: ["github.branch", "related:repository:prefect.resource.name"],
      posture: "Proactive",
      threshold: 3,
      within: 5400,
      repeat: 86_400,
    });
  });

  it("composite defaults: require all, within null; children normalized", () => {
    const r = load(
      "automations:\n  - name: a\n    trigger: {type: compound, within: 5m, triggers: [{expect: a.b.c}, {type: sequence, triggers: [{expect: x.y.z, within: 30s}]}]}\n",
    );
    const t = r.config!.automations[0]!.trigger;
    expect(t).toMatchObject({ type: "compound", require: "all", within: 300 });
    if (t.type !== "compound") throw new Error("compound expected");
    expect(t.triggers[1]).toMatchObject({ type: "sequence", within: null, triggers: [{ type: "event", within: 30 }] });
  });

  it("actions: common fields split from params, defaults from ACTION_DEFAULTS, states as lists", () => {
    const r = load(yaml`
      automations:
        - name: a
          enabled: false
          description: Tell ops
          trigger: {expect: a.b.c}
          actions:
            - type: call-webhook
              url: https://example.com/hook
              headers: {X-Token: "{{ labels.x }}"}
              body: {text: hi}
              timeout: 1m
              only_states: Failed
            - type: do-nothing
              max_retries: 0
              retry_interval: PT2S
              ignore_states: [Pending, Running]
    `);
    expect(r.problems).toEqual([]);
    const a = r.config!.automations[0]!;
    expect(a.enabled).toBe(false);
    expect(a.description).toBe("Tell ops");
    const [hook, nothing] = a.actions;
    expect(hook).toEqual({
      type: "call-webhook",
      params: { url: "https://example.com/hook", headers: { "X-Token": "{{ labels.x }}" }, body: { text: "hi" }, method: "POST" },
      only_states: ["Failed"],
      ignore_states: null,
      max_retries: ACTION_DEFAULTS.max_retries,
      retry_interval: ACTION_DEFAULTS.retry_interval,
      timeout: 60,
      position: { file: "automations.yaml", line: 7, col: 9 },
    });
    expect(nothing).toMatchObject({
      params: {},
      only_states: null,
      ignore_states: ["Pending", "Running"],
      max_retries: 0,
      retry_interval: 2,
      timeout: ACTION_DEFAULTS.timeout,
    });
  });

  it("the loaded config is plain JSON data", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expect: a.b.c, match: {x: y}}\n    actions: [{type: do-nothing}]\n");
    expect(JSON.parse(JSON.stringify(r.config))).toEqual(r.config);
  });
});
