/**
 * The Action's state, kept in the repository (see README.md in this folder). Plain JSON data.
 */
import type { EngineState } from "../engine/types.js";

export const STATE_FORMAT_VERSION = 1 as const;

export interface ThreadRef {
  /** Slack channel id the run's message was posted to */
  channel: string;
  /** Slack message ts (the thread's parent) */
  ts: string;
  /** ISO time of the last update; compaction drops old threads by it */
  updated: string;
}

export interface PauseFlag {
  by: string;
  /** ISO time */
  at: string;
  /** ISO time after which the pause no longer holds; absent = until resumed */
  until?: string;
}

export interface ActionState {
  version: typeof STATE_FORMAT_VERSION;
  /** from `engine.snapshot()`, null before the first stateful run */
  engine: EngineState | null;
  /** per observed run (key chosen by the caller, e.g. `<notifier>:<run id>`): the Slack message to update */
  threads: Record<string, ThreadRef>;
  /** processed event ids and executed idempotency keys -> ISO time they were recorded */
  dedupe: Record<string, string>;
  /** automation name -> pause flag */
  paused: Record<string, PauseFlag>;
}

export function emptyState(): ActionState {
  return { version: STATE_FORMAT_VERSION, engine: null, threads: {}, dedupe: {}, paused: {} };
}

export interface LoadedState {
  state: ActionState;
  /** opaque version for compare-and-swap (the git store: the commit sha); null = no state stored yet */
  version: string | null;
}

export type SaveResult = { ok: true; version: string } | { ok: false; conflict: true };

/** The store port. `save` is a compare-and-swap: it fails with `conflict` when the stored version moved. */
export interface StateStore {
  load(): Promise<LoadedState>;
  save(state: ActionState, expectedVersion: string | null): Promise<SaveResult>;
}
