import { describe, expect, it } from "vitest";
import { compactState, emptyState, type ActionState } from "../../src/store/index.js";

const NOW = Date.parse("2024-06-30T00:00:00.000Z");
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

describe("compactState", () => {
  it("drops dedupe entries older than the horizon (default 30 days, GitHub's re-run limit) and keeps newer ones", () => {
    const s: ActionState = { ...emptyState(), dedupe: { old: daysAgo(31), edge: daysAgo(30), fresh: daysAgo(1) } };
    expect(Object.keys(compactState(s, { now: NOW }).dedupe).sort()).toEqual(["edge", "fresh"]);
    expect(Object.keys(compactState(s, { now: NOW, dedupeHorizonSeconds: 7 * 86_400 }).dedupe)).toEqual(["fresh"]);
  });

  it("keeps only the newest maxDedupe entries, ties broken by key so the result is deterministic", () => {
    const s: ActionState = { ...emptyState(), dedupe: { c: daysAgo(1), a: daysAgo(1), b: daysAgo(2), d: daysAgo(0) } };
    expect(Object.keys(compactState(s, { now: NOW, maxDedupe: 3 }).dedupe)).toEqual(["d", "a", "c"]);
    expect(compactState(s, { now: NOW, maxDedupe: 0 }).dedupe).toEqual({});
  });

  it("drops threads not updated within the horizon and keeps at most maxThreads, most recent first", () => {
    const t = (d: number) => ({ channel: "C1", ts: "1.2", updated: daysAgo(d) });
    const s: ActionState = { ...emptyState(), threads: { r1: t(40), r2: t(2), r3: t(1), r4: t(3) } };
    expect(Object.keys(compactState(s, { now: NOW }).threads)).toEqual(["r3", "r2", "r4"]);
    expect(Object.keys(compactState(s, { now: NOW, maxThreads: 1 }).threads)).toEqual(["r3"]);
  });

  it("drops expired pauses, keeps pauses without `until` and those still running", () => {
    const s: ActionState = {
      ...emptyState(),
      paused: {
        forever: { by: "alice", at: daysAgo(100) },
        expired: { by: "bob", at: daysAgo(2), until: daysAgo(1) },
        endsNow: { by: "bob", at: daysAgo(2), until: daysAgo(0) },
        later: { by: "carol", at: daysAgo(1), until: new Date(NOW + 3_600_000).toISOString() },
      },
    };
    expect(Object.keys(compactState(s, { now: NOW }).paused).sort()).toEqual(["forever", "later"]);
  });

  it("entries whose time cannot be read (hand-edited or hostile) are dropped, never crash", () => {
    const s: ActionState = {
      ...emptyState(),
      dedupe: { bad: "yesterday", worse: "2024-02-30T00:00:00Z", ok: daysAgo(1) },
      threads: { r: { channel: "C", ts: "1", updated: "" } },
      paused: { p: { by: "x", at: daysAgo(1), until: "soon" } },
    };
    const c = compactState(s, { now: NOW });
    expect(c.dedupe).toEqual({ ok: daysAgo(1) });
    expect(c.threads).toEqual({});
    expect(c.paused).toEqual({});
  });

  it("keeps the engine state as is and does not modify its input", () => {
    const s: ActionState = { ...emptyState(), engine: { version: 1, x: [1] }, dedupe: { old: daysAgo(99) } };
    const copy = structuredClone(s);
    const c = compactState(s, { now: NOW });
    expect(c.engine).toEqual({ version: 1, x: [1] });
    expect(s).toEqual(copy);
  });

  it("a prototype-like key survives compaction as a plain key", () => {
    const dedupe = JSON.parse(`{"__proto__":"${daysAgo(1)}"}`) as Record<string, string>;
    const c = compactState({ ...emptyState(), dedupe }, { now: NOW });
    expect(Object.keys(c.dedupe)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(c.dedupe)).toBe(Object.prototype);
  });

  it("100 000 dedupe entries compact to the cap (the blob stays small)", () => {
    const dedupe = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`event:${i}`, new Date(NOW - i * 1000).toISOString()]));
    const c = compactState({ ...emptyState(), dedupe }, { now: NOW });
    expect(Object.keys(c.dedupe)).toHaveLength(5_000);
    expect(c.dedupe["event:0"]).toBeDefined();
    expect(JSON.stringify(c).length).toBeLessThan(400_000);
  });
});
