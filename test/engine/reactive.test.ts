import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { automation, config, event, run, summary, timeline, trigger } from "./builders.js";

const engineFor = (...ts: Parameters<typeof trigger>[0][]) => createEngine(config(...ts.map((t, i) => automation(`a${i}`, trigger(t)))));

describe("reactive triggers without after (SEMANTICS §3 rules 2–5)", () => {
  it("fires on the first expected event when threshold is 1, with at = the event's occurred", () => {
    const e = engineFor({ expect: ["x.y.z"] });
    const ev = event("x.y.z", 5);
    expect(summary(run(e, [ev]))).toEqual([{ automation: "a0", state: "Triggered", at: 5, by: ev.id, labels: {} }]);
  });

  it("an event whose name is not expected is ignored", () => {
    const e = engineFor({ expect: ["x.y.z"] });
    expect(run(e, [event("x.y.other", 1)])).toEqual([]);
  });

  it("counts up to the threshold inside the window", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 3, within: 60 });
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 10), event("x.y.z", 20)]))).toEqual([["Triggered", 20]]);
  });

  it("the first expected event opens a window with a 15-minute look-back that late events count in", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    // second event is 14 minutes older than the first: inside the look-back
    expect(timeline(run(e, [event("x.y.z", 1000), event("x.y.z", 1000 - 14 * 60)]))).toEqual([["Triggered", 160]]);
  });

  it("an event before the window start (older than the look-back) is ignored when within > 0", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    expect(run(e, [event("x.y.z", 1000), event("x.y.z", 1000 - 16 * 60)])).toEqual([]);
  });

  it("an expected event at or past end opens the next window at its own time, no look-back, and counts", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 60 });
    // 0 opens [-900, 60); 60 is at end -> new window [60, 120) count 1; 50 (late, before start) ignored; 119 fires
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 60), event("x.y.z", 50), event("x.y.z", 119)]))).toEqual([
      ["Triggered", 119],
    ]);
  });

  it("after firing the next window is [max(end, E.occurred), +within) so events before the old end do not count twice", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 1, within: 60 });
    // 0 fires; window becomes [60, 120): 30 is ignored; 60 fires
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 30), event("x.y.z", 60)]))).toEqual([
      ["Triggered", 0],
      ["Triggered", 60],
    ]);
  });

  it("within 0 means no time limit: counts accumulate until the threshold", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 3, within: 0 });
    expect(timeline(run(e, [event("x.y.z", 0), event("x.y.z", 86_400), event("x.y.z", 5 * 86_400)]))).toEqual([["Triggered", 5 * 86_400]]);
  });

  it("within 0 counts every expected event, even one older than the look-back", () => {
    const e = engineFor({ expect: ["x.y.z"], threshold: 2, within: 0 });
    expect(timeline(run(e, [event("x.y.z", 5000), event("x.y.z", 0)]))).toEqual([["Triggered", 0]]);
  });
});

describe("reactive triggers with after (SEMANTICS §3 rule 1)", () => {
  it("an after event opens the bucket; expected events with no open bucket are ignored", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    const end = event("x.y.end", 5);
    expect(run(e, [event("x.y.end", 1)])).toEqual([]);
    expect(summary(run(e, [event("x.y.start", 2), end])).map((s) => s.by)).toEqual([end.id]);
  });

  it("with after, firing closes the bucket: a new after event must re-arm it", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.end", 1), event("x.y.end", 2)]))).toEqual([["Triggered", 1]]);
    expect(timeline(run(e, [event("x.y.start", 3), event("x.y.end", 4)]))).toEqual([["Triggered", 4]]);
  });

  it("an expected event at or past end with after closes the bucket and is ignored", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60, threshold: 2 });
    // [0, 60): 10 counts; 60 closes; 70 has no bucket
    expect(run(e, [event("x.y.start", 0), event("x.y.end", 10), event("x.y.end", 60), event("x.y.end", 70)])).toEqual([]);
  });

  it("a further after event inside the open bucket changes nothing (the window keeps its start)", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    // start at 0 opens [0,60); start at 30 changes nothing; end at 65 is past end -> ignored
    expect(run(e, [event("x.y.start", 0), event("x.y.start", 30), event("x.y.end", 65)])).toEqual([]);
  });

  it("an after event at or past end re-opens the bucket at its own time", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.start", 60), event("x.y.end", 100)]))).toEqual([["Triggered", 100]]);
  });

  it("an event both after and expected opens at -1 so it does not count toward itself", () => {
    const e = engineFor({ after: ["x.y.ping"], expect: ["x.y.ping"], within: 60 });
    expect(timeline(run(e, [event("x.y.ping", 0), event("x.y.ping", 10)]))).toEqual([["Triggered", 10]]);
  });

  it("with after and within 0 the bucket has no time limit (short of the state TTL)", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 0 });
    expect(timeline(run(e, [event("x.y.start", 0), event("x.y.end", 6 * 86_400)]))).toEqual([["Triggered", 6 * 86_400]]);
  });

  it("an expected event before the window start is ignored", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 60 });
    expect(run(e, [event("x.y.start", 100), event("x.y.end", 50)])).toEqual([]);
  });
});

describe("state TTL (SEMANTICS §3: buckets idle longer than the TTL are dropped)", () => {
  it("a reactive bucket idle longer than the TTL (default 7 days) is dropped", () => {
    const e = engineFor({ after: ["x.y.start"], expect: ["x.y.end"], within: 0 });
    expect(run(e, [event("x.y.start", 0), event("x.y.end", 7 * 86_400 + 0.001)])).toEqual([]);
  });

  it("stateTtlSeconds sets the TTL; a count idle longer than that starts over", () => {
    const e = createEngine(config(automation("a", trigger({ expect: ["x.y.z"], threshold: 2 }))), { stateTtlSeconds: 100 });
    expect(run(e, [event("x.y.z", 0), event("x.y.z", 101)])).toEqual([]);
    expect(timeline(run(e, [event("x.y.z", 150)]))).toEqual([["Triggered", 150]]);
  });

  it("a negative stateTtlSeconds is refused with a coded error", () => {
    expect(() => createEngine(config(), { stateTtlSeconds: -1 })).toThrow(expect.objectContaining({ code: "HOOKLINE_ENGINE_BAD_OPTION" }));
  });
});
