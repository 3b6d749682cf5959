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
  /** every event of this firing and its children, newest first (for templates) */
  events: HooklineEvent[];
}

/** What the engine produces, in the order things happen. */
export type EngineOutput =
  | { kind: "firing"; firing: Firing }
  /** a follower (§6) is still waiting for its leader; reported by `pendingFollowers()` rather than as output */
  | { kind: "dropped-duplicate"; event_id: string };

export interface EngineOptions {
  /** seconds a bucket may stay idle before it is dropped (default 7 days) */
  stateTtlSeconds?: number;
  /** names of automations paused at run time (in addition to `enabled: false`) */
  paused?: readonly string[];
}

export interface Engine {
  /**
   * Submit an event. Applies §6 ordering (follows, duplicates), advances the clock to the event's time
   * (firing due deadlines first, inclusive, in deadline order) and evaluates. Returns what happened.
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
}

/** Opaque to callers; plain JSON data. */
export type EngineState = { version: 1 } & Record<string, unknown>;
