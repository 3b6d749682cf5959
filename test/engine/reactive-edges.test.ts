/**
 * Edge cases of reactive triggers (SEMANTICS §3 rules 1–5) that a demanding user hits: window boundaries,
 * the −1 of an event both `after` and expected, threshold 0, the state TTL boundary.
 */
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import type { EventTriggerSpec } from "../../src/automations/types.js";
import { automation, config, event, run, summary, timeline, trigger } from "./builders.js";

const engineFor = (p: Partial<EventTriggerSpec>, ttl?: number) =>
  createEngine(config(automation("r", trigger(p))), ttl === undefined ? {} : { stateTtlSeconds: ttl });

describe("reactive window boundaries (SEMANTICS §3 rule 3: start ≤ E.occurred < end)", () => {
  it("an event exactly at the look-back start (first event − 15 min) counts", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    expect(timeline(run(e, [event("x.y.z", 1000), event("x.y.z", 1000 - 900)]))).toEqual([["Triggered", 100]]);
  });

  it("an event 1 ms before the look-back start is ignored", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    expect(run(e, [event("x.y.z", 1000), event("x.y.z", 1000 - 900.001)])).toEqual([]);
  });

  it("an event 1 ms before end counts in the window", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 59.999)]))).toEqual([["Triggered", 59.999]]);
  });

  it("with after, an expected event exactly at the after event's time (= start) counts", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    const end = event("x.y.end", 10);
    expect(summary(run(e, [event("x.y.start", 10), end])).map((s) => [s.at, s.by])).toEqual([[10, end.id]]);
  });

  it("with after, an expected event exactly at end closes the bucket: a later one inside the old window is ignored", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60, threshold: 2 });
    // [0,60): 10 counts (1); 60 is at end: closes; 30 (late, inside the old window) has no bucket any more
    expect(run(e, [event("x.y.start", 0), event("x.y.end", 10), event("x.y.end", 60), event("x.y.end", 30)])).toEqual([]);
  });

  it("without after, the window opened at end counts the event at end: threshold 2 is met by the next one", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    // [−900,60) holds 0 (count 1); 60 opens [60,120) with count 1; 120 is at that end: opens [120,180) count 1; 121 fires
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 60), event("x.y.z", 120), event("x.y.z", 121)]))).toEqual([
      ["Triggered", 121],
    ]);
  });
});

describe("the −1 count of an event both after and expected (SEMANTICS §3 rule 1)", () => {
  it("an after event at or past end that is also expected re-opens at −1 too (it does not count toward itself)", () => {
    const e = engineFor({ after: ["x.y.ping"], expect: ["x.y.ping"], within: 60, threshold: 2 });
    // 0 opens at −1, then counts: 0. 60 is at end: re-opens at −1 → 0. 70 → 1. 80 → 2: fires
    expect(timeline(run(e, [event("x.y.ping", 0), event("x.y.ping", 60), event("x.y.ping", 70), event("x.y.ping", 80)]))).toEqual([
      ["Triggered", 80],
    ]);
  });

  it("with after, the event that fires closes the bucket even when it is also an after event: the next one re-arms", () => {
    const e = engineFor({ after: ["x.y.ping"], expect: ["x.y.ping"], within: 60 });
    // 0 opens; 10 fires and closes; 20 opens again; 30 fires
    expect(timeline(run(e, [event("x.y.ping", 0), event("x.y.ping", 10), event("x.y.ping", 20), event("x.y.ping", 30)]))).toEqual([
      ["Triggered", 10],
      ["Triggered", 30],
    ]);
  });

  it("a further after event in the open bucket changes nothing: its own count is not reset", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60, threshold: 2 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.end", 5), event("x.y.start", 6), event("x.y.end", 7)]))).toEqual([
      ["Triggered", 7],
    ]);
  });
});

describe("reactive within: 0 with after (SEMANTICS §3 rule 1: the bucket is open while within is 0)", () => {
  it("a further after event, however late, does not re-open the bucket (the count is kept)", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 0, threshold: 2 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.end", 10), event("x.y.start", 5000), event("x.y.end", 5001)]))).toEqual([
      ["Triggered", 5001],
    ]);
  });

  it("an expected event older than the after event still counts (no time limit, no start)", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 0 });
    const late = event("x.y.end", 50);
    expect(summary(run(e, [event("x.y.start", 100), late])).map((s) => [s.at, s.by])).toEqual([[50, late.id]]);
  });

  it("firing closes the bucket: later expected events are ignored until a new after event", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 0 });
    expect(
      timeline(run(e, [event("x.y.start", 0), event("x.y.end", 1), event("x.y.end", 2), event("x.y.start", 3), event("x.y.end", 4)])),
    ).toEqual([
      ["Triggered", 1],
      ["Triggered", 4],
    ]);
  });
});

describe("threshold 0 (documented in src/engine/README.md)", () => {
  it("reactive threshold 0 acts as 1: every counted expected event fires", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 0 });
    expect(timeline(run(e, [event("x.y.other", 0), event("x.y.z", 1), event("x.y.z", 2)]))).toEqual([
      ["Triggered", 1],
      ["Triggered", 2],
    ]);
  });

  it("reactive threshold 0 with after never fires on the after event itself, even when it is also expected", () => {
    const e = engineFor({ after: ["x.y.ping"], expect: ["x.y.ping"], within: 60, threshold: 0 });
    expect(timeline(run(e, [event("x.y.ping", 0), event("x.y.ping", 10), event("x.y.ping", 20)]))).toEqual([["Triggered", 10]]);
  });

  it("reactive threshold 0 with an after event that is not expected fires on the first expected event, not on the after event", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60, threshold: 0 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.end", 5)]))).toEqual([["Triggered", 5]]);
  });
});

describe("state TTL boundary (SEMANTICS §3: buckets idle LONGER than the TTL are dropped)", () => {
  it("a bucket idle exactly the TTL is kept", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2 }, 100);
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 100)]))).toEqual([["Triggered", 100]]);
  });

  it("a bucket idle 1 ms longer than the TTL is dropped: its count starts over", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2 }, 100);
    expect(run(e, [event("x.y.z", 0), event("x.y.z", 100.001)])).toEqual([]);
  });

  it("each counted event touches the bucket: a slow but steady stream is never dropped", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 4 }, 100);
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 90), event("x.y.z", 180), event("x.y.z", 270)]))).toEqual([
      ["Triggered", 270],
    ]);
  });

  it("the TTL is measured on the engine clock, so a late event does not revive a bucket the clock has expired", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2 }, 100);
    // 0 opens (count 1); an unrelated event moves the clock to 500; a late event at 50 finds no bucket
    const out = run(e, [event("x.y.z", 0), event("x.y.other", 500), event("x.y.z", 50)]);
    expect(out).toEqual([]);
  });
});
