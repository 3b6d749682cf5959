/**
 * The engine's public contract (SEMANTICS.md §3–6). The engine is pure: no I/O, no wall clock.
 * Time is event time in epoch milliseconds, advanced only by the caller (events' `occurred`, ticks).
 */
import type { HooklineEvent } from "../events/event-schema.js";

export type FiringState = "Triggered" | "Resolved";

export interface Firing {
  /** deterministic: the same inputs give the same id */
  id: string;
  automation: string;
  state: FiringState;
  /** ISO time (event time) of the firing */
  at: string;
  triggering_event: HooklineEvent | null;
  /** for_each label values (composites: union of children, newest wins) */
  labels: Record<string, string>;
  /** composite triggers: the child firings used, newest first; [] for event triggers */
  child_firings: Firing[];
  /** every event of this firing and its children, newest first, each once (for templates) */
  events: HooklineEvent[];
}

/** What the engine produces, in the order things happen. */
export type EngineOutput =
  | { kind: "firing"; firing: Firing }
  /** a follower (§6) is still waiting for its leader; reported by `pendingFollowers()` rather than as output */
  | { kind: "dropped-duplicate"; event_id: string };

export interface EngineOptions {
  /** seconds a bucket may stay idle before it is dropped (default 7 days); see src/engine/README.md */
  stateTtlSeconds?: number;
  /**
   * names of automations paused at run time (in addition to `enabled: false`). When omitted, a restored
   * state keeps the pauses it recorded; when given, it replaces them.
   */
  paused?: readonly string[];
  /**
   * Duplicate detection window in event time (default 3600 s): an id is remembered as processed while the
   * clock is less than this past the moment it was processed. Bounded also by `dedupeMaxIds`.
   */
  dedupeWindowSeconds?: number;
  /** most processed ids remembered (default 100 000); the oldest are forgotten first */
  dedupeMaxIds?: number;
  /**
   * Whether `snapshot()` includes the processed ids (default true). A host that hands each event id to the
   * engine once (the server: its store drops duplicate ids and releases followers whose leader an earlier
   * batch evaluated) sets false: the ids are still remembered while this engine runs, but a restored engine
   * starts with none, and the state it saves does not carry up to `dedupeMaxIds` ids on every write.
   */
  snapshotProcessedIds?: boolean;
  /**
   * Ids of events processed before this engine's state and not remembered in it (the server's store knows them:
   * evaluated by an earlier batch, or never meant for this engine). A follower (§6) of one of them does not
   * wait; the follower itself is unchanged (its `follows` stays for templates). Not saved in snapshots.
   */
  settledLeaders?: ReadonlySet<string>;
  /**
   * Mixed into every firing id (and so into firing event ids and action idempotency keys). Hosts that run
   * several engines over the same events (the server: one per scope) set it to the scope so that automations
   * with the same name in two scopes never share ids. Default "" (ids as before).
   */
  idNamespace?: string;
  /** most followers waiting for their leader (default 10 000); beyond it the one due first is released */
  maxWaitingFollowers?: number;
}

export interface Engine {
  /**
   * Submit an event. Applies §6 ordering (follows, duplicates), advances the clock to the event's time
   * (firing due deadlines first, inclusive, in deadline order) and evaluates. Returns what happened.
   * Throws `HOOKLINE_ENGINE_INVALID_EVENT` when `occurred` is not a time (validate events first).
   */
  ingest(event: HooklineEvent): EngineOutput[];
  /** Advance the clock to `ms` (never backwards), firing every deadline <= ms and timing out followers. */
  advanceTo(ms: number): EngineOutput[];
  /** The engine's current clock in epoch ms, or null before it has seen a time. */
  clock(): number | null;
  /** Plain JSON-serializable state; `createEngine(config, opts, JSON.parse(JSON.stringify(s)))` continues identically. */
  snapshot(): EngineState;
  /** Pause / resume an automation at run time; paused automations evaluate nothing and keep no state. */
  setPaused(name: string, paused: boolean): void;
  /** Events still waiting for their leader (§6), in `occurred` order. */
  pendingFollowers(): HooklineEvent[];
  /**
   * The earliest time (epoch ms) at which `advanceTo` would do something: a proactive deadline or a
   * follower's time-out; null when nothing is scheduled. Hosts use it to sleep until the next tick.
   */
  nextDeadline(): number | null;
}

/** Opaque to callers; plain JSON data. */
export type EngineState = { version: 1 } & Record<string, unknown>;
