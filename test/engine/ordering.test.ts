import { describe, expect, it } from "vitest";
import { createEngine, FOLLOW_TIMEOUT_MS } from "../../src/engine/index.js";
import { automation, config, event, freshId, ms, proactive, run, summary, timeline, trigger } from "./builders.js";

const countAll = () => createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))));

describe("duplicates (SEMANTICS §6)", () => {
  it("an event already processed is dropped as a duplicate", () => {
    const e = countAll();
    const x = event("a.b.c", 1);
    expect(run(e, [x])).toHaveLength(1);
    expect(e.ingest(x)).toEqual([{ kind: "dropped-duplicate", event_id: x.id }]);
  });

  it("an event already waiting for its leader is dropped as a duplicate", () => {
    const e = countAll();
    const f = event("a.b.c", 1, { follows: freshId() });
    expect(e.ingest(f)).toEqual([]);
    expect(e.ingest(f)).toEqual([{ kind: "dropped-duplicate", event_id: f.id }]);
    expect(e.pendingFollowers()).toEqual([f]);
  });

  it("processed ids are remembered for the dedupe window only (memory stays bounded)", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))), { dedupeWindowSeconds: 60 });
    const x = event("a.b.c", 0);
    run(e, [x, event("a.b.c", 61)]);
    expect(timeline(e.ingest(x))).toEqual([["Triggered", 0]]);
  });

  it("dedupeMaxIds caps the ids remembered, forgetting the oldest", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))), { dedupeMaxIds: 2 });
    const xs = [event("a.b.c", 0), event("a.b.c", 1), event("a.b.c", 2)];
    run(e, xs);
    expect(e.ingest(xs[2]!)[0]!.kind).toBe("dropped-duplicate");
    expect(e.ingest(xs[0]!)[0]!.kind).toBe("firing");
  });

  it("snapshotProcessedIds: false keeps the ids while the engine runs but leaves them out of the snapshot", () => {
    const cfg = config(automation("all", trigger({ expect: ["a.b.*"] })));
    const e = createEngine(cfg, { snapshotProcessedIds: false });
    const x = event("a.b.c", 0);
    run(e, [x]);
    expect(e.ingest(x)[0]!.kind).toBe("dropped-duplicate");
    const state = JSON.parse(JSON.stringify(e.snapshot()));
    expect(state.processed).toEqual([]);
    // a host that delivers each id once relies on that: the restored engine does not know x
    expect(createEngine(cfg, {}, state).ingest(x)[0]!.kind).toBe("firing");
    // the default still saves them
    const kept = createEngine(cfg);
    run(kept, [x]);
    expect(createEngine(cfg, {}, JSON.parse(JSON.stringify(kept.snapshot()))).ingest(x)[0]!.kind).toBe("dropped-duplicate");
  });
});

describe("follows (SEMANTICS §6)", () => {
  it("an event whose leader was not processed waits, and a waiting event does not move the clock", () => {
    const e = countAll();
    run(e, [event("a.b.c", 0)]);
    expect(e.ingest(event("a.b.c", 100, { follows: freshId() }))).toEqual([]);
    expect(e.clock()).toBe(ms(0));
  });

  it("an event whose leader was already processed is processed at once", () => {
    const e = countAll();
    const leader = event("a.b.c", 0);
    expect(timeline(run(e, [leader, event("a.b.d", 1, { follows: leader.id })]))).toEqual([
      ["Triggered", 0],
      ["Triggered", 1],
    ]);
  });

  it("when the leader is processed its followers are processed right after, in occurred order", () => {
    const e = countAll();
    const leader = event("a.b.c", 0);
    const late = event("a.b.d", 20, { follows: leader.id });
    const early = event("a.b.d", 10, { follows: leader.id });
    expect(run(e, [late, early])).toEqual([]);
    expect(summary(e.ingest(leader)).map((s) => s.by)).toEqual([leader.id, early.id, late.id]);
    expect(e.pendingFollowers()).toEqual([]);
  });

  it("followers are processed recursively (a chain of followers)", () => {
    const e = countAll();
    const a = event("a.b.c", 0);
    const b = event("a.b.c", 1, { follows: a.id });
    const c = event("a.b.c", 2, { follows: b.id });
    expect(run(e, [c, b])).toEqual([]);
    expect(summary(e.ingest(a)).map((s) => s.by)).toEqual([a.id, b.id, c.id]);
  });

  it("recursion stops at depth 20; deeper followers wait for their own time-out", () => {
    const e = countAll();
    const chain = [event("a.b.c", 0)];
    for (let i = 1; i <= 22; i++) chain.push(event("a.b.c", i, { follows: chain[i - 1]!.id }));
    for (let i = 22; i >= 1; i--) e.ingest(chain[i]!);
    expect(firings(e.ingest(chain[0]!))).toBe(21); // the leader + 20 levels
    expect(e.pendingFollowers().map((x) => x.id)).toEqual([chain[21]!.id, chain[22]!.id]);
    expect(firings(e.advanceTo(ms(21) + FOLLOW_TIMEOUT_MS))).toBe(2);
  });

  it("a follower whose leader never came is processed once the clock reaches occurred + 15 min", () => {
    const e = countAll();
    const f = event("a.b.d", 100, { follows: freshId() });
    e.ingest(f);
    expect(e.advanceTo(ms(100) + FOLLOW_TIMEOUT_MS - 1)).toEqual([]);
    expect(summary(e.advanceTo(ms(100) + FOLLOW_TIMEOUT_MS)).map((s) => [s.by, s.at])).toEqual([[f.id, 100]]);
  });

  it("a timed-out follower is processed after the deadlines due at that instant", () => {
    const e = createEngine(
      config(
        automation("watch", proactive({ after: ["a.b.start"], expect: ["a.b.end"], within: FOLLOW_TIMEOUT_MS / 1000 })),
        automation("all", trigger({ expect: ["a.b.d"] })),
      ),
    );
    e.ingest(event("a.b.start", 0));
    e.ingest(event("a.b.d", 0, { follows: freshId() }));
    const out = e.advanceTo(ms(0) + FOLLOW_TIMEOUT_MS);
    expect(summary(out).map((s) => s.automation)).toEqual(["watch", "all"]);
  });

  it("an event arriving when its time-out has already passed is processed at once", () => {
    const e = countAll();
    run(e, [event("a.b.c", 10_000)]);
    expect(timeline(e.ingest(event("a.b.d", 0, { follows: freshId() })))).toEqual([["Triggered", 0]]);
  });

  it("an event that follows itself is not held back", () => {
    const e = countAll();
    const id = freshId();
    expect(timeline(e.ingest(event("a.b.d", 0, { id, follows: id })))).toEqual([["Triggered", 0]]);
  });

  it("a flood of followers beyond maxWaitingFollowers releases the one due first (memory stays bounded)", () => {
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))), { maxWaitingFollowers: 3 });
    const fs = [3, 1, 2, 4].map((t) => event("a.b.d", t, { follows: freshId() }));
    const outs = fs.map((f) => e.ingest(f));
    expect(summary(outs[3]!).map((s) => s.at)).toEqual([1]);
    expect(e.pendingFollowers().map((x) => x.occurred.slice(17, 19))).toEqual(["02", "03", "04"]);
  });
});

describe("the clock (SEMANTICS §3: deadlines are exact, the clock never goes backwards)", () => {
  it("a late event does not move the clock back and is evaluated at its own occurred", () => {
    const e = countAll();
    run(e, [event("a.b.c", 100), event("a.b.c", 50)]);
    expect(e.clock()).toBe(ms(100));
    expect(e.advanceTo(ms(10))).toEqual([]);
    expect(e.clock()).toBe(ms(100));
  });

  it("clock() is null before the engine has seen a time", () => {
    expect(countAll().clock()).toBeNull();
  });

  it("advanceTo refuses a time that is not a number", () => {
    expect(() => countAll().advanceTo(Number.NaN)).toThrow(expect.objectContaining({ code: "HOOKLINE_ENGINE_BAD_TIME" }));
  });

  it("ingest refuses an event with no valid occurred time, with a coded error", () => {
    const bad = { ...event("a.b.c", 0), occurred: "yesterday" };
    expect(() => countAll().ingest(bad)).toThrow(expect.objectContaining({ code: "HOOKLINE_ENGINE_INVALID_EVENT" }));
  });
});

function firings(out: ReturnType<ReturnType<typeof countAll>["ingest"]>): number {
  return out.filter((o) => o.kind === "firing").length;
}

describe("settledLeaders (a host's word that a leader was processed before this engine's state)", () => {
  it("a follower of a settled leader is processed at once, unchanged; of another unknown leader it waits", () => {
    const settled = freshId();
    const e = createEngine(config(automation("all", trigger({ expect: ["a.b.*"] }))), { settledLeaders: new Set([settled]) });
    const follower = event("a.b.c", 1, { follows: settled });
    const out = e.ingest(follower);
    expect(out).toHaveLength(1);
    expect(out[0]!.kind === "firing" && out[0]!.firing.triggering_event).toEqual(follower);
    expect(e.ingest(event("a.b.d", 2, { follows: freshId() }))).toEqual([]);
    expect(e.pendingFollowers()).toHaveLength(1);
  });
});
