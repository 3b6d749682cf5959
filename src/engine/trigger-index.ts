/**
 * Finds the event triggers that can want an event, so an event visits only those (not all triggers).
 *
 * Level 1, by event name: when no name pattern (`expect` ∪ `after`) is negated and `expect` is not
 * empty, a leaf is filed under each literal name, and under the literal prefix (text before the first
 * wildcard) of each glob; otherwise it goes to a set checked for every event.
 * Level 2, inside each of those sets, by one `match` label whose patterns are all plain literals (e.g.
 * `github.repository: org/repo` or `prefect.resource.id: ...`): the leaf is found through the event's value
 * of that label. Leaves with no literal `match` label are listed plainly.
 * The candidates are then checked in full; the index only narrows.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import type { LeafNode } from "./compile.js";

function literalPrefix(pattern: string): string {
  const m = /[*?[]/.exec(pattern);
  return m ? pattern.slice(0, m.index) : pattern;
}

const isLiteral = (p: string): boolean => !p.startsWith("!") && literalPrefix(p) === p;

/** leaves filed under one name key, split by a literal match label */
class LeafSet {
  readonly plain: LeafNode[] = [];
  readonly labelKeys: string[] = [];
  readonly byLabel: Map<string, LeafNode[]>[] = [];

  add(leaf: LeafNode): void {
    const m = leaf.spec.match;
    for (const key of Object.keys(m).sort()) {
      const v = m[key]!;
      const values = typeof v === "string" ? [v] : [...v];
      if (values.length === 0 || !values.every(isLiteral)) continue;
      let i = this.labelKeys.indexOf(key);
      if (i < 0) {
        i = this.labelKeys.length;
        this.labelKeys.push(key);
        this.byLabel.push(new Map());
      }
      for (const value of values) push(this.byLabel[i]!, value, leaf);
      return;
    }
    if (this.plain[this.plain.length - 1] !== leaf) this.plain.push(leaf);
  }

  /** adds this set's candidates for `event` to `out`; returns how many lists contributed */
  collect(event: HooklineEvent, out: LeafNode[], stamp: number): number {
    let sources = 0;
    const resource = event.resource;
    for (let i = 0; i < this.labelKeys.length; i++) {
      const v = resource[this.labelKeys[i]!];
      if (typeof v !== "string") continue;
      const list = this.byLabel[i]!.get(v);
      if (list !== undefined) sources += take(list, out, stamp);
    }
    if (this.plain.length > 0) sources += take(this.plain, out, stamp);
    return sources;
  }
}

function push(map: Map<string, LeafNode[]>, key: string, leaf: LeafNode): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [leaf]);
  else if (list[list.length - 1] !== leaf) list.push(leaf);
}

function take(list: LeafNode[], out: LeafNode[], stamp: number): number {
  for (let i = 0; i < list.length; i++) {
    const leaf = list[i]!;
    if (leaf.stamp === stamp) continue;
    leaf.stamp = stamp;
    out.push(leaf);
  }
  return 1;
}

function setFor(map: Map<string, LeafSet>, key: string): LeafSet {
  let s = map.get(key);
  if (s === undefined) map.set(key, (s = new LeafSet()));
  return s;
}

export class TriggerIndex {
  private readonly byName = new Map<string, LeafSet>();
  private readonly byPrefix = new Map<string, LeafSet>();
  private readonly prefixLengths: number[];
  private readonly rest = new LeafSet();
  private stamp = 0;
  /** the sets an event name reaches (exact, prefixes, rest): names repeat, so this is computed once each */
  private readonly memo = new Map<string, LeafSet[]>();

  constructor(leaves: readonly LeafNode[]) {
    const lengths = new Set<number>();
    for (const leaf of leaves) {
      const names = [...leaf.spec.expect, ...leaf.spec.after];
      const nameIndexable = leaf.spec.expect.length > 0 && names.every((p) => !p.startsWith("!") && literalPrefix(p).length > 0);
      if (!nameIndexable) {
        this.rest.add(leaf);
        continue;
      }
      for (const p of names) {
        const prefix = literalPrefix(p);
        if (prefix === p) setFor(this.byName, p).add(leaf);
        else {
          setFor(this.byPrefix, prefix).add(leaf);
          lengths.add(prefix.length);
        }
      }
    }
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
  }

  /** fills `out` with the candidate leaves for `event`, in file order (automation, then trigger order) */
  candidates(event: HooklineEvent, out: LeafNode[]): void {
    out.length = 0;
    const stamp = ++this.stamp;
    let sets = this.memo.get(event.event);
    if (sets === undefined) sets = this.setsFor(event.event);
    let sources = 0;
    for (let i = 0; i < sets.length; i++) sources += sets[i]!.collect(event, out, stamp);
    if (sources > 1 && out.length > 1) out.sort(byGid);
  }

  private setsFor(name: string): LeafSet[] {
    const sets: LeafSet[] = [];
    const exact = this.byName.get(name);
    if (exact !== undefined) sets.push(exact);
    for (const l of this.prefixLengths) {
      if (l > name.length) break;
      const set = this.byPrefix.get(name.slice(0, l));
      if (set !== undefined) sets.push(set);
    }
    sets.push(this.rest);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear(); // hostile streams of unique names stay bounded
    this.memo.set(name, sets);
    return sets;
  }
}

const MEMO_LIMIT = 10_000;

function byGid(a: LeafNode, b: LeafNode): number {
  return a.gid - b.gid;
}
