import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { EventTriggerSpec } from "../../src/automations/types.js";
import { automation, config, event, run, summary, trigger } from "./builders.js";

const fires = (t: Partial<EventTriggerSpec>, e: ReturnType<typeof event>): boolean =>
  run(createEngine(config(automation("m", trigger(t)))), [e]).length > 0;

describe("which events a trigger covers (SEMANTICS §2–3)", () => {
  it("expect globs match event names, anchored at both ends", () => {
    expect(fires({ expect: ["github.workflow-run.*"] }, event("github.workflow-run.Failed", 0))).toBe(true);
    expect(fires({ expect: ["github.workflow-run.*"] }, event("github.workflow-job.Failed", 0))).toBe(false);
    expect(fires({ expect: ["*.Failed"] }, event("github.workflow-run.Failed", 0))).toBe(true);
    expect(fires({ expect: ["github.*.Fail"] }, event("github.workflow-run.Failed", 0))).toBe(false);
  });

  it("a negated expect pattern matches every other name", () => {
    expect(fires({ expect: ["!github.push.*"], match: { repo: "r" } }, event("github.issues.opened", 0, { resource: { repo: "r" } }))).toBe(
      true,
    );
    expect(fires({ expect: ["!github.push.*"], match: { repo: "r" } }, event("github.push.created", 0, { resource: { repo: "r" } }))).toBe(
      false,
    );
  });

  it("empty expect means any event (with a match)", () => {
    expect(fires({ match: { repo: "r" } }, event("any.thing.at-all", 0, { resource: { repo: "r" } }))).toBe(true);
  });

  it("match keys are ANDed, a list of patterns is ORed, and it reads the primary resource only", () => {
    const t = { expect: ["a.b.c"], match: { repo: ["r1", "r2"], branch: "main" } };
    expect(fires(t, event("a.b.c", 0, { resource: { repo: "r2", branch: "main" } }))).toBe(true);
    expect(fires(t, event("a.b.c", 0, { resource: { repo: "r3", branch: "main" } }))).toBe(false);
    expect(
      fires(
        t,
        event("a.b.c", 0, {
          resource: { repo: "r1" },
          related: [{ "prefect.resource.id": "x", "prefect.resource.role": "r", branch: "main" }],
        }),
      ),
    ).toBe(false);
  });

  it("a missing label matches nothing, not even a negated pattern", () => {
    expect(fires({ expect: ["a.b.c"], match: { repo: "!r1" } }, event("a.b.c", 0))).toBe(false);
    expect(fires({ expect: ["a.b.c"], match: { repo: "!r1" } }, event("a.b.c", 0, { resource: { repo: "r2" } }))).toBe(true);
  });

  it("labels named like Object.prototype members are missing unless the resource has them", () => {
    expect(fires({ expect: ["a.b.c"], match: { constructor: "*" } }, event("a.b.c", 0))).toBe(false);
    expect(fires({ expect: ["a.b.c"], match: { toString: "!x" } }, event("a.b.c", 0))).toBe(false);
    const hostile = event("a.b.c", 0);
    hostile.resource = JSON.parse('{"prefect.resource.id":"x","__proto__":"p"}');
    const protoMatch = JSON.parse('{"__proto__":"p"}') as Record<string, string>;
    expect(Object.keys(protoMatch)).toEqual(["__proto__"]);
    expect(fires({ expect: ["a.b.c"], match: protoMatch }, hostile)).toBe(true);
    expect(fires({ expect: ["a.b.c"], match: protoMatch }, event("a.b.c", 0))).toBe(false);
  });

  it("a literal prefect.resource.id match selects the resource", () => {
    expect(fires({ match: { "prefect.resource.id": "res.9" } }, event("a.b.c", 0, { resource: { "prefect.resource.id": "res.9" } }))).toBe(
      true,
    );
    expect(fires({ match: { "prefect.resource.id": "res.9" } }, event("a.b.c", 0))).toBe(false);
  });

  it("match_related: every object must be satisfied, possibly by different related resources", () => {
    const t: Partial<EventTriggerSpec> = {
      expect: ["a.b.c"],
      match_related: [{ "prefect.resource.role": "actor", login: "bot" }, { "prefect.resource.role": "repository" }],
    };
    const actor = { "prefect.resource.id": "u", "prefect.resource.role": "actor", login: "bot" };
    const repo = { "prefect.resource.id": "r", "prefect.resource.role": "repository" };
    expect(fires(t, event("a.b.c", 0, { related: [actor, repo] }))).toBe(true);
    expect(fires(t, event("a.b.c", 0, { related: [actor] }))).toBe(false);
  });

  it("after events are covered too, by their own names", () => {
    const e = createEngine(config(automation("m", trigger({ after: ["a.b.start"], expect: ["x.y.end"], within: 60 }))));
    expect(run(e, [event("a.b.start", 0), event("x.y.end", 1)]).length).toBe(1);
  });
});

describe("bucket keys (SEMANTICS §3)", () => {
  it("for_each reads related:<role>:<label> from the first related resource with that role", () => {
    const e = createEngine(config(automation("m", trigger({ expect: ["a.b.c"], for_each: ["related:actor:login"], threshold: 2 }))));
    const by = (login: string) => ({
      related: [
        { "prefect.resource.id": "u", "prefect.resource.role": "actor", login },
        { "prefect.resource.id": "v", "prefect.resource.role": "actor", login: "second" },
      ],
    });
    const out = run(e, [event("a.b.c", 0, by("ann")), event("a.b.c", 1, by("bob")), event("a.b.c", 2, by("ann"))]);
    expect(summary(out).map((s) => s.labels)).toEqual([{ "related:actor:login": "ann" }]);
  });

  it("keys with several labels use sorted label order and do not collide", () => {
    const e = createEngine(config(automation("m", trigger({ expect: ["a.b.c"], for_each: ["a", "b"], threshold: 2 }))));
    const out = run(e, [
      event("a.b.c", 0, { resource: { a: "x,y", b: "" } }),
      event("a.b.c", 1, { resource: { a: "x", b: "y" } }),
      event("a.b.c", 2, { resource: { a: "x", b: "y" } }),
    ]);
    expect(summary(out).map((s) => s.labels)).toEqual([{ a: "x", b: "y" }]);
  });

  it("a missing for_each label is the empty string, and events missing it share one bucket", () => {
    const e = createEngine(config(automation("m", trigger({ expect: ["a.b.c"], for_each: ["repo"], threshold: 2 }))));
    expect(summary(run(e, [event("a.b.c", 0), event("a.b.c", 1, { resource: { repo: "" } })])).map((s) => s.labels)).toEqual([
      { repo: "" },
    ]);
  });

  it("simultaneous firings of one event come out in automation order, then trigger order", () => {
    const cfg = config(...["z", "a", "m"].map((n) => automation(n, trigger({ expect: ["a.b.*"] }))));
    expect(summary(run(createEngine(cfg), [event("a.b.c", 0)])).map((s) => s.automation)).toEqual(["z", "a", "m"]);
  });

  it("unique event names in bulk do not grow the engine without bound and still match", () => {
    const e = createEngine(config(automation("m", trigger({ expect: ["bulk.name.*"] }))));
    let n = 0;
    for (let i = 0; i < 12_000; i++) n += e.ingest(event(`bulk.name.n${i}`, i)).length;
    expect(n).toBe(12_000);
  });
});
