/**
 * The what-if comparison (docs/what-if.md): per automation, how often the live configuration fired over the
 * replayed events and how often the proposed one would have, with the first firings that only one side has.
 * Two firings are the same when state, time, triggering event and labels are equal (firing ids are not
 * compared: they mix in the automation's definition). Pure.
 */
import type { FiringSummary } from "./replay.js";

export interface FiringDifference extends FiringSummary {
  /** `added`: only the proposed configuration fires it; `removed`: only the live one does */
  change: "added" | "removed";
}

export interface AutomationDiff {
  automation: string;
  /** Triggered firings of the live configuration (null: the live configuration has no such automation) */
  live: number | null;
  /** Triggered firings of the proposed configuration (null: the proposal removes the automation) */
  proposed: number | null;
  /** resolved firings, live and proposed */
  resolved: { live: number; proposed: number };
  changed: boolean;
  /** the first differences in time order */
  first_differences: FiringDifference[];
}

export const MAX_DIFFERENCES = 5;

const keyOf = (f: FiringSummary) => JSON.stringify([f.state, f.at, f.triggering_event, Object.entries(f.labels).sort()]);
const count = (list: readonly FiringSummary[], state: FiringSummary["state"]) => list.reduce((n, f) => n + (f.state === state ? 1 : 0), 0);

/** The firings only one side has, in time order (ties: removed before added). */
export function differences(live: readonly FiringSummary[], proposed: readonly FiringSummary[]): FiringDifference[] {
  const unmatched = new Map<string, number>();
  for (const f of live) unmatched.set(keyOf(f), (unmatched.get(keyOf(f)) ?? 0) + 1);
  const added: FiringDifference[] = [];
  for (const f of proposed) {
    const k = keyOf(f);
    const n = unmatched.get(k) ?? 0;
    if (n > 0) unmatched.set(k, n - 1);
    else added.push({ change: "added", ...f });
  }
  // of each key, the first live firings were matched; the rest are only live
  const matchedLeft = new Map<string, number>();
  for (const f of live) matchedLeft.set(keyOf(f), (matchedLeft.get(keyOf(f)) ?? 0) + 1);
  for (const [k, n] of unmatched) matchedLeft.set(k, (matchedLeft.get(k) ?? 0) - n);
  const removed: FiringDifference[] = [];
  for (const f of live) {
    const k = keyOf(f);
    const m = matchedLeft.get(k) ?? 0;
    if (m > 0) matchedLeft.set(k, m - 1);
    else removed.push({ change: "removed", ...f });
  }
  return [...removed, ...added].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.change === b.change ? 0 : a.change === "removed" ? -1 : 1),
  );
}

/**
 * One row per automation: the proposed file's order first, then the automations the proposal removes.
 * `liveNames` / `proposedNames` are the automations each configuration has (one that never fired has 0).
 */
export function diffReplays(
  live: ReadonlyMap<string, readonly FiringSummary[]>,
  proposed: ReadonlyMap<string, readonly FiringSummary[]>,
  liveNames: readonly string[],
  proposedNames: readonly string[],
  maxDifferences = MAX_DIFFERENCES,
): AutomationDiff[] {
  const liveSet = new Set(liveNames);
  const proposedSet = new Set(proposedNames);
  const names = [...proposedNames, ...liveNames.filter((n) => !proposedSet.has(n))];
  return [...new Set(names)].map((automation) => {
    const l = live.get(automation) ?? [];
    const p = proposed.get(automation) ?? [];
    const diffs = differences(l, p);
    return {
      automation,
      live: liveSet.has(automation) ? count(l, "Triggered") : null,
      proposed: proposedSet.has(automation) ? count(p, "Triggered") : null,
      resolved: { live: count(l, "Resolved"), proposed: count(p, "Resolved") },
      changed: diffs.length > 0 || liveSet.has(automation) !== proposedSet.has(automation),
      first_differences: diffs.slice(0, maxDifferences),
    };
  });
}
