import { describe, expect, it } from "vitest";
import { codes, load, only } from "./helpers.js";

const auto = (name: string, trigger: string) => `automations:\n  - name: ${name}\n    trigger: ${trigger}\n`;

describe("an automation MUST NOT trigger on its own events (SEMANTICS §5)", () => {
  it("expecting hookline.automation.triggered without a match is an error at expect", () => {
    const r = load(auto("loop", "{expect: hookline.automation.triggered}"));
    expect(r.config).toBeNull();
    expect(only(r, "HOOKLINE_SELF_TRIGGER")).toMatchObject({ severity: "error", line: 3 });
    expect(only(r, "HOOKLINE_SELF_TRIGGER").hint).toContain('prefect.resource.name: "!loop"');
  });

  it("a glob that covers its own action events is an error too", () => {
    expect(codes(load(auto("a", '{expect: "hookline.action.*"}')))).toContain("HOOKLINE_SELF_TRIGGER");
    expect(codes(load(auto("a", '{expect: "hookline.*", match: {prefect.resource.id: "hookline.automation.*"}}')))).toContain(
      "HOOKLINE_SELF_TRIGGER",
    );
  });

  it("reacting to ANOTHER automation's firing is fine", () => {
    const r = load(auto("chained", "{expect: hookline.automation.triggered, match: {prefect.resource.name: deploy}}"));
    expect(codes(r)).not.toContain("HOOKLINE_SELF_TRIGGER");
    const excluded = load(auto("b", '{expect: hookline.automation.triggered, match: {prefect.resource.name: "!b"}}'));
    expect(codes(excluded)).not.toContain("HOOKLINE_SELF_TRIGGER");
  });

  it("a child of a compound trigger that reacts to its own automation's events is found", () => {
    const r = load(
      auto("c", "{type: compound, require: any, triggers: [{expect: github.push.pushed}, {expect: hookline.automation.resolved}]}"),
    );
    expect(codes(r)).toContain("HOOKLINE_SELF_TRIGGER");
  });

  it("a Proactive trigger waiting for its own events does not loop, and match_related is not judged", () => {
    expect(codes(load(auto("p", "{posture: Proactive, expect: hookline.automation.triggered, within: 60}")))).not.toContain(
      "HOOKLINE_SELF_TRIGGER",
    );
    expect(
      codes(load(auto("r", "{expect: hookline.automation.triggered, match_related: {prefect.resource.role: triggering-event}}"))),
    ).not.toContain("HOOKLINE_SELF_TRIGGER");
  });
});

describe("self-trigger through negation", () => {
  it("a negated expect pattern lets the automation's own events through: an error", () => {
    const r = load(auto("neg", '{expect: ["!github.push.pushed"]}'));
    expect(codes(r)).toContain("HOOKLINE_SELF_TRIGGER");
  });
});
