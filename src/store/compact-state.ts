/**
 * Keeps state.json small. Pure: the caller passes the time. Entries whose time cannot be read are dropped
 * (they can only come from a hand-edited or hostile file).
 */
import { parseIsoTime } from "../events/event-schema.js";
import type { ActionState } from "./types.js";

const DAY = 86_400;

export interface CompactOptions {
  /** epoch ms "now" (the engine clock or the event time; never read here) */
  now: number;
  /**
   * dedupe entries older than this are dropped (default 30 days: GitHub lets a workflow run be re-run up to
   * 30 days later, and a re-run must find its event id)
   */
  dedupeHorizonSeconds?: number;
  /** at most this many dedupe entries, the newest kept (default 5 000) */
  maxDedupe?: number;
  /** threads not updated for this long are dropped (default 30 days) */
  threadHorizonSeconds?: number;
  /** at most this many threads, the most recently updated kept (default 1 000) */
  maxThreads?: number;
}

export const COMPACT_DEFAULTS = {
  dedupeHorizonSeconds: 30 * DAY,
  maxDedupe: 5_000,
  threadHorizonSeconds: 30 * DAY,
  maxThreads: 1_000,
} as const;

function newest<T>(record: Record<string, T>, timeOf: (v: T) => string, cutoff: number, max: number): Record<string, T> {
  const kept: [string, T, number][] = [];
  for (const [k, v] of Object.entries(record)) {
    const t = parseIsoTime(timeOf(v));
    if (Number.isFinite(t) && t >= cutoff) kept.push([k, v, t]);
  }
  // newest first; equal times by key so the result does not depend on insertion order
  kept.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(kept.slice(0, Math.max(0, max)).map(([k, v]) => [k, v]));
}

export function compactState(state: ActionState, options: CompactOptions): ActionState {
  const o = { ...COMPACT_DEFAULTS, ...options };
  const paused = Object.entries(state.paused).filter(([, p]) => {
    if (p.until === undefined) return true;
    const until = parseIsoTime(p.until);
    return Number.isFinite(until) && until > o.now;
  });
  return {
    version: state.version,
    engine: state.engine,
    threads: newest(state.threads, (t) => t.updated, o.now - o.threadHorizonSeconds * 1000, o.maxThreads),
    dedupe: newest(state.dedupe, (t) => t, o.now - o.dedupeHorizonSeconds * 1000, o.maxDedupe),
    paused: Object.fromEntries(paused),
  };
}
