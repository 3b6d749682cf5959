import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { TriggerSpec } from "../../src/automations/types.js";
import { automation, compound, config, event, firingsOf, proactive, run, sequence, summary, timeline, trigger } from "./builders.js";

const on = (name: string, extra: Parameters<typeof trigger>[0] = {}) => trigger({ expect: [name], ...extra });
const engineFor = (t: TriggerSpec) => createEngine(config(automation("c", t)));

describe("compound triggers (SEMANTICS §4)", () => {
  it("require all fires once every child has a stored firing, at the newest child's time", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all"));
    const two = event("a.b.two", 20);
    expect(run(e, [event("a.b.one", 10)])).toEqual([]);
    expect(summary(run(e, [two]))).toEqual([{ automation: "c", state: "Triggered", at: 20, by: two.id, labels: {} }]);
  });

  it("used child firings are cleared: the next completion needs every child again", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all"));
    expect(timeline(run(e, [event("a.b.one", 1), event("a.b.two", 2), event("a.b.two", 3), event("a.b.one", 4)]))).toEqual([
      ["Triggered", 2],
      ["Triggered", 4],
    ]);
  });

  it("each child keeps only its latest firing", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all"));
    const [f] = firingsOf(run(e, [event("a.b.one", 1), event("a.b.one", 5), event("a.b.two", 6)]));
    expect(f!.child_firings.map((c) => c.at)).toEqual(["2024-01-01T00:00:06.000Z", "2024-01-01T00:00:05.000Z"]);
  });

  it("any fires at once on a child firing", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "any"));
    expect(timeline(run(e, [event("a.b.two", 1), event("a.b.one", 2)]))).toEqual([
      ["Triggered", 1],
      ["Triggered", 2],
    ]);
  });

  it("require N fires when N children have stored firings", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two"), on("a.b.three")], 2));
    expect(timeline(run(e, [event("a.b.one", 1), event("a.b.three", 2)]))).toEqual([["Triggered", 2]]);
  });

  it("two children of an any matching one event give one parent firing", () => {
    const e = engineFor(compound([on("a.b.one"), trigger({ expect: ["a.b.*"] })], "any"));
    expect(timeline(run(e, [event("a.b.one", 1)]))).toEqual([["Triggered", 1]]);
  });

  it("a composite never fires twice for the same triggering event, also when nested", () => {
    const e = engineFor(compound([on("a.b.one"), compound([on("a.b.one"), on("a.b.one")], "any")], "any"));
    expect(timeline(run(e, [event("a.b.one", 1), event("a.b.one", 2)]))).toEqual([
      ["Triggered", 1],
      ["Triggered", 2],
    ]);
  });

  it("a stored child firing still counts when newest.at - child.at <= within (inclusive)", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all", 60));
    expect(timeline(run(e, [event("a.b.one", 0), event("a.b.two", 60)]))).toEqual([["Triggered", 60]]);
  });

  it("a stored child firing older than within no longer counts", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all", 60));
    expect(run(e, [event("a.b.one", 0), event("a.b.two", 61)])).toEqual([]);
    expect(timeline(run(e, [event("a.b.one", 62)]))).toEqual([["Triggered", 62]]);
  });

  it("within null or 0 is unlimited", () => {
    for (const within of [null, 0]) {
      const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all", within));
      expect(timeline(run(e, [event("a.b.one", 0), event("a.b.two", 6 * 86_400)]))).toEqual([["Triggered", 6 * 86_400]]);
    }
  });

  it("times use event time: a late child event counts by its occurred, not by arrival", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all", 60));
    expect(timeline(run(e, [event("a.b.two", 1000), event("a.b.one", 950)]))).toEqual([["Triggered", 1000]]);
  });

  it("labels are the union of the children's, the newest child winning a conflict", () => {
    const e = engineFor(compound([on("a.b.one", { for_each: ["k", "x"] }), on("a.b.two", { for_each: ["k", "y"] })], "all"));
    const [f] = firingsOf(
      run(e, [event("a.b.one", 1, { resource: { k: "old", x: "1" } }), event("a.b.two", 2, { resource: { k: "new", y: "2" } })]),
    );
    expect(f!.labels).toEqual({ k: "new", x: "1", y: "2" });
  });

  it("triggering_event is the newest child's; child_firings and events are newest first", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all"));
    const one = event("a.b.one", 5);
    const two = event("a.b.two", 3);
    const [f] = firingsOf(run(e, [one, two]));
    expect(f!.triggering_event).toEqual(one);
    expect(f!.child_firings.map((c) => c.triggering_event?.id)).toEqual([one.id, two.id]);
    expect(f!.events.map((x) => x.id)).toEqual([one.id, two.id]);
  });

  it("nesting works to any depth", () => {
    let t: TriggerSpec = on("a.b.leaf");
    for (let i = 0; i < 12; i++) t = compound([t, on(`a.b.n${i}`)], "all");
    const e = engineFor(t);
    const events = [event("a.b.leaf", 0), ...Array.from({ length: 12 }, (_, i) => event(`a.b.n${i}`, i + 1))];
    const fs = firingsOf(run(e, events));
    expect(fs).toHaveLength(1);
    expect(fs[0]!.events).toHaveLength(13);
  });

  it("proactive children feed parents like reactive ones, at their deadline", () => {
    const e = engineFor(
      compound([proactive({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 }), on("a.b.two")], "all"),
    );
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 60 }, event("a.b.two", 61)]))).toEqual([["Triggered", 61]]);
  });

  it("a child's Resolved does not feed the parent, and composites emit no Resolved", () => {
    const e = engineFor(compound([proactive({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 })], "any"));
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 60 }, event("job.run.finished", 70)]))).toEqual([["Triggered", 60]]);
  });

  it("the parent combines children's firings whatever their keys", () => {
    const e = engineFor(compound([on("a.b.one", { for_each: ["k"] }), on("a.b.two", { for_each: ["k"] })], "all"));
    expect(timeline(run(e, [event("a.b.one", 1, { resource: { k: "a" } }), event("a.b.two", 2, { resource: { k: "b" } })]))).toEqual([
      ["Triggered", 2],
    ]);
  });
});

describe("sequence triggers (SEMANTICS §4)", () => {
  it("fires when the children fired in declared order", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.two")]));
    expect(timeline(run(e, [event("a.b.one", 1), event("a.b.two", 2)]))).toEqual([["Triggered", 2]]);
  });

  it("out-of-order firings do not complete the sequence", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.two")]));
    expect(run(e, [event("a.b.two", 1), event("a.b.one", 2)])).toEqual([]);
    expect(timeline(run(e, [event("a.b.two", 3)]))).toEqual([["Triggered", 3]]);
  });

  it("equal times are in order", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.two")]));
    expect(timeline(run(e, [event("a.b.two", 5), event("a.b.one", 5)]))).toEqual([["Triggered", 5]]);
  });

  it("order uses event time: a late first step still completes the sequence", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.two")]));
    expect(timeline(run(e, [event("a.b.two", 10), event("a.b.one", 5)]))).toEqual([["Triggered", 10]]);
  });

  it("within bounds the spread between the first and the last step (inclusive)", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.two")], 10));
    expect(run(e, [event("a.b.one", 0), event("a.b.two", 11)])).toEqual([]);
    const e2 = engineFor(sequence([on("a.b.one"), on("a.b.two")], 10));
    expect(timeline(run(e2, [event("a.b.one", 0), event("a.b.two", 10)]))).toEqual([["Triggered", 10]]);
  });

  it("one event matching every step completes a sequence once", () => {
    const e = engineFor(sequence([on("a.b.one"), on("a.b.one")]));
    expect(timeline(run(e, [event("a.b.one", 1)]))).toEqual([["Triggered", 1]]);
  });
});
