/**
 * Composite edge cases (SEMANTICS §4): proactive children (deadline times, repeats), "never twice for the same
 * triggering event", require N with concurrent children, paused composites.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { TriggerSpec } from "../../src/automations/types.js";
import { automation, compound, config, event, firingsOf, proactive, run, sequence, summary, timeline, trigger } from "./builders.js";

const on = (name: string) => trigger({ expect: [name] });
const engineFor = (t: TriggerSpec) => createEngine(config(automation("c", t)));
const stuck = (p = {}) => proactive({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60, ...p });

describe("proactive children (SEMANTICS §4: times use the deadline of a proactive firing)", () => {
  it("a proactive child's firing time is its deadline, not its after event's time (within is measured from it)", () => {
    const e = engineFor(compound([stuck(), on("a.b.two")], "all", 1));
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 60 }, event("a.b.two", 61)]))).toEqual([["Triggered", 61]]);
    const e2 = engineFor(compound([stuck(), on("a.b.two")], "all", 1));
    expect(run(e2, [event("job.run.started", 0), { tick: 60 }, event("a.b.two", 61.001)])).toEqual([]);
  });

  it("a proactive child's repeats feed its parent: each repeat is a new parent firing", () => {
    const e = engineFor(compound([stuck({ repeat: 100 })], "any"));
    const start = event("job.run.started", 0);
    expect(summary(run(e, [start, { tick: 300 }])).map((s) => [s.at, s.by])).toEqual([
      [60, start.id],
      [160, start.id],
      [260, start.id],
    ]);
  });

  it("a proactive child's alarm reaches an any parent even when its after event already fired a sibling", () => {
    const e = engineFor(compound([on("job.run.started"), stuck()], "any"));
    const start = event("job.run.started", 0);
    expect(summary(run(e, [start, { tick: 300 }])).map((s) => [s.at, s.by])).toEqual([
      [0, start.id],
      [60, start.id],
    ]);
  });

  it("a sequence can require a start and then its absence alarm, caused by the same event", () => {
    const e = engineFor(sequence([on("job.run.started"), stuck()]));
    const start = event("job.run.started", 0);
    const [f, ...rest] = firingsOf(run(e, [start, { tick: 300 }]));
    expect(rest).toEqual([]);
    expect([f!.at, f!.triggering_event!.id, f!.child_firings.length]).toEqual(["2024-01-01T00:01:00.000Z", start.id, 2]);
  });

  it("two tiling children of an any alarming at the same deadline give one parent firing (same cause: no event, same time)", () => {
    const e = engineFor(compound([proactive({ expect: ["a.b.one"], within: 60 }), proactive({ expect: ["a.b.two"], within: 60 })], "any"));
    const out = firingsOf(run(e, [{ tick: 0 }, { tick: 60 }]));
    expect(out.map((f) => [f.at, f.child_firings.length])).toEqual([["2024-01-01T00:01:00.000Z", 1]]);
  });
});

describe("a composite never fires twice for the same triggering event (SEMANTICS §4)", () => {
  it("an all whose children all match one event fires once per event, with every child's firing", () => {
    const e = engineFor(compound([on("a.b.x"), on("a.b.x")], "all"));
    const fs = firingsOf(run(e, [event("a.b.x", 1), event("a.b.x", 2)]));
    expect(fs.map((f) => [f.at.slice(17, 19), f.child_firings.length])).toEqual([
      ["01", 2],
      ["02", 2],
    ]);
  });

  it("require 2 of 3 children matching one event fires once per event; the third child's firing is not kept for the next", () => {
    const e = engineFor(compound([on("a.b.x"), on("a.b.x"), on("a.b.x")], 2));
    const x1 = event("a.b.x", 1);
    const x2 = event("a.b.x", 2);
    const fs = firingsOf(run(e, [x1, x2]));
    expect(fs.map((f) => [f.triggering_event!.id, f.child_firings.map((c) => c.triggering_event!.id)])).toEqual([
      [x1.id, [x1.id, x1.id]],
      [x2.id, [x2.id, x2.id]],
    ]);
  });

  it("an any with a nested all: one event completing both gives one firing", () => {
    const e = engineFor(compound([compound([on("a.b.x"), on("a.b.*")], "all"), on("a.b.x")], "any"));
    expect(timeline(run(e, [event("a.b.x", 1)]))).toEqual([["Triggered", 1]]);
  });

  it("an any whose children reach their thresholds on the same event fires once for it", () => {
    const e = engineFor(compound([on("a.b.x"), trigger({ expect: ["a.b.*"], threshold: 2 })], "any"));
    const x1 = event("a.b.x", 1);
    const x2 = event("a.b.x", 2);
    const fs = firingsOf(run(e, [x1, x2]));
    expect(fs.map((f) => f.triggering_event!.id)).toEqual([x1.id, x2.id]);
  });
});

describe("paused composites keep no state (SEMANTICS §5)", () => {
  it("pausing drops the stored child firings: after resuming every child must fire again", () => {
    const e = engineFor(compound([on("a.b.one"), on("a.b.two")], "all"));
    run(e, [event("a.b.one", 1)]);
    e.setPaused("c", true);
    e.setPaused("c", false);
    expect(run(e, [event("a.b.two", 2)])).toEqual([]);
    expect(timeline(run(e, [event("a.b.one", 3)]))).toEqual([["Triggered", 3]]);
  });

  it("a paused automation's proactive child arms nothing while paused: resuming brings no late alarm", () => {
    const e = engineFor(compound([stuck(), on("a.b.two")], "any"));
    e.setPaused("c", true);
    run(e, [event("job.run.started", 0)]);
    e.setPaused("c", false);
    expect(run(e, [{ tick: 1000 }])).toEqual([]);
  });
});
