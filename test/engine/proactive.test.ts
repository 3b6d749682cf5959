import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { EventTriggerSpec } from "../../src/automations/types.js";
import { automation, config, event, ms, proactive, run, summary, timeline } from "./builders.js";

const engineFor = (p: Partial<EventTriggerSpec>) => createEngine(config(automation("p", proactive(p))));

describe("proactive with after (SEMANTICS §3)", () => {
  const spec = { after: ["job.run.started"], expect: ["job.run.finished"], for_each: ["prefect.resource.id"], within: 60 };

  it("an after event arms [t, t+within); no expected event by the end fires Triggered at end with the after event", () => {
    const e = engineFor(spec);
    const start = event("job.run.started", 10, { resource: { "prefect.resource.id": "job.1" } });
    expect(run(e, [start])).toEqual([]);
    expect(summary(e.advanceTo(ms(70)))).toEqual([
      { automation: "p", state: "Triggered", at: 70, by: start.id, labels: { "prefect.resource.id": "job.1" } },
    ]);
  });

  it("the deadline is inclusive and exact: it fires when the clock reaches end, not later", () => {
    const e = engineFor(spec);
    run(e, [event("job.run.started", 10)]);
    expect(e.advanceTo(ms(69.999))).toEqual([]);
    expect(timeline(e.advanceTo(ms(70)))).toEqual([["Triggered", 70]]);
  });

  it("reaching the threshold returns the key to idle silently", () => {
    const e = engineFor(spec);
    expect(run(e, [event("job.run.started", 0), event("job.run.finished", 30), { tick: 1000 }])).toEqual([]);
  });

  it("an expected event at the window end does not count in it (deadlines fire before the event): it resolves", () => {
    const e = engineFor(spec);
    expect(timeline(run(e, [event("job.run.started", 0), event("job.run.finished", 60)]))).toEqual([
      ["Triggered", 60],
      ["Resolved", 60],
    ]);
  });

  it("expected events for an idle key are ignored (without an after event nothing is armed)", () => {
    const e = engineFor(spec);
    expect(run(e, [event("job.run.finished", 0), { tick: 1000 }])).toEqual([]);
  });

  it("keys are independent: one key's events do not satisfy another's window", () => {
    const e = engineFor(spec);
    const r = (id: string) => ({ resource: { "prefect.resource.id": id } });
    const out = run(e, [
      event("job.run.started", 0, r("a")),
      event("job.run.started", 5, r("b")),
      event("job.run.finished", 10, r("a")),
      { tick: 100 },
    ]);
    expect(summary(out).map((s) => [s.labels["prefect.resource.id"], s.at])).toEqual([["b", 65]]);
  });

  it("in alarm, the next expected event emits Resolved at its occurred with it as triggering event", () => {
    const e = engineFor(spec);
    const fin = event("job.run.finished", 100);
    const out = run(e, [event("job.run.started", 0), { tick: 60 }, fin]);
    expect(summary(out).map((s) => [s.state, s.at, s.by])).toEqual([
      ["Triggered", 60, expect.any(String)],
      ["Resolved", 100, fin.id],
    ]);
  });

  it("an after event for a key in alarm changes nothing", () => {
    const e = engineFor(spec);
    expect(timeline(run(e, [event("job.run.started", 0), event("job.run.started", 70), { tick: 1000 }]))).toEqual([["Triggered", 60]]);
  });

  it("after resolving, the key continues as if the event had just arrived: idle when it is not an after event", () => {
    const e = engineFor(spec);
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 60 }, event("job.run.finished", 100), { tick: 1000 }]))).toEqual([
      ["Triggered", 60],
      ["Resolved", 100],
    ]);
  });

  it("an after event that is also expected arms with count -1 so it does not count toward itself", () => {
    const e = engineFor({ after: ["svc.heart.beat"], expect: ["svc.heart.beat"], within: 60 });
    expect(timeline(run(e, [event("svc.heart.beat", 0), { tick: 60 }]))).toEqual([["Triggered", 60]]);
  });

  it("a heartbeat re-arms at its own time so the trigger fires `within` after the LAST heartbeat", () => {
    const e = engineFor({ after: ["svc.heart.beat"], expect: ["svc.heart.beat"], within: 60 });
    expect(
      timeline(run(e, [event("svc.heart.beat", 0), event("svc.heart.beat", 50), event("svc.heart.beat", 100), { tick: 1000 }])),
    ).toEqual([["Triggered", 160]]);
  });

  it("a heartbeat in alarm resolves and re-arms (the key is armed again, not idle)", () => {
    const e = engineFor({ after: ["svc.heart.beat"], expect: ["svc.heart.beat"], within: 60 });
    expect(timeline(run(e, [event("svc.heart.beat", 0), event("svc.heart.beat", 200), { tick: 1000 }]))).toEqual([
      ["Triggered", 60],
      ["Resolved", 200],
      ["Triggered", 260],
    ]);
  });

  it("without for_each the single key is armed only by an after event, never from the start", () => {
    const e = engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 });
    expect(run(e, [event("other.thing.happened", 0), { tick: 1000 }])).toEqual([]);
  });

  it("the triggering event is the last after/expected event seen", () => {
    const e = engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60, threshold: 2 });
    const fin = event("job.run.finished", 20);
    expect(summary(run(e, [event("job.run.started", 0), fin, { tick: 100 }])).map((s) => s.by)).toEqual([fin.id]);
  });
});

describe("proactive without after: tiling windows (SEMANTICS §3)", () => {
  it("without for_each the single key starts when the clock first has a time, with count 0", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60 });
    expect(timeline(e.advanceTo(ms(0)))).toEqual([]);
    expect(summary(e.advanceTo(ms(60)))).toEqual([{ automation: "p", state: "Triggered", at: 60, by: null, labels: {} }]);
  });

  it("the first input also starts the single key, and the event counts in that window", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60 });
    expect(timeline(run(e, [event("svc.heart.beat", 0), { tick: 60 }, { tick: 120 }]))).toEqual([["Triggered", 120]]);
  });

  it("windows tile: count >= threshold at end starts [end, end+within) with count 0", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, threshold: 2 });
    const out = run(e, [
      event("x.y.other", 0),
      event("svc.heart.beat", 10),
      event("svc.heart.beat", 20),
      event("svc.heart.beat", 70),
      { tick: 180 },
    ]);
    expect(timeline(out)).toEqual([["Triggered", 120]]);
  });

  it("with for_each a key starts at its first expected event with count 1", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, threshold: 2, for_each: ["host"] });
    const h = (host: string) => ({ resource: { host } });
    const out = run(e, [event("svc.heart.beat", 10, h("a")), event("svc.heart.beat", 20, h("a")), { tick: 1000 }]);
    // window [10,70) reached 2; next [70,130) had 0 -> fires at 130 with no triggering event
    expect(summary(out)).toEqual([{ automation: "p", state: "Triggered", at: 130, by: null, labels: { host: "a" } }]);
  });

  it("in alarm the next expected event resolves and starts a new tiled window with count 1", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, threshold: 1 });
    const out = run(e, [{ tick: 0 }, { tick: 60 }, event("svc.heart.beat", 100), { tick: 160 }, { tick: 220 }]);
    // alarm at 60; resolve at 100 opens [100,160) with 1 -> ok; [160,220) empty -> Triggered at 220
    expect(timeline(out)).toEqual([
      ["Triggered", 60],
      ["Resolved", 100],
      ["Triggered", 220],
    ]);
  });

  it("deadlines that pass during one advance all fire, in deadline order", () => {
    const e = createEngine(
      config(
        automation("slow", proactive({ expect: ["a.b.c"], within: 90 })),
        automation("fast", proactive({ expect: ["a.b.c"], within: 30 })),
      ),
    );
    e.advanceTo(ms(0));
    expect(summary(e.advanceTo(ms(1000))).map((s) => [s.automation, s.at])).toEqual([
      ["fast", 30],
      ["slow", 90],
    ]);
  });

  it("deadlines at the same instant fire by automation order in the file, then key first-seen order", () => {
    const e = createEngine(
      config(
        automation("first", proactive({ after: ["a.b.start"], expect: ["a.b.end"], for_each: ["k"], within: 30 })),
        automation("second", proactive({ after: ["a.b.start"], expect: ["a.b.end"], for_each: ["k"], within: 30 })),
      ),
    );
    const out = run(e, [event("a.b.start", 0, { resource: { k: "z" } }), event("a.b.start", 0, { resource: { k: "a" } }), { tick: 30 }]);
    expect(summary(out).map((s) => [s.automation, s.labels.k])).toEqual([
      ["first", "z"],
      ["first", "a"],
      ["second", "z"],
      ["second", "a"],
    ]);
  });
});

describe("proactive repeat", () => {
  it("while in alarm, fires Triggered again every `repeat` with the first triggering event", () => {
    const e = engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60, repeat: 100 });
    const start = event("job.run.started", 0);
    const out = run(e, [start, { tick: 300 }, event("job.run.finished", 310), { tick: 1000 }]);
    expect(summary(out).map((s) => [s.state, s.at, s.by === start.id])).toEqual([
      ["Triggered", 60, true],
      ["Triggered", 160, true],
      ["Triggered", 260, true],
      ["Resolved", 310, false],
    ]);
  });

  it("without repeat there is one alert per incident", () => {
    const e = engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 });
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 10_000 }]))).toEqual([["Triggered", 60]]);
  });

  it("firing ids differ between repeats and are the same in a re-run", () => {
    const mk = () => engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60, repeat: 100 });
    const start = event("job.run.started", 0);
    const a = run(mk(), [start, { tick: 300 }]);
    const b = run(mk(), [start, { tick: 300 }]);
    const ids = a.map((o) => (o.kind === "firing" ? o.firing.id : ""));
    expect(new Set(ids).size).toBe(3);
    expect(b).toEqual(a);
  });
});
