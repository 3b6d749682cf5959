/** Proactive (absence) event triggers: idle / armed / alarm per key, SEMANTICS.md §3. */
import type { HooklineEvent } from "../events/event-schema.js";
import { ALARM, ARMED, bucketKey, keyValues, type Bucket } from "./bucket.js";
import type { LeafNode } from "./compile.js";
import type { Runtime } from "./runtime.js";

const NONE = Number.NaN;
const NO_VALUES: string[] = [];

function arm(rt: Runtime, b: Bucket, start: number, count: number, last: HooklineEvent | null): void {
  b.phase = ARMED;
  b.start = start;
  b.end = start + b.leaf.withinMs;
  b.count = count;
  b.last = last;
  b.first = null;
  rt.schedule(b, b.end);
}

/** true for the single key that tiles the time line from the first clock time */
export function tilesFromClock(leaf: LeafNode): boolean {
  return leaf.proactive && !leaf.hasAfter && leaf.forEach.length === 0;
}

/** Without `after` and without `for_each`, the single key starts when the clock first has a time. */
export function startTiling(rt: Runtime, leaf: LeafNode, t: number): void {
  if (!tilesFromClock(leaf) || leaf.buckets.size > 0) return;
  const b = rt.create(leaf, "", NO_VALUES);
  b.touched = t;
  arm(rt, b, t, 0, null);
}

export function proactiveEvent(rt: Runtime, leaf: LeafNode, ev: HooklineEvent, occ: number, isAfter: boolean, isExpected: boolean): void {
  const key = bucketKey(leaf, ev);
  let b = rt.lookup(leaf, key);
  let seq = -1;
  if (b !== undefined && b.phase === ALARM) {
    if (!isExpected) return; // an after event for a key in alarm changes nothing
    rt.fire(b, "Resolved", occ, ev);
    rt.drop(b);
    seq = b.seq; // a key that continues keeps its first-seen place (deadline ties)
    b = undefined; // continue as if the event had just arrived at an idle key
  }
  if (leaf.hasAfter) {
    if (b === undefined) {
      if (!isAfter) return; // idle: only an after event arms
      b = rt.create(leaf, key, keyValues(leaf, ev));
      if (seq >= 0) b.seq = seq;
      b.touched = rt.now;
      arm(rt, b, occ, isExpected ? -1 : 0, ev);
    } else if (isAfter) {
      if (occ < b.start) return; // a late event from before the window
      b.last = ev;
      b.touched = rt.now;
    }
    if (!isExpected || occ < b.start) return;
    b.count++;
    b.last = ev;
    b.touched = rt.now;
    if (b.count >= leaf.threshold) {
      if (isAfter)
        arm(rt, b, occ, 0, ev); // heartbeat: fire `within` after the LAST one
      else rt.drop(b); // back to idle, silently
    }
    return;
  }
  // without after: windows tile the time line per key; a key starts at its first expected event, count 1
  if (b === undefined) {
    b = rt.create(leaf, key, keyValues(leaf, ev));
    if (seq >= 0) b.seq = seq;
    b.touched = rt.now;
    arm(rt, b, occ, 1, null);
    return;
  }
  if (occ < b.start) return;
  b.count++;
  b.touched = rt.now;
}

/** The bucket's deadline is due: a window ends, or an alarm repeats. */
export function proactiveDeadline(rt: Runtime, b: Bucket, ttlMs: number): void {
  const leaf = b.leaf;
  const at = b.deadline;
  if (b.phase === ARMED) {
    if (b.count >= leaf.threshold) {
      if (leaf.hasAfter) rt.drop(b);
      else if (leaf.forEach.length > 0 && b.touched + ttlMs < at)
        rt.drop(b); // idle key: state TTL
      else arm(rt, b, at, 0, null);
      return;
    }
    const te = leaf.hasAfter ? b.last : null;
    b.phase = ALARM;
    b.first = te;
    b.touched = at;
    rt.schedule(b, leaf.repeatMs > 0 ? at + leaf.repeatMs : NONE);
    rt.fire(b, "Triggered", at, te);
    return;
  }
  // alarm with repeat
  if (leaf.forEach.length > 0 && b.touched + ttlMs < at) {
    rt.drop(b);
    return;
  }
  rt.schedule(b, at + leaf.repeatMs);
  rt.fire(b, "Triggered", at, b.first);
}
