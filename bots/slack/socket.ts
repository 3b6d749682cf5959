/**
 * The Slack bot alone, in Socket Mode (development: no public URL needed; Slack pushes over a websocket opened
 * with the app-level token SLACK_APP_TOKEN, xapp-…). Same handlers as the server's HTTP mode.
 *
 *   SLACK_APP_TOKEN=xapp-… SLACK_BOT_TOKEN=xoxb-… HOOKLINE_CONFIG_DIR=./config node build/bots/slack/socket.js
 *
 * It opens the server's database (DATABASE_URL, else the embedded PGlite in HOOKLINE_DATA_DIR, default
 * .hookline/data: do not run it next to a server on the same PGlite folder, PGlite is single-process), reads
 * `slack.yaml` and `automations.yaml` from HOOKLINE_CONFIG_DIR, and runs the buttons' rerun/cancel with
 * HOOKLINE_GITHUB_TOKEN (GITHUB_API_URL for GHES), which also writes the state ref of Action repositories.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { LogLevel, SocketModeReceiver, type App } from "@slack/bolt";
import { runInvocation } from "../../src/executors/index.js";
import { createFetchHttpPort, gitHubPortFrom } from "../../src/adapters/index.js";
import { tokenOctokit } from "../app/index.js";
import { loadAutomations } from "../../src/automations/index.js";
import type { OctokitLike } from "../../src/adapters/git-ref-store.js";
import { createSqlStore, migrate } from "../../src/store/sql/index.js";
import { openDatabase } from "../../src/adapters/index.js";
import type { Logger, ScopeConfig } from "../../src/scopes/types.js";
import { HooklineError } from "../../src/errors/index.js";
import { buildSlackApp, type SlackBotOptions } from "./index.js";
import { createPauseTargets } from "./pause-targets.js";
import { loadSlackPolicy } from "./policy.js";

export interface SocketModeBot {
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSocketModeBot(opts: Omit<SlackBotOptions, "signingSecret"> & { appToken: string }): SocketModeBot {
  if (!opts.appToken?.startsWith("xapp-"))
    throw new HooklineError(
      "HOOKLINE_SLACK_CONFIG",
      "HOOKLINE_SLACK_CONFIG: set SLACK_APP_TOKEN to an app-level token (xapp-…) with the connections:write scope",
    );
  const receiver = new SocketModeReceiver({ appToken: opts.appToken, logLevel: LogLevel.WARN });
  const app = buildSlackApp({ ...opts, signingSecret: "" }, receiver, { appToken: opts.appToken, socketMode: true });
  return {
    app,
    start: async () => void (await app.start()),
    stop: () => app.stop().then(() => undefined),
  };
}

const jsonLog: Logger = {
  info: (obj, msg) => console.log(JSON.stringify({ level: "info", ...obj, msg })),
  warn: (obj, msg) => console.error(JSON.stringify({ level: "warn", ...obj, msg })),
  error: (obj, msg) => console.error(JSON.stringify({ level: "error", ...obj, msg })),
};

/** Reads the environment, opens the store and connects; resolves with the running bot (or throws what to set). */
export async function runSocketMode(
  env: Readonly<Record<string, string | undefined>>,
  log: Logger = jsonLog,
): Promise<SocketModeBot & { close(): Promise<void> }> {
  const appToken = env.SLACK_APP_TOKEN?.trim() ?? "";
  const token = env.SLACK_BOT_TOKEN?.trim() ?? "";
  if (!appToken)
    throw new Error(
      "HOOKLINE_SLACK_CONFIG: set SLACK_APP_TOKEN (Basic Information → App-Level Tokens, scope connections:write) to run in Socket Mode",
    );
  if (!token)
    throw new HooklineError(
      "HOOKLINE_SLACK_CONFIG",
      "HOOKLINE_SLACK_CONFIG: set SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-…)",
    );
  const configDir = resolve(env.HOOKLINE_CONFIG_DIR ?? ".");
  const policy = loadSlackPolicy(configDir);
  const db = await openDatabase({
    ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
    dataDir: resolve(env.HOOKLINE_DATA_DIR ?? ".hookline/data"),
  });
  await migrate(db);
  const store = createSqlStore(db);
  const githubToken = env.HOOKLINE_GITHUB_TOKEN?.trim();
  const baseUrl = env.GITHUB_API_URL?.replace(/\/+$/, "") || "https://api.github.com";
  // the server's kind of GitHub client (Probot's Octokit, its retries off), one for the process
  const octokit: OctokitLike | null = githubToken ? tokenOctokit(githubToken, baseUrl) : null;
  const serverFile = join(configDir, "automations.yaml");
  const configOf = async (scope: string): Promise<ScopeConfig | null> => {
    let text: string | null = null;
    let file = "";
    if (scope === "server" && existsSync(serverFile)) [text, file] = [readFileSync(serverFile, "utf8"), serverFile];
    else if (scope.startsWith("repo:")) {
      const repo = await store.getRepository(scope.slice(5));
      [text, file] = [repo?.configText ?? null, `${scope.slice(5)}/${repo?.configPath ?? ".github/automations.yaml"}`];
    }
    const loaded = text === null ? null : loadAutomations(text, file).config;
    return loaded ? { config: loaded, version: file } : null;
  };
  const bot = createSocketModeBot({
    appToken,
    token,
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    store,
    policy,
    targets: createPauseTargets({
      store,
      actionRepositories: (env.HOOKLINE_ACTION_REPOSITORIES ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      gitHubFor: async () => octokit,
    }),
    executeAction: (scope, inv) =>
      runInvocation(
        inv,
        {},
        {
          ...(octokit ? { github: gitHubPortFrom(octokit, Date.now) } : {}),
          http: createFetchHttpPort(),
          env: {},
          clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
          repository: { owner: "", repo: "" },
        },
      ),
    configOf,
    log,
  });
  await bot.start();
  log.info({ component: "slack", mode: "socket", configDir, rules: policy.rules.length }, "Slack bot connected in Socket Mode");
  return { ...bot, close: async () => (await bot.stop(), await store.close()) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runSocketMode(process.env).then(
    (bot) => {
      const stop = () => void bot.close().finally(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
