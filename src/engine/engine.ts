/**
 * The trigger engine: routes events to the event triggers that can want them, keeps buckets, fires
 * deadlines exactly in event time, combines composite triggers and orders followers (SEMANTICS.md §3–6).
 */
import type { HooklineEvent } from "../events/event-schema.js";
import type { AutomationsConfig } from "../automations/types.js";
import { isExpired, type Bucket } from "./bucket.js";
import {
  anyMatches,
  compileConfig,
  matchesCompiled,
  matchesRelatedCompiled,
  type AutomationNode,
  type LeafNode,
  type TriggerNode,
} from "./compile.js";
import { childFired } from "./composite.js";
import { EngineError } from "./errors.js";
import { leafFiring } from "./firing.js";
import { IndexedHeap } from "./heap.js";
import { parseIsoTime } from "../events/event-schema.js";
import { Followers, MAX_FOLLOW_DEPTH, FOLLOW_TIMEOUT_MS, ProcessedIds } from "./ordering.js";
import { proactiveDeadline, proactiveEvent, startTiling } from "./proactive.js";
import { reactiveEvent } from "./reactive.js";
import type { Runtime } from "./runtime.js";
import { TriggerIndex } from "./trigger-index.js";
import type { Engine, EngineOptions, EngineOutput, EngineState, Firing, FiringState } from "./types.js";
import { restoreState, snapshotState } from "./state.js";

export const ENGINE_DEFAULTS = {
  stateTtlSeconds: 7 * 24 * 3600,
  dedupeWindowSeconds: 3600,
  dedupeMaxIds: 100_000,
  maxWaitingFollowers: 10_000,
} as const;

const SWEEP_EVERY_MS = 3600 * 1000;

function beforeDeadline(a: Bucket, b: Bucket): boolean {
  if (a.deadline !== b.deadline) return a.deadline < b.deadline;
  if (a.leaf.gid !== b.leaf.gid) return a.leaf.gid < b.leaf.gid;
  return a.seq < b.seq;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new EngineError("HOOKLINE_ENGINE_BAD_OPTION", `engine option ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

export class EngineCore implements Engine, Runtime {
  now = 0;
  clockMs: number | null = null;
  readonly autos: AutomationNode[];
  readonly leaves: LeafNode[];
  readonly byName = new Map<string, AutomationNode[]>();
  readonly heap = new IndexedHeap<Bucket>(beforeDeadline);
  readonly ttlMs: number;
  readonly processed: ProcessedIds;
  readonly snapshotProcessedIds: boolean;
  readonly settledLeaders: ReadonlySet<string> | undefined;
  readonly followers = new Followers();
  readonly paused: Set<string>;
  readonly maxWaiting: number;
  bucketSeq = 0;
  storeSeq = 0;
  private readonly index: TriggerIndex;
  private out: EngineOutput[] = [];
  private readonly cands: LeafNode[] = [];
  private nextSweep = -Infinity;

  constructor(config: AutomationsConfig, options: EngineOptions = {}, state?: EngineState) {
    const { autos, leaves } = compileConfig(config, options.idNamespace ?? "");
    this.autos = autos;
    this.leaves = leaves;
    for (const a of autos) {
      const list = this.byName.get(a.name);
      if (list) list.push(a);
      else this.byName.set(a.name, [a]);
    }
    this.index = new TriggerIndex(leaves);
    this.ttlMs = positive("stateTtlSeconds", options.stateTtlSeconds, ENGINE_DEFAULTS.stateTtlSeconds) * 1000;
    this.processed = new ProcessedIds(
      positive("dedupeWindowSeconds", options.dedupeWindowSeconds, ENGINE_DEFAULTS.dedupeWindowSeconds) * 1000,
      positive("dedupeMaxIds", options.dedupeMaxIds, ENGINE_DEFAULTS.dedupeMaxIds),
    );
    this.snapshotProcessedIds = options.snapshotProcessedIds ?? true;
    this.settledLeaders = options.settledLeaders;
    this.maxWaiting = positive("maxWaitingFollowers", options.maxWaitingFollowers, ENGINE_DEFAULTS.maxWaitingFollowers);
    this.paused = new Set(options.paused ?? []);
    if (state !== undefined) restoreState(this, state, options.paused === undefined);
    for (const a of autos) a.active = a.spec.enabled && !this.paused.has(a.name);
    for (const a of autos) if (!a.active) this.clearAutomation(a);
    if (this.clockMs !== null) {
      this.now = this.clockMs;
      // automations loaded after the clock started: their tiling key starts now
      for (const a of autos) if (a.active) for (const leaf of a.leaves) startTiling(this, leaf, this.clockMs);
    }
  }

  // ---- Engine ----

  ingest(event: HooklineEvent): EngineOutput[] {
    const out: EngineOutput[] = (this.out = []);
    const id = event.id;
    if ((this.followers.size > 0 && this.followers.has(id)) || !this.processed.mark(id)) {
      out.push({ kind: "dropped-duplicate", event_id: id });
      return out;
    }
    const occ = parseIsoTime(event.occurred);
    if (!Number.isFinite(occ)) {
      this.processed.unmark(id);
      throw new EngineError(
        "HOOKLINE_ENGINE_INVALID_EVENT",
        `event ${String(id)} has no valid "occurred" time: validate events with validateEvent() before ingesting them`,
      );
    }
    const leader = event.follows;
    if (
      leader !== null &&
      leader !== undefined &&
      leader !== id &&
      !this.processed.has(leader) &&
      !this.settledLeaders?.has(leader) &&
      (this.clockMs === null || occ + FOLLOW_TIMEOUT_MS > this.clockMs)
    ) {
      this.processed.unmark(id);
      this.followers.wait(event, occ);
      if (this.followers.size > this.maxWaiting) {
        const w = this.followers.nextTimeout()!;
        this.followers.take(w);
        this.processChain(w.event, w.occ, 0);
      }
      return out;
    }
    this.processChain(event, occ, 0, true);
    return out;
  }

  advanceTo(ms: number): EngineOutput[] {
    if (!Number.isFinite(ms)) {
      throw new EngineError("HOOKLINE_ENGINE_BAD_TIME", `advanceTo needs a finite time in epoch ms, got ${String(ms)}`);
    }
    const out: EngineOutput[] = (this.out = []);
    this.advance(this.clockMs === null ? ms : Math.max(this.clockMs, ms));
    return out;
  }

  clock(): number | null {
    return this.clockMs;
  }

  snapshot(): EngineState {
    return snapshotState(this);
  }

  setPaused(name: string, paused: boolean): void {
    if (paused) this.paused.add(name);
    else this.paused.delete(name);
    for (const a of this.byName.get(name) ?? []) {
      const active = a.spec.enabled && !paused;
      if (active === a.active) continue;
      a.active = active;
      if (!active) this.clearAutomation(a);
      else if (this.clockMs !== null) for (const leaf of a.leaves) startTiling(this, leaf, this.clockMs);
    }
  }

  pendingFollowers(): HooklineEvent[] {
    return this.followers.all().map((w) => w.event);
  }

  nextDeadline(): number | null {
    const b = this.heap.peek();
    const w = this.followers.nextTimeout();
    const at = Math.min(b === undefined ? Infinity : b.deadline, w === undefined ? Infinity : w.timeoutAt);
    return Number.isFinite(at) ? at : null;
  }

  // ---- Runtime (for the trigger handlers) ----

  lookup(leaf: LeafNode, key: string): Bucket | undefined {
    const b = leaf.buckets.get(key);
    if (b !== undefined && isExpired(b, this.now, this.ttlMs)) {
      this.drop(b);
      return undefined;
    }
    return b;
  }

  create(leaf: LeafNode, key: string, values: string[]): Bucket {
    const b: Bucket = {
      leaf,
      key,
      values,
      seq: this.bucketSeq++,
      touched: this.now,
      phase: 0,
      start: 0,
      end: 0,
      count: 0,
      last: null,
      first: null,
      deadline: Number.NaN,
      heapIndex: -1,
    };
    leaf.buckets.set(key, b);
    return b;
  }

  drop(b: Bucket): void {
    this.heap.remove(b);
    b.deadline = Number.NaN;
    if (b.leaf.buckets.get(b.key) === b) b.leaf.buckets.delete(b.key);
  }

  schedule(b: Bucket, at: number): void {
    b.deadline = at;
    if (Number.isNaN(at)) this.heap.remove(b);
    else this.heap.upsert(b);
  }

  fire(b: Bucket, state: FiringState, atMs: number, te: HooklineEvent | null): void {
    this.route(b.leaf, leafFiring(b, state, atMs, te), atMs);
  }

  nextStoreSeq(): number {
    return this.storeSeq++;
  }

  // ---- internals ----

  private route(node: TriggerNode, firing: Firing, atMs: number): void {
    let n = node;
    let f = firing;
    let at = atMs;
    for (;;) {
      const parent = n.parent;
      if (parent === null) {
        this.out.push({ kind: "firing", firing: f });
        return;
      }
      if (f.state !== "Triggered") return; // a child's Resolved does not feed its parent
      const done = childFired(this, parent, n.childIndex, f, at);
      if (done === null) return;
      n = parent;
      f = done.firing;
      at = done.atMs;
    }
  }

  /**
   * processes one event, then (depth permitting) the followers that waited for it; `marked`: ingest already
   * marked its id (followers were unmarked while they waited), so the Set is not asked twice per event
   */
  private processChain(event: HooklineEvent, occ: number, depth: number, marked = false): void {
    this.advance(this.clockMs === null ? occ : Math.max(this.clockMs, occ));
    if (!marked) this.processed.mark(event.id);
    this.processed.record(event.id, this.clockMs!);
    this.evaluate(event, occ);
    this.advance(this.clockMs!); // windows a late event placed in the past end now
    if (depth >= MAX_FOLLOW_DEPTH) return;
    const followers = this.followers.takeFollowers(event.id);
    for (const w of followers) this.processChain(w.event, w.occ, depth + 1);
  }

  /** moves the clock to `target`, firing deadlines and timing out followers in time order */
  private advance(target: number): void {
    if (this.clockMs === null) {
      this.clockMs = target;
      this.now = target;
      for (const a of this.autos) if (a.active) for (const leaf of a.leaves) startTiling(this, leaf, target);
    }
    for (;;) {
      const b = this.heap.peek();
      const w = this.followers.nextTimeout();
      const bt = b === undefined ? Infinity : b.deadline;
      const wt = w === undefined ? Infinity : w.timeoutAt;
      if (bt <= target && bt <= wt) {
        if (bt > this.clockMs!) this.clockMs = bt;
        this.now = this.clockMs!;
        proactiveDeadline(this, b!, this.ttlMs);
        continue;
      }
      if (wt <= target) {
        if (wt > this.clockMs!) this.clockMs = wt;
        this.now = this.clockMs!;
        this.followers.take(w!);
        this.processChain(w!.event, w!.occ, 0);
        continue;
      }
      break;
    }
    if (target > this.clockMs!) this.clockMs = target;
    this.now = this.clockMs!;
    if (this.now >= this.nextSweep) this.sweep();
  }

  private evaluate(event: HooklineEvent, occ: number): void {
    const cands = this.cands;
    this.index.candidates(event, cands);
    const name = event.event;
    for (let i = 0; i < cands.length; i++) {
      const leaf = cands[i]!;
      if (!leaf.auto.active) continue;
      const isAfter = leaf.hasAfter && anyMatches(leaf.after, name);
      const isExpected = leaf.expect.length === 0 || anyMatches(leaf.expect, name);
      if (!isAfter && !isExpected) continue;
      if (!matchesCompiled(event.resource, leaf.match)) continue;
      if (leaf.related.length > 0 && !matchesRelatedCompiled(event.related ?? [], leaf.related)) continue;
      if (leaf.proactive) proactiveEvent(this, leaf, event, occ, isAfter, isExpected);
      else reactiveEvent(this, leaf, event, occ, isAfter, isExpected);
    }
  }

  /** drops expired buckets (memory only: lookups already treat them as gone) */
  private sweep(): void {
    this.nextSweep = this.now + Math.min(this.ttlMs, SWEEP_EVERY_MS);
    for (const leaf of this.leaves) {
      for (const b of leaf.buckets.values()) if (isExpired(b, this.now, this.ttlMs)) this.drop(b);
    }
  }

  clearAutomation(a: AutomationNode): void {
    for (const leaf of a.leaves) for (const b of [...leaf.buckets.values()]) this.drop(b);
    for (const c of a.composites) {
      c.stored.fill(null);
      c.lastKey = null;
    }
  }
}
