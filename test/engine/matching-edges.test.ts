/**
 * SEMANTICS §2 as the engine applies it, beyond the basics in matching.test.ts: case, `?` and classes in event
 * names (differs from Prefect), literal `match` keys, `match_related` with no implicit role, negated `after`,
 * and firing order when triggers are found through different paths of the trigger index.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { EventTriggerSpec } from "../../src/automations/types.js";
import { automation, config, event, run, summary, timeline, trigger } from "./builders.js";

const fires = (t: Partial<EventTriggerSpec>, e: ReturnType<typeof event>): boolean =>
  run(createEngine(config(automation("m", trigger(t)))), [e]).length > 0;

describe("event-name patterns (SEMANTICS §2, differs from Prefect: full globs)", () => {
  it("event names match case-sensitively", () => {
    expect(fires({ expect: ["github.workflow-run.Failed"] }, event("github.workflow-run.failed", 0))).toBe(false);
    expect(fires({ expect: ["github.workflow-run.F*"] }, event("github.workflow-run.failed", 0))).toBe(false);
  });

  it("? matches exactly one character in an event name", () => {
    expect(fires({ expect: ["a.b.v?"] }, event("a.b.v1", 0))).toBe(true);
    expect(fires({ expect: ["a.b.v?"] }, event("a.b.v", 0))).toBe(false);
    expect(fires({ expect: ["a.b.v?"] }, event("a.b.v12", 0))).toBe(false);
  });

  it("[abc] and [!abc] classes work in event names, also as the first character", () => {
    expect(fires({ expect: ["[ab].x.y"] }, event("a.x.y", 0))).toBe(true);
    expect(fires({ expect: ["[ab].x.y"] }, event("c.x.y", 0))).toBe(false);
    expect(fires({ expect: ["[!ab].x.y"] }, event("c.x.y", 0))).toBe(true);
    expect(fires({ expect: ["[!ab].x.y"] }, event("a.x.y", 0))).toBe(false);
  });

  it("* in an event name crosses dots", () => {
    expect(fires({ expect: ["github.*"] }, event("github.workflow-run.Failed", 0))).toBe(true);
  });

  it("a negated after pattern arms on every other covered event", () => {
    const e = createEngine(
      config(automation("m", trigger({ after: ["!a.b.quiet"], expect: ["a.b.done"], within: 60, match: { repo: "r" } }))),
    );
    const r = { resource: { repo: "r" } };
    expect(run(e, [event("a.b.quiet", 0, r), event("a.b.done", 1, r)])).toEqual([]);
    expect(timeline(run(e, [event("a.b.noise", 2, r), event("a.b.done", 3, r)]))).toEqual([["Triggered", 3]]);
  });
});

describe("match and match_related (SEMANTICS §2)", () => {
  it("label values match case-sensitively", () => {
    expect(fires({ expect: ["a.b.c"], match: { repo: "Org/*" } }, event("a.b.c", 0, { resource: { repo: "org/x" } }))).toBe(false);
  });

  it("a match key of the form related:<role>:<label> is a literal label name, not a related lookup", () => {
    const related = [{ "prefect.resource.id": "u", "prefect.resource.role": "actor", login: "bot" }];
    expect(fires({ expect: ["a.b.c"], match: { "related:actor:login": "bot" } }, event("a.b.c", 0, { related }))).toBe(false);
    expect(
      fires(
        { expect: ["a.b.c"], match: { "related:actor:login": "bot" } },
        event("a.b.c", 0, { resource: { "related:actor:login": "bot" } }),
      ),
    ).toBe(true);
  });

  it("match_related has no implicit role filter: an object without a role is satisfied by a resource of any role", () => {
    const t: Partial<EventTriggerSpec> = { expect: ["a.b.c"], match_related: [{ login: "bot" }] };
    expect(
      fires(t, event("a.b.c", 0, { related: [{ "prefect.resource.id": "u", "prefect.resource.role": "whatever", login: "bot" }] })),
    ).toBe(true);
    expect(fires(t, event("a.b.c", 0, { resource: { login: "bot" } }))).toBe(false);
  });

  it("one match_related object must be satisfied by ONE related resource (its keys are not spread over several)", () => {
    const t: Partial<EventTriggerSpec> = { expect: ["a.b.c"], match_related: [{ "prefect.resource.role": "actor", login: "bot" }] };
    const related = [
      { "prefect.resource.id": "u", "prefect.resource.role": "actor", login: "human" },
      { "prefect.resource.id": "v", "prefect.resource.role": "reviewer", login: "bot" },
    ];
    expect(fires(t, event("a.b.c", 0, { related }))).toBe(false);
  });

  it("a list in match_related holds when any element matches", () => {
    const t: Partial<EventTriggerSpec> = { expect: ["a.b.c"], match_related: [{ login: ["ann", "bob"] }] };
    expect(fires(t, event("a.b.c", 0, { related: [{ "prefect.resource.id": "u", "prefect.resource.role": "actor", login: "bob" }] }))).toBe(
      true,
    );
  });
});

describe("firing order does not depend on how the trigger index found the triggers", () => {
  it("one event firing triggers filed by literal name, glob prefix, literal label and catch-all comes out in file order", () => {
    const cfg = config(
      automation("negated", trigger({ expect: ["!x.y.none"], match: { repo: "r" } })),
      automation("label", trigger({ expect: ["a.b.c"], match: { repo: "r" } })),
      automation("prefix", trigger({ expect: ["a.b.*"] })),
      automation("literal", trigger({ expect: ["a.b.c"] })),
      automation("class", trigger({ expect: ["[a].b.c"] })),
      automation("label-prefix", trigger({ expect: ["a.*"], match: { repo: ["q", "r"] } })),
    );
    const out = run(createEngine(cfg), [event("a.b.c", 0, { resource: { repo: "r" } })]);
    expect(summary(out).map((s) => s.automation)).toEqual(["negated", "label", "prefix", "literal", "class", "label-prefix"]);
  });
});
