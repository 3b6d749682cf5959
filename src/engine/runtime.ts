/** What the trigger handlers (reactive, proactive, composite) need from the engine. */
import type { HooklineEvent } from "../events/event-schema.js";
import type { Bucket } from "./bucket.js";
import type { LeafNode } from "./compile.js";
import type { FiringState } from "./types.js";

export interface Runtime {
  /** the engine clock (ms); set whenever a handler runs */
  now: number;
  /** the bucket for `key`, or undefined (an expired bucket is dropped and reported missing) */
  lookup(leaf: LeafNode, key: string): Bucket | undefined;
  create(leaf: LeafNode, key: string, values: string[]): Bucket;
  drop(b: Bucket): void;
  /** sets (or with NaN clears) the bucket's deadline */
  schedule(b: Bucket, at: number): void;
  fire(b: Bucket, state: FiringState, atMs: number, triggeringEvent: HooklineEvent | null): void;
  /** next sequence number for composite stored firings */
  nextStoreSeq(): number;
}

/** look-back of a reactive window opened without `after` (SEMANTICS §3 rule 2) */
export const LOOKBACK_MS = 15 * 60 * 1000;
