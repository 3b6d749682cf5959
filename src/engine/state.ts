/**
 * Engine state as plain JSON (and back). Keyed by automation name and trigger path; an automation whose
 * trigger changed (fingerprint) starts from empty state.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import type { Bucket, Phase } from "./bucket.js";
import { keyOf } from "./bucket.js";
import type { AutomationNode, StoredFiring } from "./compile.js";
import type { EngineCore } from "./engine.js";
import { EngineError } from "./errors.js";
import { parseIsoTime } from "../events/event-schema.js";
import type { EngineState, Firing } from "./types.js";

interface BucketState {
  values: string[];
  seq: number;
  touched: number;
  phase: Phase;
  start: number;
  /** null = no time limit */
  end: number | null;
  count: number;
  last: HooklineEvent | null;
  first: HooklineEvent | null;
  /** null = none */
  deadline: number | null;
}

interface StoredState {
  firing: Firing;
  at_ms: number;
  seq: number;
}

interface AutomationState {
  fingerprint: string;
  buckets: Record<string, BucketState[]>;
  composites: Record<string, { stored: (StoredState | null)[]; last_key: string | null }>;
}

interface StateV1 {
  version: 1;
  clock: number | null;
  bucket_seq: number;
  store_seq: number;
  follower_seq: number;
  paused: string[];
  automations: Record<string, AutomationState>;
  processed: [string, number][];
  waiting: { event: HooklineEvent; seq: number }[];
}

/** state key of each automation: its name, suffixed `#2`, `#3` when names repeat */
function stateKeys(autos: readonly AutomationNode[]): string[] {
  const seen = new Map<string, number>();
  return autos.map((a) => {
    const n = (seen.get(a.name) ?? 0) + 1;
    seen.set(a.name, n);
    return n === 1 ? a.name : `${a.name}#${n}`;
  });
}

export function snapshotState(core: EngineCore): EngineState {
  const automations: Record<string, AutomationState> = {};
  const keys = stateKeys(core.autos);
  core.autos.forEach((a, i) => {
    const buckets: Record<string, BucketState[]> = {};
    const composites: AutomationState["composites"] = {};
    let any = false;
    for (const leaf of a.leaves) {
      if (leaf.buckets.size === 0) continue;
      any = true;
      buckets[leaf.path] = [...leaf.buckets.values()].map(bucketState);
    }
    for (const c of a.composites) {
      if (c.lastKey === null && c.stored.every((s) => s === null)) continue;
      any = true;
      composites[c.path] = {
        stored: c.stored.map((s) => (s === null ? null : { firing: s.firing, at_ms: s.atMs, seq: s.seq })),
        last_key: c.lastKey,
      };
    }
    if (any) automations[keys[i]!] = { fingerprint: a.fingerprint, buckets, composites };
  });
  const state: StateV1 = {
    version: 1,
    clock: core.clockMs,
    bucket_seq: core.bucketSeq,
    store_seq: core.storeSeq,
    follower_seq: core.followers.seq,
    paused: [...core.paused].sort(),
    automations,
    processed: core.snapshotProcessedIds ? core.processed.toJSON() : [],
    waiting: core.followers.all().map((w) => ({ event: w.event, seq: w.seq })),
  };
  // a deep copy through JSON: the caller may keep or mutate it while the engine runs on
  return JSON.parse(JSON.stringify(state)) as EngineState;
}

function bucketState(b: Bucket): BucketState {
  return {
    values: b.values,
    seq: b.seq,
    touched: b.touched,
    phase: b.phase,
    start: b.start,
    end: Number.isFinite(b.end) ? b.end : null,
    count: b.count,
    last: b.last,
    first: b.first,
    deadline: Number.isNaN(b.deadline) ? null : b.deadline,
  };
}

function bad(what: string): never {
  throw new EngineError(
    "HOOKLINE_ENGINE_BAD_STATE",
    `engine state is not usable (${what}): pass what snapshot() returned, or start without a state`,
  );
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function restoreState(core: EngineCore, raw: EngineState, keepPaused: boolean): void {
  if (raw === null || typeof raw !== "object" || raw.version !== 1) bad("unknown version");
  const s = raw as unknown as StateV1;
  if (s.clock !== null && !isNum(s.clock)) bad("clock");
  if (!isNum(s.bucket_seq) || !isNum(s.store_seq) || !isNum(s.follower_seq)) bad("counters");
  if (typeof s.automations !== "object" || s.automations === null) bad("automations");
  if (!Array.isArray(s.processed) || !Array.isArray(s.waiting) || !Array.isArray(s.paused)) bad("lists");
  core.clockMs = s.clock;
  core.bucketSeq = s.bucket_seq;
  core.storeSeq = s.store_seq;
  core.followers.seq = s.follower_seq;
  if (keepPaused) for (const p of s.paused) if (typeof p === "string") core.paused.add(p);
  const keys = stateKeys(core.autos);
  core.autos.forEach((a, i) => {
    const st = Object.prototype.hasOwnProperty.call(s.automations, keys[i]!) ? s.automations[keys[i]!] : undefined;
    if (st === undefined || st.fingerprint !== a.fingerprint) return;
    for (const leaf of a.leaves) {
      const list = Object.prototype.hasOwnProperty.call(st.buckets, leaf.path) ? st.buckets[leaf.path] : undefined;
      if (!Array.isArray(list)) continue;
      for (const x of list) {
        if (!Array.isArray(x.values) || !isNum(x.seq) || !isNum(x.start) || !isNum(x.count)) bad(`bucket of ${a.name}`);
        const values = x.values.map(String);
        const b: Bucket = {
          leaf,
          key: keyOf(values),
          values,
          seq: x.seq,
          touched: isNum(x.touched) ? x.touched : 0,
          phase: x.phase,
          start: x.start,
          end: x.end === null ? Infinity : x.end,
          count: x.count,
          last: x.last ?? null,
          first: x.first ?? null,
          deadline: Number.NaN,
          heapIndex: -1,
        };
        leaf.buckets.set(b.key, b);
        if (x.deadline !== null && isNum(x.deadline)) core.schedule(b, x.deadline);
      }
    }
    for (const c of a.composites) {
      const cs = Object.prototype.hasOwnProperty.call(st.composites, c.path) ? st.composites[c.path] : undefined;
      if (cs === undefined || !Array.isArray(cs.stored) || cs.stored.length !== c.stored.length) continue;
      c.stored = cs.stored.map((x): StoredFiring | null => (x === null ? null : { firing: x.firing, atMs: x.at_ms, seq: x.seq }));
      c.lastKey = cs.last_key ?? null;
    }
  });
  for (const [id, t] of s.processed) if (typeof id !== "string" || !isNum(t)) bad("processed ids");
  core.processed.restore(s.processed);
  for (const w of s.waiting) {
    const occ = parseIsoTime(w?.event?.occurred);
    if (!Number.isFinite(occ) || typeof w.event.follows !== "string" || !isNum(w.seq)) bad("waiting followers");
    core.followers.wait(w.event, occ, w.seq);
  }
}
