/** Building firings (SEMANTICS.md §5) with deterministic ids. */
import type { HooklineEvent } from "../events/event-schema.js";
import { isoOf } from "../events/event-schema.js";
import { uuidv5 } from "../events/uuid.js";
import { labelsOf, type Bucket } from "./bucket.js";
import type { CompositeNode, StoredFiring } from "./compile.js";
import type { Firing, FiringState } from "./types.js";

export function leafFiring(b: Bucket, state: FiringState, atMs: number, te: HooklineEvent | null): Firing {
  const leaf = b.leaf;
  const name = leaf.auto.name;
  return {
    id: uuidv5(["firing", name, leaf.path, b.key, state, String(atMs), te === null ? "" : te.id].join("\n")),
    automation: name,
    state,
    at: isoOf(atMs),
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
      events.push({ e, t: Date.parse(e.occurred), i: events.length });
    }
  }
  events.sort((a, b) => b.t - a.t || a.i - b.i);
  const te = newest.firing.triggering_event;
  const name = node.auto.name;
  const childIds = sorted.map((s) => s.firing.id).join(",");
  const firing: Firing = {
    id: uuidv5(["firing", name, node.path, "Triggered", String(newest.atMs), te === null ? "" : te.id, childIds].join("\n")),
    automation: name,
    state: "Triggered",
    at: isoOf(newest.atMs),
    triggering_event: te,
    labels,
    child_firings: sorted.map((s) => s.firing),
    events: events.map((x) => x.e),
  };
  return { firing, atMs: newest.atMs };
}
