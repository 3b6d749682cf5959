/**
 * What a runtime tells the server's workers about a scope (DESIGN.md "Scopes"): its automations and the ports
 * its actions run with. The server composes one from its own configuration and the GitHub App's; the App and
 * the Slack bot implement or read it without importing the server.
 */
import type { AutomationsConfig } from "../automations/types.js";
import type { ActionPorts } from "../executors/index.js";

export interface ScopeConfig {
  config: AutomationsConfig;
  version: string;
  /** the automations file as loaded (the console's what-if editor starts from it); absent when not kept */
  source?: string;
}

export interface ScopeRuntime {
  /** null: the scope has no automations (its pending events are consumed, nothing fires) */
  configOf(scope: string): Promise<ScopeConfig | null>;
  /** ports to execute actions of this scope (installation token for repo scopes); threads/pauses/clock are wired by the worker */
  portsOf(scope: string): Promise<Omit<ActionPorts, "threads" | "pauses" | "clock">>;
}

/** The logging the runtimes share (pino's shape). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}
