import { describe, expect, it } from "vitest";
import { codes, errors, load, only, warnings } from "./helpers.js";

const withTrigger = (trigger: string) => `automations:\n  - name: a\n    trigger: ${trigger}\n`;

describe("SEMANTICS §2 validation", () => {
  it("a list mixing positive and negated patterns warns, in expect, after, match and match_related", () => {
    const r = load(
      withTrigger(
        '{expect: [a.b.c, "!a.b.d"], after: ["!x.y.z", x.y.w], match: {l: [a, "!b"]}, match_related: {prefect.resource.role: workflow, n: [c, "!d"]}}',
      ),
    );
    expect(r.config).not.toBeNull();
    expect(warnings(r).map((p) => [p.code, p.col])).toEqual([
      ["HOOKLINE_MIXED_NEGATION", 23],
      ["HOOKLINE_MIXED_NEGATION", 49],
      ["HOOKLINE_MIXED_NEGATION", 79],
      ["HOOKLINE_MIXED_NEGATION", 143],
    ]);
  });

  it("only-negated or only-positive lists do not warn", () => {
    const r = load(withTrigger('{expect: ["!a.b.c", "!a.b.d"], match: {l: [a, b]}}'));
    expect(r.problems).toEqual([]);
  });

  it("a negated prefect.resource.id in match_related without a role warns at the key", () => {
    const r = load(withTrigger('{expect: a.b.c, match_related: [{prefect.resource.id: "!github.workflow.1"}]}'));
    expect(only(r, "HOOKLINE_NEGATED_ID_WITHOUT_ROLE")).toMatchObject({ severity: "warning", line: 3, col: 47 });
    const withRole = load(
      withTrigger('{expect: a.b.c, match_related: {prefect.resource.id: "!github.workflow.1", prefect.resource.role: workflow}}'),
    );
    expect(withRole.problems).toEqual([]);
  });

  it("an event trigger with empty expect, match and match_related is an error", () => {
    for (const trigger of ["{}", "{expect: [], match: {}, match_related: []}", "{type: event, match_related: [{}]}", "{after: a.b.c}"]) {
      const r = load(withTrigger(trigger));
      expect(r.config).toBeNull();
      expect(only(r, "HOOKLINE_TRIGGER_MATCHES_EVERYTHING")).toMatchObject({ line: 3, col: 14 });
    }
  });

  it("expect alone, match alone or match_related alone is enough", () => {
    expect(load(withTrigger("{expect: a.b.c}")).problems).toEqual([]);
    expect(load(withTrigger("{match: {prefect.resource.id: github.workflow-run.1}}")).problems).toEqual([]);
    expect(load(withTrigger("{match_related: {prefect.resource.role: actor}}")).problems).toEqual([]);
  });

  it("a child of a composite that matches everything is an error at the child", () => {
    const r = load(withTrigger("{type: compound, triggers: [{expect: a.b.c}, {}]}"));
    expect(only(r, "HOOKLINE_TRIGGER_MATCHES_EVERYTHING").col).toBe(59);
  });

  it("a `related:` key in match warns that match reads the primary resource only", () => {
    const r = load(withTrigger("{expect: a.b.c, match: {related:workflow:name: x}}"));
    expect(only(r, "HOOKLINE_RELATED_KEY_IN_MATCH").hint).toContain("match_related");
  });
});

describe("SEMANTICS §3 event trigger fields", () => {
  it("threshold must be a whole number ≥ 0", () => {
    expect(codes(load(withTrigger("{expect: a.b.c, threshold: 1.5}")))).toEqual(["HOOKLINE_INVALID_TYPE"]);
    expect(only(load(withTrigger("{expect: a.b.c, threshold: -1}")), "HOOKLINE_INVALID_VALUE").message).toBe("threshold must be ≥ 0");
    expect(codes(load(withTrigger('{expect: a.b.c, threshold: "3"}')))).toEqual(["HOOKLINE_INVALID_TYPE"]);
    expect(load(withTrigger("{expect: a.b.c, threshold: 0}")).config).not.toBeNull();
  });

  it("a Proactive within below 10 seconds is an error, an explicit 0 included", () => {
    for (const within of ["0", "5", "9s", "PT9S"]) {
      const r = load(withTrigger(`{expect: a.b.c, posture: Proactive, within: ${within}}`));
      expect(r.config).toBeNull();
      expect(only(r, "HOOKLINE_PROACTIVE_WITHIN_TOO_SHORT")).toMatchObject({ line: 3, col: 58 });
    }
    expect(load(withTrigger("{expect: a.b.c, posture: Proactive, within: 10}")).problems).toEqual([]);
  });

  it("negative within is an error", () => {
    expect(codes(load(withTrigger("{expect: a.b.c, within: -1}")))).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });

  it("an unknown posture gets a did-you-mean hint", () => {
    const r = load(withTrigger("{expect: a.b.c, posture: proactive}"));
    expect(only(r, "HOOKLINE_INVALID_VALUE").hint).toBe("did you mean `Proactive`?");
  });

  it("repeat is for Proactive triggers only, and must be longer than 0", () => {
    const reactive = load(withTrigger("{expect: a.b.c, repeat: 1h}"));
    expect(only(reactive, "HOOKLINE_REPEAT_NOT_PROACTIVE")).toMatchObject({ line: 3, col: 30 });
    const zero = load(withTrigger("{expect: a.b.c, posture: Proactive, within: 1m, repeat: 0}"));
    expect(codes(zero)).toEqual(["HOOKLINE_INVALID_DURATION"]);
    expect(load(withTrigger("{expect: a.b.c, posture: Proactive, within: 1m, repeat: 1h}")).problems).toEqual([]);
  });
});

describe("SEMANTICS §4 composite triggers", () => {
  it("require N must be between 1 and the number of triggers", () => {
    const over = load(withTrigger("{type: compound, require: 3, triggers: [{expect: a.b.c}, {expect: a.b.d}]}"));
    expect(only(over, "HOOKLINE_REQUIRE_OUT_OF_RANGE")).toMatchObject({ line: 3, col: 40 });
    expect(codes(load(withTrigger("{type: compound, require: 0, triggers: [{expect: a.b.c}]}")))).toEqual(["HOOKLINE_INVALID_VALUE"]);
    expect(codes(load(withTrigger("{type: compound, require: some, triggers: [{expect: a.b.c}]}")))).toEqual(["HOOKLINE_INVALID_VALUE"]);
    expect(load(withTrigger("{type: compound, require: 2, triggers: [{expect: a.b.c}, {expect: a.b.d}]}")).problems).toEqual([]);
  });

  it("a composite needs at least one trigger", () => {
    expect(errors(load(withTrigger("{type: sequence, triggers: []}")))[0]!.message).toContain("at least one trigger");
  });

  it("composite within may be null (unlimited) or a duration", () => {
    const r = load(withTrigger("{type: sequence, within: null, triggers: [{expect: a.b.c}, {expect: a.b.d}]}"));
    expect(r.problems).toEqual([]);
    expect(r.config!.automations[0]!.trigger).toMatchObject({ type: "sequence", within: null });
  });

  it("sequence has no `require`", () => {
    const r = load(withTrigger("{type: sequence, require: all, triggers: [{expect: a.b.c}]}"));
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD").message).toBe("unknown field `require`");
  });
});

describe("automation names", () => {
  it("duplicate names are an error at the second name, naming the first line", () => {
    const r = load(
      "automations:\n  - name: a\n    trigger: {expect: a.b.c}\n  - name: b\n    trigger: {expect: a.b.c}\n  - name: a\n    trigger: {expect: a.b.c}\n",
    );
    expect(only(r, "HOOKLINE_DUPLICATE_NAME")).toMatchObject({
      line: 6,
      col: 11,
      message: "automation name `a` is already used (line 2)",
    });
  });

  it("an empty name is an error", () => {
    expect(codes(load("automations:\n  - name: '  '\n    trigger: {expect: a.b.c}\n"))).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });
});

describe("threshold 0 and empty match_related", () => {
  it("threshold 0 warns: Reactive acts as 1, Proactive never fires", () => {
    const reactive = load(withTrigger("{expect: a.b.c, threshold: 0}"));
    expect(only(reactive, "HOOKLINE_THRESHOLD_ZERO")).toMatchObject({ severity: "warning", line: 3 });
    expect(only(reactive, "HOOKLINE_THRESHOLD_ZERO").message).toContain("acts as `threshold: 1`");
    const proactive = load(withTrigger("{expect: a.b.c, posture: Proactive, within: 60, threshold: 0}"));
    expect(only(proactive, "HOOKLINE_THRESHOLD_ZERO").message).toContain("never fires");
    expect(codes(load(withTrigger("{expect: a.b.c, threshold: 2}")))).not.toContain("HOOKLINE_THRESHOLD_ZERO");
  });

  it("an empty match_related mapping constrains nothing (it does not demand a related resource)", () => {
    const r = load(withTrigger("{expect: a.b.c, match_related: {}}"));
    expect(r.config?.automations[0]?.trigger).toMatchObject({ type: "event", match_related: [] });
    const list = load(withTrigger("{expect: a.b.c, match_related: [{}, {prefect.resource.role: actor}]}"));
    expect(list.config?.automations[0]?.trigger).toMatchObject({ match_related: [{ "prefect.resource.role": "actor" }] });
  });
});
