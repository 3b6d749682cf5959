/**
 * The live feed's interval bookkeeping (bots/server/console/seq-ranges.ts): the sequences handed out kept as a
 * few intervals, and the gaps the fallback poll reads between them, capped. Pinned against a plain set of
 * sequences (the model) over seeded random pushes.
 */
import { describe, expect, it } from "vitest";
import { createSeqIntervals, gapRanges, type SeqRange } from "../../bots/server/console/seq-ranges.js";

/** a small seeded generator (mulberry32): the random cases are the same on every run */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inRanges = (rs: readonly SeqRange[], q: bigint) => rs.some((r) => q >= r.lo && (r.hi === null || q <= r.hi));

describe("the sequences handed out, as intervals", () => {
  it("a run of consecutive sequences is one interval; holes split it and filling a hole joins both sides", () => {
    const s = createSeqIntervals();
    for (let q = 10n; q <= 20n; q++) expect(s.add(q)).toBe(true);
    expect(s.intervals()).toEqual([[10n, 20n]]);
    s.add(22n);
    s.add(5n);
    expect(s.intervals()).toEqual([
      [5n, 5n],
      [10n, 20n],
      [22n, 22n],
    ]);
    s.add(21n);
    expect(s.intervals()).toEqual([
      [5n, 5n],
      [10n, 22n],
    ]);
    expect(s.max()).toBe(22n);
  });

  it("adding a sequence twice says so (the push/poll dedupe: each event sent at most once)", () => {
    const s = createSeqIntervals();
    expect(s.add(7n)).toBe(true);
    expect(s.add(7n)).toBe(false);
    expect(s.has(7n)).toBe(true);
    expect(s.has(8n)).toBe(false);
  });

  it("forgetting through a floor drops what is at or below it and trims the interval across it", () => {
    const s = createSeqIntervals();
    for (const q of [1n, 2n, 3n, 8n, 9n, 10n, 11n, 15n]) s.add(q);
    s.dropThrough(9n);
    expect(s.intervals()).toEqual([
      [10n, 11n],
      [15n, 15n],
    ]);
    expect(s.has(9n)).toBe(false);
    expect(s.intervals(11n)).toEqual([[15n, 15n]]);
    s.dropThrough(20n);
    expect(s.max()).toBeNull();
  });

  it("over random pushes in any order it holds exactly the set of sequences added (membership, intervals, forgetting)", () => {
    const next = random(16);
    for (let round = 0; round < 20; round++) {
      const s = createSeqIntervals();
      const model = new Set<bigint>();
      for (let i = 0; i < 400; i++) {
        const q = BigInt(Math.floor(next() * 300));
        expect(s.add(q)).toBe(!model.has(q));
        model.add(q);
        if (i % 100 === 99) {
          const floor = BigInt(Math.floor(next() * 150));
          s.dropThrough(floor);
          for (const m of [...model]) if (m <= floor) model.delete(m);
        }
      }
      for (let q = 0n; q < 310n; q++) expect(s.has(q)).toBe(model.has(q));
      const iv = s.intervals();
      // sorted, disjoint and not adjacent: as few intervals as the set allows
      for (let i = 1; i < iv.length; i++) expect(iv[i]![0]).toBeGreaterThan(iv[i - 1]![1] + 1n);
      expect(iv.reduce((n, [lo, hi]) => n + Number(hi - lo + 1n), 0)).toBe(model.size);
    }
  });
});

describe("the ranges the fallback poll reads", () => {
  it("with nothing handed out above the cursor: one open range after it", () => {
    expect(gapRanges([], 41n, 16)).toEqual([{ lo: 42n, hi: null }]);
    expect(gapRanges([[30n, 41n]], 41n, 16)).toEqual([{ lo: 42n, hi: null }]);
  });

  it("the gaps between the pushed intervals and after the last, never a pushed sequence", () => {
    const iv: [bigint, bigint][] = [
      [5n, 9n],
      [11n, 20n],
      [25n, 30n],
    ];
    expect(gapRanges(iv, 6n, 16)).toEqual([
      { lo: 10n, hi: 10n },
      { lo: 21n, hi: 24n },
      { lo: 31n, hi: null },
    ]);
    // a pushed run right after the cursor: the read starts after it
    expect(gapRanges([[11n, 20n]], 10n, 16)).toEqual([{ lo: 21n, hi: null }]);
  });

  it("past the cap, gaps are joined across the smallest pushed runs; every unpushed sequence is still read", () => {
    const next = random(7);
    for (let round = 0; round < 50; round++) {
      const s = createSeqIntervals();
      for (let i = 0; i < 200; i++) s.add(BigInt(Math.floor(next() * 400)));
      const after = BigInt(Math.floor(next() * 50));
      const cap = 1 + Math.floor(next() * 20);
      const rs = gapRanges(s.intervals(after), after, cap);
      expect(rs.length).toBeLessThanOrEqual(cap);
      expect(rs[rs.length - 1]!.hi).toBeNull();
      for (let i = 1; i < rs.length; i++) expect(rs[i]!.lo).toBeGreaterThan(rs[i - 1]!.hi! + 1n);
      for (let q = after + 1n; q < 420n; q++) if (!s.has(q)) expect(inRanges(rs, q)).toBe(true);
      for (let q = 0n; q <= after; q++) expect(inRanges(rs, q)).toBe(false);
    }
  });

  it("the joins cross the smallest pushed runs (fewest pushed rows read back)", () => {
    // gaps at 2, 10, 30, 100.. separated by runs of 5, 15 and 60 sequences
    const iv: [bigint, bigint][] = [
      [3n, 7n],
      [11n, 25n],
      [31n, 90n],
    ];
    expect(gapRanges(iv, 0n, 3)).toEqual([
      { lo: 1n, hi: 10n },
      { lo: 26n, hi: 30n },
      { lo: 91n, hi: null },
    ]);
    expect(gapRanges(iv, 0n, 1)).toEqual([{ lo: 1n, hi: null }]);
  });
});
