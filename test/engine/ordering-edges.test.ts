/** SEMANTICS §6 edge cases: time-outs interleaved with deadlines, released followers and the clock, duplicates. */
import { describe, expect, it } from "vitest";
import { createEngine, FOLLOW_TIMEOUT_MS } from "../../src/engine/index.js";
import { automation, config, event, freshId, ms, proactive, run, summary, trigger } from "./builders.js";

const TIMEOUT = FOLLOW_TIMEOUT_MS / 1000;

describe("follower time-outs among deadlines (SEMANTICS §6)", () => {
  it("a follower whose leader never came is processed after the deadlines due at occurred + 15 min, and before later ones", () => {
    const e = createEngine(
      config(
        automation("watch", proactive({ after: ["a.b.start"], expect: ["a.b.end"], for_each: ["k"], within: TIMEOUT })),
        automation("all", trigger({ expect: ["a.b.d"] })),
      ),
    );
    const k = (v: string) => ({ resource: { k: v } });
    run(e, [event("a.b.start", -1, k("before")), event("a.b.start", 0, k("same")), event("a.b.start", 1, k("after"))]);
    const f = event("a.b.d", 0, { follows: freshId() });
    e.ingest(f);
    expect(summary(e.advanceTo(ms(TIMEOUT + 1))).map((s) => [s.automation, s.at, s.labels.k ?? s.by])).toEqual([
      ["watch", TIMEOUT - 1, "before"],
      ["watch", TIMEOUT, "same"],
      ["all", 0, f.id],
      ["watch", TIMEOUT + 1, "after"],
    ]);
  });

  it("a follower processed at its time-out is not processed again when its leader finally arrives", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))));
    const leader = event("a.b.lead", 0);
    const f = event("a.b.d", 0, { follows: leader.id });
    e.ingest(f);
    expect(summary(e.advanceTo(ms(TIMEOUT))).map((s) => s.by)).toEqual([f.id]);
    expect(summary(e.ingest(leader)).map((s) => s.by)).toEqual([leader.id]);
    expect(e.pendingFollowers()).toEqual([]);
  });

  it("a follower arriving after its own time-out (occurred + 15 min ≤ clock) does not wait, even if its leader comes next", () => {
    const e = createEngine(config(automation("pair", trigger({ after: ["a.b.lead"], expect: ["a.b.d"], within: 10 }))));
    const leader = event("a.b.lead", 0);
    const f = event("a.b.d", 5, { follows: leader.id });
    expect(run(e, [event("a.b.unrelated", 5 + TIMEOUT), f, leader])).toEqual([]);
    expect(e.pendingFollowers()).toEqual([]);
  });

  it("a duplicate of a follower that has been released is dropped", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))));
    const leader = event("a.b.lead", 0);
    const f = event("a.b.d", 1, { follows: leader.id });
    run(e, [f, leader]);
    expect(e.ingest(f)).toEqual([{ kind: "dropped-duplicate", event_id: f.id }]);
  });
});

describe("released followers and the clock (SEMANTICS §3 and §6)", () => {
  it("a released follower later than its leader moves the clock: deadlines in between fire before it", () => {
    const e = createEngine(
      config(
        automation("watch", proactive({ after: ["a.b.start"], expect: ["a.b.end"], within: 50 })),
        automation("all", trigger({ expect: ["a.b.d"] })),
      ),
    );
    const leader = event("a.b.lead", 10);
    const f = event("a.b.d", 100, { follows: leader.id });
    run(e, [event("a.b.start", 0), f]);
    expect(summary(e.ingest(leader)).map((s) => [s.automation, s.at])).toEqual([
      ["watch", 50],
      ["all", 100],
    ]);
    expect(e.clock()).toBe(ms(100));
  });

  it("followers of one leader with the same occurred are processed in arrival order", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.d"] }))));
    const leader = event("a.b.lead", 0);
    const fs = [
      event("a.b.d", 5, { follows: leader.id }),
      event("a.b.d", 5, { follows: leader.id }),
      event("a.b.d", 5, { follows: leader.id }),
    ];
    run(e, fs);
    expect(summary(e.ingest(leader)).map((s) => s.by)).toEqual(fs.map((x) => x.id));
  });

  it("a follower released by a leader older than the clock is evaluated at its own occurred", () => {
    const e = createEngine(config(automation("pair", trigger({ after: ["a.b.lead"], expect: ["a.b.d"], within: 10 }))));
    const leader = event("a.b.lead", 0);
    const f = event("a.b.d", 5, { follows: leader.id });
    // the clock is at 500 (< 5 + 15 min, so f waits) when both arrive: the pair still falls in [0, 10)
    const out = run(e, [event("a.b.unrelated", 500), f, leader]);
    expect(summary(out).map((s) => [s.at, s.by])).toEqual([[5, f.id]]);
  });
});
