/** What every route handler gets: the request, its id and logger, and the server parts (once ready). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger as PinoLogger } from "pino";
import type { BodyBudget } from "../../../src/adapters/http-server/body-budget.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import type { WebhookDef, WebhookRenderer } from "../../../src/webhooks/index.js";
import type { GitHubAppSettings } from "../config.js";
import type { GitHubAppSetup } from "../github-app-setup.js";
import type { Ingest } from "../ingest.js";
import type { ServerMetrics } from "../metrics.js";
import type { ScopeRuntime } from "../work/types.js";
import type { DatabaseReaders } from "../work/database-reader.js";
import type { ConsoleQueries } from "../../../src/store/sql/console-queries.js";
import type { ConsoleAssets } from "../console/assets.js";
import type { Principal } from "../console/console-auth.js";
import type { EventStreams } from "../console/event-stream.js";
import type { Sessions } from "../console/sessions.js";
import type { SignInLimit } from "../console/sign-in-limit.js";
import type { WhatIfRunner } from "../../../src/adapters/what-if/what-if-runner.js";
import type { ReplayRoutes } from "../../../src/scopes/replay-scope.js";

export interface GitHubAppHandle {
  /** `note(fields)`: what the delivery became (delivery id, event ids), for the request's log line */
  middleware(req: IncomingMessage, res: ServerResponse, note?: (fields: Record<string, unknown>) => void): Promise<boolean>;
}

/** Everything that exists only after the database is open and migrated. */
export interface ServerParts {
  store: ServerStore;
  ingest: Ingest;
  webhooks: ReadonlyMap<string, WebhookDef>;
  /** renders a webhook template off the event loop, with a deadline (the template worker pool) */
  renderWebhook: WebhookRenderer;
  runtime: ScopeRuntime;
  wake(): void;
  app: GitHubAppHandle | null;
  /** the readers of database.yaml's sources (null: none configured) */
  database: DatabaseReaders | null;
  /** the console's questions (an event's effects, the delivery log) and redelivery */
  console: ConsoleQueries;
  /** what-if replays off the event loop (POST /api/what-if) */
  whatIf: WhatIfRunner;
  /** which scopes the stored events of webhooks and database sources went to (what-if replays keep to their scope) */
  replayRoutes: ReplayRoutes;
}

export interface Readiness {
  ok: boolean;
  checks: Record<string, string>;
}

export interface HttpDeps {
  apiToken: string;
  githubApp: GitHubAppSettings | null;
  env: Readonly<Record<string, string | undefined>>;
  log: PinoLogger;
  metrics: ServerMetrics;
  /** null until the server is ready (database migrated, workers running) */
  parts(): ServerParts | null;
  readiness(): Promise<Readiness>;
  now(): number;
  /** every request body read is reserved here first (absent: bodies are bounded only by each route's limit) */
  bodyBudget?: BodyBudget;
  /** the GitHub App's manifest setup page while no App is configured (null or absent: no setup page) */
  setup?: GitHubAppSetup | null;
  /** the web console: its files, sessions, sign-in rate limit and live feeds */
  console: { assets: ConsoleAssets; sessions: Sessions; signInLimit: SignInLimit; streams: EventStreams };
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  /** a logger with the request id (`reqId`) */
  readonly log: PinoLogger;
  /** adds fields to the one log line written when the request finishes ("request": status, ms, …) */
  note(fields: Record<string, unknown>): void;
  deps: HttpDeps;
  /** who passed /api authorization (set for /api routes): the bearer token or a console session */
  principal?: Principal;
}

/** A handler that needs the server parts gets them (the router answers 503 before the server is ready). */
export type Handler = (ctx: RequestContext) => Promise<void> | void;
export type PartsHandler = (ctx: RequestContext, parts: ServerParts) => Promise<void> | void;
