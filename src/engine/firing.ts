/** Building firings (SEMANTICS.md §5) with deterministic ids. */
import type { HooklineEvent } from "../events/event-schema.js";
import { isoOf, parseIsoTime } from "../events/event-schema.js";
import { labelsOf, type Bucket } from "./bucket.js";
import { uuidv5 } from "../events/uuid.js";
import type { CompositeNode, StoredFiring } from "./compile.js";
import type { Firing, FiringState } from "./types.js";

/** a validated event's `occurred` is canonical (`toISOString()`): reuse it rather than format the time again */
function isoAt(atMs: number, te: HooklineEvent | null): string {
  if (te !== null) {
    const s = te.occurred;
    if (s.length === 24 && s.charCodeAt(23) === 90 && parseIsoTime(s) === atMs) return s;
  }
  return isoOf(atMs);
}

export function leafFiring(b: Bucket, state: FiringState, atMs: number, te: HooklineEvent | null): Firing {
  const leaf = b.leaf;
  const name = leaf.auto.name;
  return {
    id: uuidv5(`firing\n${leaf.auto.idName}\n${leaf.path}\n${b.key}\n${state}\n${atMs}\n${te === null ? "" : te.id}`),
    automation: name,
    state,
    at: isoAt(atMs, te),
    triggering_event: te,
    labels: labelsOf(leaf, b.values),
    child_firings: [],
    events: te === null ? [] : [te],
  };
}

/** newest first: by time, then by arrival */
function newestFirst(a: StoredFiring, b: StoredFiring): number {
  return b.atMs - a.atMs || b.seq - a.seq;
}

/** `used` are the stored child firings consumed by this completion. */
export function compositeFiring(node: CompositeNode, used: StoredFiring[]): { firing: Firing; atMs: number } {
  const sorted = [...used].sort(newestFirst);
  const newest = sorted[0]!;
  const labels: Record<string, string> = {};
  for (let i = sorted.length - 1; i >= 0; i--) Object.assign(labels, sorted[i]!.firing.labels); // newest wins
  const seen = new Set<string>();
  const events: { e: HooklineEvent; t: number; i: number }[] = [];
  for (const s of sorted) {
    for (const e of s.firing.events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      events.push({ e, t: parseIsoTime(e.occurred), i: events.length });
    }
  }
  events.sort((a, b) => b.t - a.t || a.i - b.i);
  const te = newest.firing.triggering_event;
  const name = node.auto.name;
  const childIds = sorted.map((s) => s.firing.id).join(",");
  const firing: Firing = {
    id: uuidv5(`firing\n${node.auto.idName}\n${node.path}\nTriggered\n${newest.atMs}\n${te === null ? "" : te.id}\n${childIds}`),
    automation: name,
    state: "Triggered",
    at: newest.firing.at,
    triggering_event: te,
    labels,
    child_firings: sorted.map((s) => s.firing),
    events: events.map((x) => x.e),
  };
  return { firing, atMs: newest.atMs };
}
