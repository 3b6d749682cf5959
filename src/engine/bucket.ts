/**
 * A bucket: the state of one (event trigger, bucket key) pair (SEMANTICS.md §3).
 * Reactive buckets are always "open" windows; proactive ones are armed (window) or in alarm.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import type { HeapItem } from "./heap.js";
import type { LeafNode } from "./compile.js";

export const OPEN = 0;
export const ARMED = 1;
export const ALARM = 2;
export type Phase = typeof OPEN | typeof ARMED | typeof ALARM;

export interface Bucket extends HeapItem {
  leaf: LeafNode;
  key: string;
  /** for_each label values in sorted label order ("" when missing) */
  values: string[];
  /** first-seen order (deadline tie-break) */
  seq: number;
  /** clock when an event (or, for alarms, the firing) last touched it: drives the state TTL */
  touched: number;
  phase: Phase;
  start: number;
  /** Infinity when `within` is 0 (no time limit) */
  end: number;
  count: number;
  /** proactive: last `after` / expected event seen (the triggering event of the firing) */
  last: HooklineEvent | null;
  /** proactive alarm: triggering event of the first Triggered firing (repeats reuse it) */
  first: HooklineEvent | null;
  /** pending deadline in ms (window end or next repeat), NaN when none */
  deadline: number;
}

const EMPTY: string[] = [];

export function keyValues(leaf: LeafNode, event: HooklineEvent): string[] {
  const fe = leaf.forEach;
  if (fe.length === 0) return EMPTY;
  const values = new Array<string>(fe.length);
  for (let i = 0; i < fe.length; i++) {
    const g = fe[i]!;
    values[i] = readLabelFast(g.role, g.label, event);
  }
  return values;
}

function readLabelFast(role: string | null, label: string, event: HooklineEvent): string {
  let r = event.resource;
  if (role !== null) {
    const rel = event.related;
    let found: Record<string, string> | undefined;
    if (role !== "" && rel) {
      for (let i = 0; i < rel.length; i++) {
        if (rel[i]!["prefect.resource.role"] === role) {
          found = rel[i];
          break;
        }
      }
    }
    if (found === undefined) return "";
    r = found;
  }
  const v = r[label];
  return typeof v === "string" ? v : "";
}

/** the bucket key of `event` for `leaf`, without building the values array in the common cases */
export function bucketKey(leaf: LeafNode, event: HooklineEvent): string {
  const fe = leaf.forEach;
  if (fe.length === 0) return "";
  if (fe.length === 1) return readLabelFast(fe[0]!.role, fe[0]!.label, event);
  return JSON.stringify(keyValues(leaf, event));
}

/** the map key of a bucket: unambiguous for any label values */
export function keyOf(values: string[]): string {
  return values.length === 0 ? "" : values.length === 1 ? values[0]! : JSON.stringify(values);
}

export function labelsOf(leaf: LeafNode, values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let i = 0; i < leaf.forEach.length; i++) labels[leaf.forEach[i]!.key] = values[i] ?? "";
  return labels;
}

/**
 * TTL policy (documented in src/engine/README.md): reactive buckets and proactive `for_each` keys in alarm
 * are dropped when nothing touched them for longer than the TTL. Armed windows always reach their end, and the single
 * key of a proactive trigger without `for_each` is never dropped (it is one key: memory stays bounded).
 */
export function isExpired(b: Bucket, now: number, ttlMs: number): boolean {
  const leaf = b.leaf;
  if (leaf.proactive && (b.phase !== ALARM || leaf.forEach.length === 0)) return false;
  return b.touched + ttlMs < now; // idle LONGER than the TTL (SEMANTICS §3)
}
