/** The contract between the server's workers (evaluator, outbox) and the rest of the server (HTTP, GitHub App). */
import type { ActionPorts } from "../../../src/actions/index.js";
import type { AutomationsConfig } from "../../../src/automations/types.js";

export interface ScopeConfig {
  config: AutomationsConfig;
  version: string;
}

/** What the workers need to know about a scope; H4 composes one from the server config + the GitHub App. */
export interface ScopeRuntime {
  /** null: the scope has no automations (its pending events are consumed, nothing fires) */
  configOf(scope: string): Promise<ScopeConfig | null>;
  /** ports to execute actions of this scope (installation token for repo scopes); threads/pauses/clock are wired by the worker */
  portsOf(scope: string): Promise<Omit<ActionPorts, "threads" | "pauses" | "clock">>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** Typed lifecycle events for metrics (graphile-worker style). */
export type WorkEvent =
  | { type: "evaluated"; scope: string; events: number; firings: number; ms: number }
  | { type: "action"; status: "executed" | "retry" | "dead" | "lost"; actionType: string; ms: number };

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}
