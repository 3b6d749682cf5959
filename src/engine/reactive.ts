/** Reactive event triggers: the five numbered rules of SEMANTICS.md §3, exactly. */
import type { HooklineEvent } from "../events/event-schema.js";
import { bucketKey, keyValues, OPEN } from "./bucket.js";
import type { LeafNode } from "./compile.js";
import { LOOKBACK_MS, type Runtime } from "./runtime.js";

export function reactiveEvent(rt: Runtime, leaf: LeafNode, ev: HooklineEvent, occ: number, isAfter: boolean, isExpected: boolean): void {
  const key = bucketKey(leaf, ev);
  let b = rt.lookup(leaf, key);
  const within = leaf.withinMs;
  if (leaf.hasAfter) {
    if (isAfter) {
      // rule 1: open, or re-open at its own time when at or past the end; inside an open bucket: no change
      if (b === undefined || (within > 0 && occ >= b.end)) {
        if (b === undefined) b = rt.create(leaf, key, keyValues(leaf, ev));
        b.phase = OPEN;
        b.start = occ;
        b.end = within > 0 ? occ + within : Infinity;
        b.count = isExpected ? -1 : 0;
      }
      b.touched = rt.now;
    }
    if (!isExpected || b === undefined) return; // expected events with no open bucket are ignored
    if (within > 0 && occ >= b.end) {
      rt.drop(b); // rule 5 with after: the bucket closes, the event is ignored
      return;
    }
    if (within > 0 && occ < b.start) return; // rule 3
    b.count++;
    b.touched = rt.now;
    if (b.count >= leaf.threshold) {
      rt.fire(b, "Triggered", occ, ev);
      rt.drop(b); // rule 4: with after, firing closes the bucket
    }
    return;
  }
  if (b === undefined) {
    // rule 2: the first expected event opens a window with a 15-minute look-back
    b = rt.create(leaf, key, keyValues(leaf, ev));
    b.phase = OPEN;
    b.start = occ - LOOKBACK_MS;
    b.end = within > 0 ? occ + within : Infinity;
    b.count = 0;
  } else if (within > 0 && occ >= b.end) {
    // rule 5: the next window starts at the event, no look-back
    b.start = occ;
    b.end = occ + within;
    b.count = 0;
  }
  if (within > 0 && occ < b.start) return; // rule 3
  b.count++;
  b.touched = rt.now;
  if (b.count >= leaf.threshold) {
    rt.fire(b, "Triggered", occ, ev);
    // rule 4: next window [max(end, E.occurred), +within), count 0
    if (within > 0) {
      const s = b.end > occ ? b.end : occ;
      b.start = s;
      b.end = s + within;
    }
    b.count = 0;
  }
}
