/** The GitHub App's options and the worker contract it fulfils for `repo:` scopes (H3's types, shared). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { IngestItem, IngestResult, ServerStore } from "../../src/store/server-types.js";
import type { Logger, ScopeConfig, ScopeRuntime } from "../../src/scopes/types.js";
import type { OctokitLike } from "../../src/adapters/git-ref-store.js";
import type { WhatIfJob, WhatIfResult } from "../../src/adapters/what-if/what-if-runner.js";
import type { ReplayRoutes } from "../../src/scopes/replay-scope.js";

export type { Logger, ScopeConfig, ScopeRuntime };

export interface GitHubAppOptions {
  appId: string;
  /** PEM (PKCS#1 or PKCS#8) */
  privateKey: string;
  webhookSecret: string;
  store: ServerStore;
  /** stores events durably (usually `store.ingest`, maybe wrapped for metrics) */
  ingest(items: IngestItem[]): Promise<IngestResult>;
  log: Logger;
  /** GitHub API root, e.g. a local test server or GHES `https://host/api/v3`; default https://api.github.com */
  baseUrl?: string;
  /** called after each delivery is stored, so the evaluator runs now instead of at its next poll */
  wake?(): void;
  /** Probot's own (pino) log level; default `LOG_LEVEL` from the environment, else "warn" */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** environment handed to actions of repo scopes (`*_env` names of notifiers); default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** deliveries larger than this are refused with 413 before they are read (default 25 MiB: GitHub's own cap) */
  maxBodyBytes?: number;
  /** epoch ms; default Date.now (token expiry) */
  now?(): number;
  /**
   * the what-if replays of the server's stored events (docs/what-if.md "In pull requests"): with it, the PR check
   * adds a backtest of the proposed automations over the repository's last 14 days; without it, validation only
   */
  backtest?: { run(job: WhatIfJob): Promise<WhatIfResult>; routes: ReplayRoutes };
}

export interface GitHubApp {
  /** handles POST /api/github/webhooks (receive-delivery.ts); resolves false when the request is not for it */
  /**
   * `note(fields)`, when given, receives what each delivery became (delivery id, event ids, inserted and duplicate
   * counts, or why it was skipped) for the caller's request log line; without it the App logs one line itself.
   */
  middleware(req: IncomingMessage, res: ServerResponse, note?: (fields: Record<string, unknown>) => void): Promise<boolean>;
  /** configOf / portsOf for `repo:` scopes (their Slack client is the server's: the runtime adds it) */
  runtime: ScopeRuntime;
  /** the installation Octokit of a repository (Probot's token cache), null when the App is not installed there */
  octokitFor(fullName: string): Promise<OctokitLike | null>;
  /** resolves when the background work started by deliveries (PR checks, config refreshes) has settled */
  idle(): Promise<void>;
}

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;
/** The webhook path of the middleware. */
export const WEBHOOKS_PATH = "/api/github/webhooks";
/** The check run the PR check creates. */
export const CHECK_NAME = "hookline / automations";
/** Where a repository's automations live (and, in `<owner>/.github`, the organisation's fallback). */
export const AUTOMATIONS_PATH = ".github/automations.yaml";
