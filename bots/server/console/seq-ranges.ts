/**
 * The live feed's bookkeeping of storage sequences as intervals (bots/server/console/event-stream.ts), pure.
 *
 * The feed remembers every sequence it handed out (the push/poll dedupe) and its fallback poll must read only
 * what it did NOT hand out. One process's pushed sequences are nearly contiguous (its batches take runs of the
 * sequence; other writers, rollbacks and the sequence cache leave a few holes), so they are kept as a few closed
 * [lo, hi] intervals instead of a set of thousands of strings, and the poll reads only the gaps between them:
 * a few index range scans whatever the ingest rate. The number of ranges read is capped: past the cap the
 * gaps separated by the smallest pushed intervals are read as one range (those few pushed rows come back and
 * are dropped by the dedupe), so a poll stays bounded however fragmented the pushes are.
 */

/** a closed range of storage sequences; `hi` null: no upper end */
export interface SeqRange {
  lo: bigint;
  hi: bigint | null;
}

export interface SeqIntervals {
  /** adds `seq`; false when it was there already */
  add(seq: bigint): boolean;
  has(seq: bigint): boolean;
  /** the highest sequence held, null when empty */
  max(): bigint | null;
  /** forgets every sequence at or below `floor` */
  dropThrough(floor: bigint): void;
  /** the intervals that reach above `above` (all without it), lowest first (copies) */
  intervals(above?: bigint): [bigint, bigint][];
  clear(): void;
}

/** sorted, disjoint, non-adjacent closed intervals of sequences */
export function createSeqIntervals(): SeqIntervals {
  // parallel arrays: los[i] <= his[i] < los[i + 1] - 1
  let los: bigint[] = [];
  let his: bigint[] = [];

  /** the index of the last interval with lo <= seq, -1 when none */
  const floorIndex = (seq: bigint): number => {
    let a = 0;
    let b = los.length - 1;
    let found = -1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (los[m]! <= seq) {
        found = m;
        a = m + 1;
      } else b = m - 1;
    }
    return found;
  };

  return {
    add(seq) {
      const n = los.length;
      // the common case: the next sequence of a run at the top
      if (n > 0 && seq === his[n - 1]! + 1n) {
        his[n - 1] = seq;
        return true;
      }
      const i = n > 0 && seq > his[n - 1]! ? n - 1 : floorIndex(seq);
      if (i >= 0 && seq <= his[i]!) return false;
      const joinsLeft = i >= 0 && his[i]! + 1n === seq;
      const joinsRight = i + 1 < los.length && los[i + 1]! - 1n === seq;
      if (joinsLeft && joinsRight) {
        his[i] = his[i + 1]!;
        los.splice(i + 1, 1);
        his.splice(i + 1, 1);
      } else if (joinsLeft) his[i] = seq;
      else if (joinsRight) los[i + 1] = seq;
      else {
        los.splice(i + 1, 0, seq);
        his.splice(i + 1, 0, seq);
      }
      return true;
    },
    has(seq) {
      const i = floorIndex(seq);
      return i >= 0 && seq <= his[i]!;
    },
    max: () => (his.length > 0 ? his[his.length - 1]! : null),
    dropThrough(floor) {
      let k = 0;
      while (k < his.length && his[k]! <= floor) k++;
      if (k > 0) {
        los = los.slice(k);
        his = his.slice(k);
      }
      if (los.length > 0 && los[0]! <= floor) los[0] = floor + 1n;
    },
    intervals(above) {
      const from = above === undefined ? 0 : Math.max(0, floorIndex(above));
      const out: [bigint, bigint][] = [];
      for (let i = from; i < los.length; i++) if (above === undefined || his[i]! > above) out.push([los[i]!, his[i]!]);
      return out;
    },
    clear() {
      los = [];
      his = [];
    },
  };
}

/**
 * The ranges after `after` that hold no interval: the gaps between the intervals above it and the open range
 * after the last, at most `cap` (>= 1) of them. Past the cap, neighbouring gaps are joined across the smallest
 * intervals (fewest pushed rows read back); what a joined range holds of the intervals is the reader's to drop.
 */
export function gapRanges(intervals: readonly (readonly [bigint, bigint])[], after: bigint, cap: number): SeqRange[] {
  const gaps: SeqRange[] = [];
  /** sizes of the intervals between gaps[i] and gaps[i + 1] */
  const between: bigint[] = [];
  let start = after + 1n;
  for (const [lo, hi] of intervals) {
    if (hi < start) continue;
    if (lo > start) {
      if (gaps.length > 0) between.push(start - gaps[gaps.length - 1]!.hi! - 1n);
      gaps.push({ lo: start, hi: lo - 1n });
    }
    start = hi + 1n;
  }
  if (gaps.length > 0) between.push(start - gaps[gaps.length - 1]!.hi! - 1n);
  gaps.push({ lo: start, hi: null });
  if (gaps.length <= Math.max(1, cap)) return gaps;
  // join across the (gaps - cap) smallest intervals, ties to the lowest
  const order = between.map((size, i) => ({ size, i })).sort((a, b) => (a.size < b.size ? -1 : a.size > b.size ? 1 : a.i - b.i));
  const join = new Set(order.slice(0, gaps.length - Math.max(1, cap)).map((x) => x.i));
  const out: SeqRange[] = [{ ...gaps[0]! }];
  for (let i = 1; i < gaps.length; i++) {
    if (join.has(i - 1)) out[out.length - 1]!.hi = gaps[i]!.hi;
    else out.push({ ...gaps[i]! });
  }
  return out;
}
