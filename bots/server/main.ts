/**
 * The server process (issue 4): one HTTP listener hosting custom webhooks, the events API, the GitHub App's
 * webhooks, health and metrics; a durable SQL store (PGlite in a data folder, or PostgreSQL); the workers
 * (evaluator + ticker, outbox). `startServer` composes them; `hookline serve` / `npm start` call it.
 *
 * Order: read the configuration files (errors: exit 2 before anything opens), listen (so /healthz answers and
 * /readyz says 503 while the database opens and migrates), open + migrate the database, GitHub App, workers,
 * Slack bot (when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set), then ready. `close()` stops accepting,
 * lets in-flight requests finish, stops the workers (they release their claims), closes the database.
 */
import { resolveApiToken, type ApiToken } from "./api-token.js";
import { pino, type Logger as PinoLogger } from "pino";
import { createGitHubApp } from "../app/index.js";
import { SLACK_TOKEN_DEPRECATED_ENV, SLACK_TOKEN_FALLBACK_ENV } from "../../src/executors/index.js";
import { missingWebhookSecrets, publicSlug } from "../../src/webhooks/index.js";
import { createSqlStore, migrate, type Db } from "../../src/store/sql/index.js";
import { createTemplatePool, openDatabase, type TemplatePool, type TemplatePoolOptions } from "../../src/adapters/index.js";
import { createWhatIfRunner, type WhatIfRunner, type WhatIfRunnerOptions } from "../../src/adapters/what-if/what-if-runner.js";
import { replayRoutesOf } from "./http/what-if-route.js";
import { createBodyBudget } from "../../src/adapters/http-server/body-budget.js";
import type { ServerStore } from "../../src/store/server-types.js";
import type { ServerConfig } from "./config.js";
import { ServerConfigError } from "./errors.js";
import { createRequestHandler } from "./http/app.js";
import { loadConsoleAssets } from "./console/assets.js";
import { createEventStreams, type StreamOptions } from "./console/event-stream.js";
import { createSessions } from "./console/sessions.js";
import { createSignInLimit } from "./console/sign-in-limit.js";
import { createConsoleQueries } from "../../src/store/sql/console-queries.js";
import { eventsInRanges, matchingEventsAfter, newestEventSeq } from "../../src/store/sql/feed-events.js";
import type { HttpDeps, Readiness, ServerParts } from "./http/context.js";
import { listen, type Listening } from "./http/listen.js";
import { createIngest } from "./ingest.js";
import { createMetrics } from "./metrics.js";
import { createScopeRuntime, orgEnvCount, serverPorts } from "./runtime.js";
import { loadServerFiles } from "./config-files.js";
import { missingNotifierEnv } from "./notifier-env.js";
import { openAppSetup, startAppProxy } from "./app-onboarding.js";
import type { WebhookProxy } from "./webhook-proxy.js";
import { createServerSlackBot, readSlackPolicy, slackFeatures, type SlackHandle } from "./slack.js";
import type { SlackPolicy } from "../slack/index.js";
import { startDatabaseReaders, startWorkers, type DatabaseReaders } from "./work/index.js";
import type { Clock } from "./work/types.js";

export interface StartOptions {
  log?: PinoLogger;
  /** tests: another database (e.g. in-memory PGlite), or one that opens late */
  openDb?: () => Promise<Db>;
  /** called once the HTTP port is bound, before the database is open */
  onListening?: (url: string) => void;
  now?: () => number;
  workers?: { clock?: Clock; pollMs?: number; lockMs?: number; actionBatch?: number; evaluateLimit?: number };
  /** ms in-flight requests get on close (default 10 s) */
  graceMs?: number;
  /** the template worker pool beyond the configuration (tests: a loader for the TypeScript sources) */
  templates?: Partial<TemplatePoolOptions>;
  /** the live feed's timing and bounds (tests: a short heartbeat, few connections) */
  streams?: Partial<Pick<StreamOptions, "pollMs" | "heartbeatMs" | "maxConnections" | "maxBufferedBytes" | "resumeMax">>;
  /** what-if replays (limits; tests: a loader for the TypeScript sources) */
  whatIf?: WhatIfRunnerOptions;
}

export interface RunningServer {
  url: string;
  instance: string;
  close(): Promise<void>;
}

const GITHUB_ACTIONS = new Set([
  "run-workflow",
  "repository-dispatch",
  "cancel-workflow-run",
  "rerun-workflow-run",
  "enable-workflow",
  "disable-workflow",
  "create-issue",
  "comment",
]);

export function createLogger(level: string): PinoLogger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

function logApiToken(api: ApiToken, log: PinoLogger): void {
  const how = "/api and /metrics need `Authorization: Bearer <token>`";
  if (api.source === "env") log.info({ apiToken: "HOOKLINE_API_TOKEN" }, `${how} (the token is HOOKLINE_API_TOKEN)`);
  else if (api.source === "memory")
    log.warn({ apiToken: api.token }, `${how}; with an in-memory database the token lasts as long as this process: it is shown here once`);
  else
    log.info(
      { apiTokenFile: api.file, created: api.source === "created" },
      `${how}: the token is in ${api.file}, e.g. curl -H "Authorization: Bearer $(cat ${api.file})" …`,
    );
}

function logStart(config: ServerConfig, log: PinoLogger, files: ReturnType<typeof loadServerFiles>, slackPolicy: SlackPolicy): void {
  if (config.configDirIsExample) {
    log.warn(
      { configDir: config.configDir },
      "HOOKLINE_CONFIG_DIR is unset: serving the EMBEDDED EXAMPLE configuration (examples/webhooks: the mainframe pipeline); set HOOKLINE_CONFIG_DIR to a folder with your webhooks.yaml and automations.yaml",
    );
  } else log.info({ configDir: config.configDir, files: files.files }, "configuration");
  for (const w of files.warnings) log.warn({ problem: w }, "configuration warning");
  if (config.env[SLACK_TOKEN_DEPRECATED_ENV]?.trim() || config.repoEnvAllow.includes(SLACK_TOKEN_DEPRECATED_ENV))
    log.warn(
      { deprecated: SLACK_TOKEN_DEPRECATED_ENV, use: SLACK_TOKEN_FALLBACK_ENV },
      `${SLACK_TOKEN_DEPRECATED_ENV} is deprecated: name the Slack bot token ${SLACK_TOKEN_FALLBACK_ENV} (the bot and the notifiers read it); the old name is still read by notifiers while ${SLACK_TOKEN_FALLBACK_ENV} is unset`,
    );
  log.info(
    {
      webhooks: files.webhooks.map(publicSlug),
      automations: files.automations?.config.automations.map((a) => a.name) ?? [],
      databaseSources: files.databaseSources.map((s) => s.name),
    },
    "server scope",
  );
  const open = files.webhooks.filter((w) => w.auth.kind === "none").map((w) => w.slug);
  if (open.length > 0)
    log.warn(
      { webhooks: open },
      `webhook${open.length === 1 ? "" : "s"} ${open.join(", ")} accept${open.length === 1 ? "s" : ""} requests from anyone who can reach the server (auth: none): give each a secret_env, a signature or a secret slug before exposing the server`,
    );
  for (const m of missingWebhookSecrets(files.webhooks, config.env)) {
    log.warn({ webhook: m.slug, env: m.env }, `webhook ${m.slug} needs the secret in ${m.env}: until it is set, its requests are refused`);
  }
  const githubActions = (files.automations?.config.automations ?? []).filter((a) =>
    [...a.actions, ...a.actions_on_trigger, ...a.actions_on_resolve].some((x) => GITHUB_ACTIONS.has(x.type)),
  );
  if (githubActions.length > 0 && !config.githubToken) {
    log.warn(
      { automations: githubActions.map((a) => a.name) },
      "server automations with GitHub actions need HOOKLINE_GITHUB_TOKEN (a token with actions: write on the target repositories); until it is set those actions fail",
    );
  }
  for (const m of missingNotifierEnv(files.automations?.config.notifiers ?? {}, config.env))
    log.warn({ notifier: m.notifier, env: m.env }, `notifier ${m.notifier} needs ${m.env}: until it is set, its notifications fail`);
  if (!config.githubApp) {
    log.info(
      { missing: ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"] },
      "GitHub App features (repository automations, /api/github/webhooks, PR checks) wait for APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET, or the file the setup page writes (docs/github-app.md); custom webhooks and the events API work without them",
    );
  }
  const slack = slackFeatures({
    slack: config.slack,
    policy: slackPolicy,
    githubApp: config.githubApp !== null,
    actionRepositories: config.actionRepositories,
  });
  log.info(slack.obj, slack.msg);
  const orgVariables = orgEnvCount(config.env);
  log.info(
    { repoEnvAllowed: config.repoEnvAllow.length, orgVariables },
    `repository automations may read ${config.repoEnvAllow.length} server environment variable${config.repoEnvAllow.length === 1 ? "" : "s"} (HOOKLINE_REPO_ENV_ALLOW) and their owner's HOOKLINE_ORG_<OWNER>__<NAME> variables (${orgVariables} set); the server's own automations see the whole environment`,
  );
  log.info(
    { egressAllow: config.egress.allow, egressScopes: config.egress.scopes },
    `egress policy: ${config.egress.scopes === "all" ? "every automation" : "repository automations"} may not reach loopback, private, link-local, CGNAT, unique-local, multicast or reserved addresses${config.egress.allow.length ? ` except ${config.egress.allow.join(", ")} (HOOKLINE_EGRESS_ALLOW)` : ""}; redirects are not followed${config.egress.scopes === "all" ? "" : "; the server's own automations are not policed (HOOKLINE_EGRESS_SCOPES=all polices them too)"}`,
  );
  if (config.host !== "127.0.0.1" && config.host !== "::1" && config.host !== "localhost")
    log.warn({ host: config.host }, "listening beyond this machine");
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const files = loadServerFiles(config.configDir);
  // slack.yaml is checked like the other files (a bad one exits 2 even before the Slack env vars are set)
  const slackPolicy = readSlackPolicy(config.configDir);
  logStart(config, log, files, slackPolicy);
  const api = resolveApiToken({ envToken: config.apiToken, file: config.apiTokenFile });
  logApiToken(api, log);

  let db: Db | null = null;
  let store: ServerStore | null = null;
  let parts: ServerParts | null = null;
  let migrated = false;
  let workers: ReturnType<typeof startWorkers> | null = null;
  let readers: DatabaseReaders | null = null;
  let appIdle: (() => Promise<void>) | null = null;
  let slack: SlackHandle | null = null;
  let templates: TemplatePool | null = null;
  let proxy: WebhookProxy | null = null;
  let whatIf: WhatIfRunner | null = null;
  const metrics = createMetrics(async () => (store ? store.outboxStats(now()) : null), now);

  const readiness = async (): Promise<Readiness> => {
    const checks: Record<string, string> = {};
    if (!db) checks.database = "opening";
    else {
      try {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          db.query("SELECT 1"),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("no answer within 2 s")), 2000))),
        ]).finally(() => clearTimeout(timer));
        checks.database = "ok";
      } catch (err) {
        checks.database = `unreachable: ${(err as Error).message}`;
      }
    }
    checks.migrations = migrated ? "ok" : "pending";
    checks.workers = workers && parts ? "running" : "stopped";
    return { ok: checks.database === "ok" && migrated && parts !== null, checks };
  };
  const sessions = createSessions();
  // the live feed: every write of events pushes them after commit (onEventsStored below); the poll finds what other instances stored
  const streams = createEventStreams({
    source: () => {
      const d = store ? db : null;
      return d
        ? {
            // PGlite is this process's alone: everything it stores is pushed; PostgreSQL may have other writers
            shared: d.kind === "postgres",
            newestSeq: () => newestEventSeq(d),
            eventsIn: (ranges, limit) => eventsInRanges(d, ranges, limit),
            matchingAfter: (filter, after, limit) => matchingEventsAfter(d, filter, after, limit),
          }
        : null;
    },
    log,
    ...options.streams,
  });
  const deps: HttpDeps = {
    apiToken: api.token,
    githubApp: config.githubApp,
    env: config.env,
    log,
    metrics,
    parts: () => parts,
    readiness,
    now,
    bodyBudget: createBodyBudget(config.bodyBudget),
    console: { assets: loadConsoleAssets(), sessions, signInLimit: createSignInLimit(), streams },
  };

  let http: Listening;
  try {
    http = await listen(createRequestHandler(deps, { slack: () => slack }), config.port, config.host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new ServerConfigError(
        "HOOKLINE_PORT_IN_USE",
        `port ${config.port} on ${config.host} is in use: stop the other process or set PORT (or --port)`,
      );
    if (code === "EADDRNOTAVAIL")
      throw new ServerConfigError("HOOKLINE_CONFIG_BAD_HOST", `${config.host} is not an address of this machine: use 127.0.0.1 or 0.0.0.0`);
    throw err;
  }
  log.info({ url: http.url }, "listening (not ready until the database is migrated)");
  deps.setup = openAppSetup(config, http.url, log);
  options.onListening?.(http.url);

  try {
    db = options.openDb
      ? await options.openDb()
      : await openDatabase(
          config.databaseUrl ? { url: config.databaseUrl } : config.dataDir === "memory://" ? {} : { dataDir: config.dataDir },
        );
    log.info({ database: db.kind, ...(db.kind === "pglite" ? { dataDir: config.dataDir } : {}) }, "database open");
    await migrate(db);
    migrated = true;
    const sql = createSqlStore(db, { onEventsStored: (events) => streams.publish(events) });
    store = sql;
    let wake = () => {};
    const ingest = createIngest({ store: sql, metrics, log, wake: () => wake() });
    // what-if replays run in threads of their own, bounded (docs/what-if.md); the App's PR check backtests with them too
    const replays = createWhatIfRunner(sql, options.whatIf);
    whatIf = replays;
    const replayRoutes = replayRoutesOf(new Map(files.webhooks.map((w) => [w.slug, w])), files.databaseSources);
    const app = config.githubApp
      ? createGitHubApp({
          appId: config.githubApp.appId,
          privateKey: config.githubApp.privateKey,
          webhookSecret: config.githubApp.webhookSecret,
          store: sql,
          ingest: (items) => ingest(items, "github"),
          log,
          baseUrl: config.githubApiUrl,
          // the coalesced wake of ingest (one per committed batch), not one per delivery
          wake: ingest.wake,
          // repository scopes get a filtered environment from the runtime; the App itself holds no secrets to hand out
          env: {},
          now,
          // Probot logs each delivery at info: keep it at warn unless asked for more (or less)
          logLevel: (config.logLevel === "info" ? "warn" : config.logLevel) as "warn",
          backtest: { run: (job) => replays.run(job), routes: replayRoutes },
        })
      : null;
    const runtime = createScopeRuntime({
      server: files.automations,
      serverPorts: serverPorts(config),
      app,
      env: config.env,
      repoEnvAllow: config.repoEnvAllow,
      egress: config.egress,
    });
    // templates render off the event loop, each with a wall-clock limit (workers start on the first render)
    const pool = createTemplatePool({ size: config.templateWorkers, deadlineMs: config.templateTimeoutMs, ...options.templates });
    templates = pool;
    // one worker starts with the server (the first webhook does not wait for a thread, and a worker that cannot
    // start stops the start); the others on demand
    await pool.warm(1);
    const running = startWorkers({
      render: (params, input) => pool.renderParams(params, input),
      store: sql,
      runtime,
      instance: config.instance,
      log,
      observe: metrics.observe,
      lockMs: config.claimMs,
      ...(config.retentionMs !== null ? { retention: { keepMs: config.retentionMs } } : {}),
      ...options.workers,
    });
    workers = running;
    wake = () => running.wake();
    if (files.databaseSources.length > 0) {
      readers = startDatabaseReaders({
        sources: files.databaseSources,
        env: config.env,
        own: db,
        ingest: (items, source) => ingest(items, "database", { databaseSource: source.name }),
        instance: config.instance,
        log,
        ...(options.workers?.clock ? { clock: options.workers.clock } : {}),
        onBacklog: (source, rows) =>
          metrics.databaseBacklog(
            source,
            rows.reduce((n, r) => n + r.backlog, 0),
            rows.reduce<number | null>((m, r) => (r.oldest !== null && (m === null || r.oldest < m) ? r.oldest : m), null),
          ),
      });
    }
    appIdle = app ? () => app.idle() : null;
    if (config.slack) {
      slack = createServerSlackBot({
        settings: config.slack,
        slackApiUrl: config.slackApiUrl,
        policy: slackPolicy,
        store: sql,
        runtime,
        actionRepositories: config.actionRepositories,
        // the App's own Probot: its installation tokens, one GitHub client per process
        gitHubFor: app ? (fullName) => app.octokitFor(fullName) : null,
        log,
        now,
      });
    }
    parts = {
      store: sql,
      ingest,
      webhooks: new Map(files.webhooks.map((w) => [w.slug, w])),
      renderWebhook: (template, context) => pool.renderValue(template, context),
      runtime,
      wake,
      app,
      database: readers,
      console: createConsoleQueries(db, (events) => streams.publish(events)),
      whatIf: replays,
      replayRoutes,
    };
  } catch (err) {
    await http.close(0).catch(() => undefined);
    await readers?.stop().catch(() => undefined);
    await templates?.close();
    await whatIf?.close();
    await db?.close().catch(() => undefined);
    throw err;
  }
  log.info({ url: http.url, instance: config.instance }, `ready ${http.url}`);
  log.info({ console: `${http.url}/` }, `console: open ${http.url}/ in a browser and sign in with the API token`);
  proxy = await startAppProxy(config, http.url, log);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info({}, "shutting down: no new requests, finishing in-flight ones");
      await proxy?.stop();
      // live feeds never finish on their own: end them (and the sessions) first
      streams.closeAll();
      sessions.endAll();
      // a replay can run for its whole deadline (30 s): stopped now, its request answers 503 CLOSED within the
      // grace instead of holding the shutdown and then losing its connection
      await whatIf?.close();
      whatIf = null;
      await http.close(options.graceMs);
      const current = parts;
      parts = null;
      slack = null;
      // the database readers first: their last batch goes through ingest before it drains
      await readers?.stop();
      readers = null;
      await current?.ingest.drain();
      await appIdle?.();
      await workers?.stop();
      workers = null;
      await templates?.close();
      await store?.close();
      await db?.close().catch(() => undefined);
      log.info({}, "stopped");
    })());
  return { url: http.url, instance: config.instance, close };
}
