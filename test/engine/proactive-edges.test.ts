/**
 * Edge cases of proactive triggers (SEMANTICS §3): defaults from the loader, threshold 0, where the single tiling
 * key starts, after events while armed or in alarm, repeat timing, deadline tie-breaks, the alarm TTL.
 */
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { createEngine } from "../../src/engine/index.js";
import type { EventTriggerSpec } from "../../src/automations/types.js";
import { automation, compound, config, event, firingsOf, freshId, ms, proactive, run, summary, timeline } from "./builders.js";

const engineFor = (p: Partial<EventTriggerSpec>, ttl?: number) =>
  createEngine(config(automation("p", proactive(p))), ttl === undefined ? {} : { stateTtlSeconds: ttl });
const job = { after: ["job.run.started"], expect: ["job.run.finished"], for_each: ["prefect.resource.id"], within: 60 };
const res = (id: string) => ({ resource: { "prefect.resource.id": id } });

describe("proactive defaults (SEMANTICS §3)", () => {
  it("proactive within defaults to 10 s when omitted", () => {
    const yaml = [
      "automations:",
      "  - name: quiet",
      "    trigger:",
      "      posture: Proactive",
      "      after: job.run.started",
      "      expect: job.run.finished",
      "      match: { prefect.resource.id: 'job.*' }",
      "    actions:",
      "      - type: do-nothing",
      "",
    ].join("\n");
    const loaded = loadAutomations(yaml, "automations.yaml");
    expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
    const e = createEngine(loaded.config!);
    e.ingest(event("job.run.started", 0, res("job.1")));
    expect(e.advanceTo(ms(9.999))).toEqual([]);
    expect(timeline(e.advanceTo(ms(10)))).toEqual([["Triggered", 10]]);
  });

  it("a proactive window shorter than 10 s given to the engine directly is raised to 10 s", () => {
    const e = engineFor({ ...job, within: 0 });
    run(e, [event("job.run.started", 0)]);
    expect(e.advanceTo(ms(9.999))).toEqual([]);
    expect(timeline(e.advanceTo(ms(10)))).toEqual([["Triggered", 10]]);
  });
});

describe("proactive threshold 0 (documented in src/engine/README.md)", () => {
  it("threshold 0 never fires: fewer than 0 events cannot happen (tiling)", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], threshold: 0 });
    expect(run(e, [{ tick: 0 }, { tick: 10_000 }])).toEqual([]);
  });

  it("threshold 0 never fires: not even for a heartbeat whose own arming count is −1", () => {
    const e = engineFor({ after: ["svc.heart.beat"], expect: ["svc.heart.beat"], threshold: 0 });
    expect(run(e, [event("svc.heart.beat", 0), { tick: 10_000 }])).toEqual([]);
  });

  it("threshold 0 never fires with after either", () => {
    expect(run(engineFor({ ...job, threshold: 0 }), [event("job.run.started", 0), { tick: 10_000 }])).toEqual([]);
  });
});

describe("where the single tiling key starts (SEMANTICS §3: when the clock first has a time)", () => {
  it("a proactive trigger without after/for_each starts at the first input even when that input is not expected", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60 });
    expect(summary(run(e, [event("x.y.unrelated", 30), { tick: 1000 }]))).toEqual([
      { automation: "p", state: "Triggered", at: 90, by: null, labels: {} },
    ]);
  });

  it("a follower that waits for its leader does not start the clock, so it does not start the tiling window", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60 });
    expect(e.ingest(event("x.y.unrelated", 30, { follows: freshId() }))).toEqual([]);
    expect(e.clock()).toBeNull();
    expect(timeline(run(e, [{ tick: 500 }, { tick: 560 }]))).toEqual([["Triggered", 560]]);
  });

  it("after the alarm, the single key's next window starts at the resolving event, not on the old grid", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60 });
    // [0,60) empty: alarm at 60; 75 resolves and opens [75,135) with 1; [135,195) empty: fires at 195
    expect(timeline(run(e, [{ tick: 0 }, { tick: 60 }, event("svc.heart.beat", 75), { tick: 1000 }]))).toEqual([
      ["Triggered", 60],
      ["Resolved", 75],
      ["Triggered", 195],
    ]);
  });

  it("only the first window's count is the event that started it: one more event is needed to reach threshold 2", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, threshold: 2, for_each: ["host"] });
    expect(timeline(run(e, [event("svc.heart.beat", 0, { resource: { host: "a" } }), { tick: 60 }]))).toEqual([["Triggered", 60]]);
  });
});

describe("proactive with after: further after events (SEMANTICS §3)", () => {
  it("a further after event while armed keeps the window (it does not push the deadline) and becomes the last event seen", () => {
    const e = engineFor(job);
    const second = event("job.run.started", 30, res("job.1"));
    expect(summary(run(e, [event("job.run.started", 0, res("job.1")), second, { tick: 1000 }])).map((s) => [s.at, s.by])).toEqual([
      [60, second.id],
    ]);
  });

  it("an after event for a key in alarm changes nothing: repeats keep the first triggering event, the key is not re-armed", () => {
    const e = engineFor({ ...job, repeat: 100 });
    const start = event("job.run.started", 0, res("job.1"));
    const out = run(e, [start, { tick: 60 }, event("job.run.started", 70, res("job.1")), { tick: 260 }]);
    expect(summary(out).map((s) => [s.state, s.at, s.by])).toEqual([
      ["Triggered", 60, start.id],
      ["Triggered", 160, start.id],
      ["Triggered", 260, start.id],
    ]);
  });

  it("an after event that is not expected does not resolve an alarm", () => {
    const e = engineFor(job);
    expect(
      timeline(run(e, [event("job.run.started", 0), { tick: 60 }, event("job.run.started", 70), event("job.run.finished", 80)])),
    ).toEqual([
      ["Triggered", 60],
      ["Resolved", 80],
    ]);
  });

  it("a resolved key is idle: a new after event arms a fresh window with count 0 (threshold 2)", () => {
    const e = engineFor({ ...job, threshold: 2 });
    const out = run(e, [
      event("job.run.started", 0),
      { tick: 60 },
      event("job.run.finished", 70),
      event("job.run.started", 80),
      event("job.run.finished", 90),
      { tick: 1000 },
    ]);
    expect(timeline(out)).toEqual([
      ["Triggered", 60],
      ["Resolved", 70],
      ["Triggered", 140],
    ]);
  });
});

describe("repeat (SEMANTICS §3)", () => {
  it("repeat firing times are exact: every `repeat` after the previous firing, inclusive at the instant", () => {
    const e = engineFor({ ...job, repeat: 30 });
    run(e, [event("job.run.started", 0)]);
    expect(timeline(e.advanceTo(ms(119.999)))).toEqual([
      ["Triggered", 60],
      ["Triggered", 90],
    ]);
    expect(timeline(e.advanceTo(ms(120)))).toEqual([["Triggered", 120]]);
  });

  it("repeat stops when the alarm resolves, and a new incident repeats from its own firing", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, repeat: 50 });
    const out = run(e, [{ tick: 0 }, { tick: 115 }, event("svc.heart.beat", 120), { tick: 300 }]);
    // alarm 60, repeat 110; resolved 120 opens [120,180) with 1; [180,240) empty: 240; repeat 290
    expect(timeline(out)).toEqual([
      ["Triggered", 60],
      ["Triggered", 110],
      ["Resolved", 120],
      ["Triggered", 240],
      ["Triggered", 290],
    ]);
  });

  it("a repeat of a tiling alarm has no triggering event, like the first firing", () => {
    const e = engineFor({ expect: ["svc.heart.beat"], within: 60, repeat: 60 });
    expect(summary(run(e, [{ tick: 0 }, { tick: 120 }])).map((s) => [s.at, s.by])).toEqual([
      [60, null],
      [120, null],
    ]);
  });
});

describe("deadline tie-breaks (SEMANTICS §3: automation order, then trigger order, then key first-seen order)", () => {
  it("ties inside one automation go by trigger order (depth-first), not by arming order", () => {
    // children 0 and 1 of an `all` both end at 60; 1 was armed first. The newest stored child (same time,
    // later arrival) gives the parent's triggering event: child 1's after event only when child 0 fired first
    const e = createEngine(
      config(
        automation(
          "c",
          compound(
            [
              proactive({ after: ["a.b.zero"], expect: ["a.b.done"], within: 60 }),
              proactive({ after: ["a.b.one"], expect: ["a.b.done"], within: 60 }),
            ],
            "all",
          ),
        ),
      ),
    );
    const one = event("a.b.one", 0);
    const [f] = firingsOf(run(e, [one, event("a.b.zero", 0), { tick: 60 }]));
    expect(f!.triggering_event!.id).toBe(one.id);
    expect(f!.child_firings.map((c) => c.triggering_event!.event)).toEqual(["a.b.one", "a.b.zero"]);
  });

  it("automation order wins over key first-seen order", () => {
    const e = createEngine(config(automation("late", proactive(job)), automation("early", proactive(job))));
    const out = run(e, [event("job.run.started", 0, res("k1")), event("job.run.started", 0, res("k2")), { tick: 60 }]);
    expect(summary(out).map((s) => [s.automation, s.labels["prefect.resource.id"]])).toEqual([
      ["late", "k1"],
      ["late", "k2"],
      ["early", "k1"],
      ["early", "k2"],
    ]);
  });

  it("a key that resolves and continues keeps its first-seen place", () => {
    const hb = { after: ["svc.heart.beat"], expect: ["svc.heart.beat"], for_each: ["host"], within: 60 };
    const e = engineFor(hb);
    const h = (host: string) => ({ resource: { host } });
    // a first seen at 0, b at 30; both alarm. At 100 b's heartbeat resolves and re-arms b, then a's does a:
    // both windows end at 160, and a was seen first
    const out = run(e, [
      event("svc.heart.beat", 0, h("a")),
      event("svc.heart.beat", 30, h("b")),
      event("svc.heart.beat", 100, h("b")),
      event("svc.heart.beat", 100, h("a")),
      { tick: 160 },
    ]);
    expect(summary(out).map((s) => [s.state, s.at, s.labels.host])).toEqual([
      ["Triggered", 60, "a"],
      ["Triggered", 90, "b"],
      ["Resolved", 100, "b"],
      ["Resolved", 100, "a"],
      ["Triggered", 160, "a"],
      ["Triggered", 160, "b"],
    ]);
  });
});

describe("proactive state TTL (documented in src/engine/README.md)", () => {
  it("an armed window always reaches its end, however long", () => {
    const e = engineFor({ ...job, within: 30 * 86_400 }, 100);
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 30 * 86_400 }]))).toEqual([["Triggered", 30 * 86_400]]);
  });

  it("a for_each key in alarm is dropped after the TTL: its repeats stop and a late expected event does not resolve", () => {
    const e = engineFor({ ...job, repeat: 40 }, 100);
    const out = run(e, [event("job.run.started", 0), { tick: 1000 }, event("job.run.finished", 1001)]);
    // alarm at 60, repeats at 100, 140; 180 is 120 s after the last touch (60 + 100 < 180): dropped
    expect(timeline(out)).toEqual([
      ["Triggered", 60],
      ["Triggered", 100],
      ["Triggered", 140],
    ]);
  });

  it("the single key of a proactive trigger without for_each is never dropped", () => {
    const e = engineFor({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 }, 100);
    expect(timeline(run(e, [event("job.run.started", 0), { tick: 10_000 }, event("job.run.finished", 10_001)]))).toEqual([
      ["Triggered", 60],
      ["Resolved", 10_001],
    ]);
  });
});
