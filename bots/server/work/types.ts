/** The contract between the server's workers (evaluator, outbox) and the rest of the server (HTTP, GitHub App). */
export type { Logger, ScopeConfig, ScopeRuntime } from "../../../src/scopes/types.js";

/** Typed lifecycle events for metrics (graphile-worker style). */
export type WorkEvent =
  | { type: "evaluated"; scope: string; events: number; firings: number; ms: number }
  | { type: "action"; status: "executed" | "retry" | "dead" | "lost"; actionType: string; ms: number };

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}
