/** Compound and sequence triggers (SEMANTICS.md §4). */
import type { CompositeNode, StoredFiring } from "./compile.js";
import { compositeFiring } from "./firing.js";
import type { Runtime } from "./runtime.js";
import type { Firing } from "./types.js";

/**
 * The cause of a firing: its triggering event AND its time. A reactive firing's time is its event's, so one
 * event matching several children is one cause; a proactive alarm (or a repeat) of the same event fires at a
 * deadline, a later time: another cause, which must reach the parent.
 */
function causeOf(firing: Firing, atMs: number): string {
  return firing.triggering_event !== null ? `${firing.triggering_event.id}@${atMs}` : `@${atMs}`;
}

/**
 * A child's Triggered firing reaches its parent. Returns the parent's firing when this completes it.
 * A parent never fires twice for the same cause (triggering event and time), so two children of an `any`
 * matching one event give one parent firing.
 */
export function childFired(
  rt: Runtime,
  node: CompositeNode,
  childIndex: number,
  firing: Firing,
  atMs: number,
): { firing: Firing; atMs: number } | null {
  if (node.lastKey !== null && node.lastKey === causeOf(firing, atMs)) return null;
  const incoming: StoredFiring = { firing, atMs, seq: rt.nextStoreSeq() };
  if (node.kind === "compound" && node.need === 1) return complete(node, [incoming]);
  const stored = node.stored;
  stored[childIndex] = incoming; // each child keeps only its latest firing
  let newest = incoming;
  for (const s of stored) if (s !== null && (s.atMs > newest.atMs || (s.atMs === newest.atMs && s.seq > newest.seq))) newest = s;
  if (node.withinMs > 0) {
    for (let i = 0; i < stored.length; i++) {
      const s = stored[i];
      if (s && newest.atMs - s.atMs > node.withinMs) stored[i] = null; // too old to count again
    }
  }
  const used: StoredFiring[] = [];
  for (const s of stored) if (s !== null) used.push(s);
  if (node.kind === "compound") {
    if (used.length < node.need) return null;
  } else {
    if (used.length < stored.length) return null;
    for (let i = 1; i < stored.length; i++) if (stored[i]!.atMs < stored[i - 1]!.atMs) return null; // declared order
  }
  stored.fill(null);
  return complete(node, used);
}

function complete(node: CompositeNode, used: StoredFiring[]): { firing: Firing; atMs: number } {
  const out = compositeFiring(node, used);
  node.lastKey = causeOf(out.firing, out.atMs);
  return out;
}
