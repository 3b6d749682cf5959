/**
 * Finds the event triggers that can want an event, so an event visits only those (and not all triggers).
 * Each leaf is filed once by its most selective handle:
 * 1. event-name patterns (`expect` ∪ `after`) when none is negated and `expect` is not empty:
 *    literal names in a map, globs by their literal prefix (the text before the first wildcard);
 * 2. else literal `prefect.resource.id` values of `match`;
 * 3. else a short list checked for every event.
 * The candidates are then checked in full; the index only narrows.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import { RESOURCE_ID } from "../events/labels.js";
import type { LeafNode } from "./compile.js";

function literalPrefix(pattern: string): string {
  const m = /[*?[]/.exec(pattern);
  return m ? pattern.slice(0, m.index) : pattern;
}

function add(map: Map<string, LeafNode[]>, key: string, leaf: LeafNode): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [leaf]);
  else if (list[list.length - 1] !== leaf) list.push(leaf);
}

export class TriggerIndex {
  private readonly byName = new Map<string, LeafNode[]>();
  private readonly byPrefix = new Map<string, LeafNode[]>();
  private prefixLengths: number[] = [];
  private readonly byResourceId = new Map<string, LeafNode[]>();
  private readonly rest: LeafNode[] = [];
  private stamp = 0;

  constructor(leaves: readonly LeafNode[]) {
    const lengths = new Set<number>();
    for (const leaf of leaves) {
      const names = [...leaf.spec.expect, ...leaf.spec.after];
      const nameIndexable =
        leaf.spec.expect.length > 0 && names.every((p) => !p.startsWith("!") && literalPrefix(p).length > 0);
      if (nameIndexable) {
        for (const p of names) {
          const prefix = literalPrefix(p);
          if (prefix === p) add(this.byName, p, leaf);
          else {
            add(this.byPrefix, prefix, leaf);
            lengths.add(prefix.length);
          }
        }
        continue;
      }
      const rid = leaf.spec.match[RESOURCE_ID];
      const ids = rid === undefined ? [] : typeof rid === "string" ? [rid] : [...rid];
      if (ids.length > 0 && ids.every((p) => !p.startsWith("!") && literalPrefix(p) === p)) {
        for (const id of ids) add(this.byResourceId, id, leaf);
        continue;
      }
      this.rest.push(leaf);
    }
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
  }

  /** fills `out` with the candidate leaves for `event`, in file order (automation, then trigger order) */
  candidates(event: HooklineEvent, out: LeafNode[]): void {
    out.length = 0;
    const stamp = ++this.stamp;
    let sources = 0;
    const name = event.event;
    sources += this.collect(this.byName.get(name), out, stamp);
    const lengths = this.prefixLengths;
    for (let i = 0; i < lengths.length; i++) {
      const l = lengths[i]!;
      if (l > name.length) break;
      sources += this.collect(this.byPrefix.get(name.slice(0, l)), out, stamp);
    }
    const rid = event.resource[RESOURCE_ID];
    if (typeof rid === "string") sources += this.collect(this.byResourceId.get(rid), out, stamp);
    sources += this.collect(this.rest, out, stamp);
    if (sources > 1 && out.length > 1) out.sort(byGid);
  }

  private collect(list: LeafNode[] | undefined, out: LeafNode[], stamp: number): number {
    if (list === undefined || list.length === 0) return 0;
    for (let i = 0; i < list.length; i++) {
      const leaf = list[i]!;
      if (leaf.stamp === stamp) continue;
      leaf.stamp = stamp;
      out.push(leaf);
    }
    return 1;
  }
}

function byGid(a: LeafNode, b: LeafNode): number {
  return a.gid - b.gid;
}
