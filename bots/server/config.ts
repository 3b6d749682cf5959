/**
 * The server's settings, read once from the environment (and `hookline serve` flags). Every bad value is a
 * ServerConfigError with a stable code and the fix; nothing here opens a socket or a database.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { egressAllowProblem } from "../../src/adapters/egress/allow-list.js";
import { apiTokenFile } from "./api-token.js";
import { environmentConfiguresApp, githubAppFile, readGitHubAppFile } from "./github-app-file.js";
import { ServerConfigError } from "./errors.js";
import type { HooklineCode } from "../../src/errors/index.js";
import { DEFAULT_BODY_BUDGET, MiB, type BodyBudgetLimits } from "../../src/adapters/http-server/body-budget.js";

export interface GitHubAppSettings {
  appId: string;
  privateKey: string;
  webhookSecret: string;
}

export interface SlackSettings {
  /** SLACK_SIGNING_SECRET: verifies every request to /slack/events */
  signingSecret: string;
  /** SLACK_BOT_TOKEN (xoxb-…) */
  botToken: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** postgres://… when set; else the embedded PGlite in `dataDir` */
  databaseUrl: string | null;
  /** PGlite data folder; `memory://` keeps the database in memory (tests) */
  dataDir: string;
  configDir: string;
  /** true when no HOOKLINE_CONFIG_DIR was given and the checkout's examples/webhooks is used */
  configDirIsExample: boolean;
  /** HOOKLINE_API_TOKEN; null: the token is kept in `apiTokenFile` (created on first start), see api-token.ts */
  apiToken: string | null;
  /** HOOKLINE_API_TOKEN_FILE, else `api-token` beside the data folder; null with an in-memory database */
  apiTokenFile: string | null;
  /** null when APP_ID / PRIVATE_KEY / WEBHOOK_SECRET are all unset (in the environment and in `githubAppFile`) */
  githubApp: GitHubAppSettings | null;
  /** where the App's credentials came from: the environment, or the file the manifest flow wrote */
  githubAppSource: "env" | "file" | null;
  /** HOOKLINE_GITHUB_APP_FILE, else `github-app.env` beside the data folder; null with an in-memory database */
  githubAppFile: string | null;
  /** GitHub's web root (GITHUB_URL, default https://github.com): where the manifest flow registers the App */
  githubUrl: string;
  /** the server's public base URL (HOOKLINE_PUBLIC_URL): the App's webhook URL is <it>/api/github/webhooks */
  publicUrl: string | null;
  /** WEBHOOK_PROXY_URL: a smee.io-style channel relaying GitHub's deliveries to this server (development) */
  webhookProxyUrl: string | null;
  /** GitHub REST base URL (GITHUB_API_URL), for the App and the server scope's GitHub actions */
  githubApiUrl: string;
  /** token for GitHub actions of the server's own automations (HOOKLINE_GITHUB_TOKEN), null: none */
  githubToken: string | null;
  /** default repository of the server's GitHub actions without `repository:` (HOOKLINE_GITHUB_REPOSITORY) */
  githubRepository: { owner: string; repo: string } | null;
  slackApiUrl: string | null;
  /** the Slack bot (POST /slack/events): null unless SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are both set */
  slack: SlackSettings | null;
  /** `owner/name` of repositories that use the GitHub Action (HOOKLINE_ACTION_REPOSITORIES): a pause from Slack also writes their state ref */
  actionRepositories: string[];
  /**
   * names of server environment variables that `repo:` scopes may read through `*_env` (HOOKLINE_REPO_ENV_ALLOW);
   * besides them a repository sees only its owner's `HOOKLINE_ORG_<OWNER>__<NAME>` variables, as `<NAME>`
   */
  repoEnvAllow: string[];
  /** the egress policy of outbound calls whose target an automation chooses (docs/egress.md) */
  egress: EgressSettings;
  logLevel: string;
  /** hostname-pid-random: names this process's outbox claims */
  instance: string;
  /** how long a claimed action is held before another instance may take it (HOOKLINE_CLAIM_SECONDS, default 120) */
  claimMs: number;
  /** events, firings and finished actions are kept this long (HOOKLINE_RETENTION_DAYS, default 30); null: forever */
  retentionMs: number | null;
  /** request bodies in memory at once (HOOKLINE_BODY_BUDGET_MB, HOOKLINE_BODY_CLIENT_MB, HOOKLINE_BODY_CLIENT_READS) */
  bodyBudget: BodyBudgetLimits;
  /** wall-clock limit of one template render in a worker thread (HOOKLINE_TEMPLATE_TIMEOUT_MS, default 1000) */
  templateTimeoutMs: number;
  /** template worker threads (HOOKLINE_TEMPLATE_WORKERS, default 2) */
  templateWorkers: number;
  /** the environment action secrets are read from (by the `*_env` names of notifiers) */
  env: Readonly<Record<string, string | undefined>>;
}

export interface EgressSettings {
  /** HOOKLINE_EGRESS_ALLOW: hosts, `*.` wildcards, IP addresses and CIDR ranges let through (validated, normalized) */
  allow: string[];
  /**
   * HOOKLINE_EGRESS_SCOPES: `repositories` (default) polices the automations of repository scopes only; `all`
   * also the server's own automations (the operator's configuration folder)
   */
  scopes: EgressScopes;
}

export const EGRESS_SCOPES = ["repositories", "all"] as const;
export type EgressScopes = (typeof EGRESS_SCOPES)[number];

export interface ServeFlags {
  port?: string;
  host?: string;
  configDir?: string;
  dataDir?: string;
}

/** examples/webhooks of this checkout (this file is bots/server/ or build/bots/server/). */
export const EXAMPLE_CONFIG_DIR = fileURLToPath(
  new URL(import.meta.url.includes("/build/bots/") ? "../../../examples/webhooks/" : "../../examples/webhooks/", import.meta.url),
);

export const SLACK_ENV = ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/**
 * Variables that control the server itself: a repository automation (written by anyone with push access to an
 * installed repository) must never read them, so HOOKLINE_REPO_ENV_ALLOW may not name them.
 */
export const SERVER_SECRETS = [
  "DATABASE_URL",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "HOOKLINE_API_TOKEN",
  "HOOKLINE_GITHUB_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "HOOKLINE_TEST_DATABASE_URL",
] as const;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export const APP_ENV = ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"] as const;

function bad(code: HooklineCode, message: string): never {
  throw new ServerConfigError(code, message);
}

function text(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

function parsePort(value: string, from: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    bad(
      "HOOKLINE_CONFIG_BAD_PORT",
      `${from}=${JSON.stringify(value)} is not a TCP port: use a number from 0 to 65535 (0 picks a free one)`,
    );
  }
  return Number(value);
}

function parseHost(value: string, from: string): string {
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(value)) {
    bad(
      "HOOKLINE_CONFIG_BAD_HOST",
      `${from}=${JSON.stringify(value)} is not a host: use 127.0.0.1 (default), 0.0.0.0 to listen on every interface, or an address of this machine`,
    );
  }
  return value.replace(/^\[(.*)\]$/, "$1");
}

function readPrivateKey(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const inline = text(env, "PRIVATE_KEY");
  const path = text(env, "PRIVATE_KEY_PATH");
  if (inline && path) bad("HOOKLINE_CONFIG_PRIVATE_KEY_TWICE", "both PRIVATE_KEY and PRIVATE_KEY_PATH are set: keep one");
  let key = inline;
  if (path) {
    try {
      key = readFileSync(path, "utf8");
    } catch (err) {
      bad(
        "HOOKLINE_CONFIG_PRIVATE_KEY_UNREADABLE",
        `PRIVATE_KEY_PATH=${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): point it at the .pem file downloaded from the GitHub App's settings`,
      );
    }
  }
  if (key === undefined) return undefined;
  // .env files often hold the key on one line with literal \n
  key = key.replace(/\\n/g, "\n").trim();
  if (!/^-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----\n[\s\S]+\n-----END ([A-Z ]+ )?PRIVATE KEY-----$/.test(key)) {
    bad(
      "HOOKLINE_CONFIG_BAD_PRIVATE_KEY",
      `${path ? `PRIVATE_KEY_PATH=${path}` : "PRIVATE_KEY"} is not a PEM private key: use the .pem file GitHub generated for the App (it starts with -----BEGIN RSA PRIVATE KEY-----)`,
    );
  }
  return key;
}

/** The App from the environment, else from the manifest flow's file (github-app-file.ts: precedence). */
function readGitHubAppSettings(
  env: Readonly<Record<string, string | undefined>>,
  file: string | null,
): { settings: GitHubAppSettings | null; source: "env" | "file" | null } {
  if (environmentConfiguresApp(env) || file === null) {
    const settings = readGitHubApp(env);
    return { settings, source: settings ? "env" : null };
  }
  const values = readGitHubAppFile(file);
  if (values === null) return { settings: null, source: null };
  try {
    const settings = readGitHubApp(values);
    return { settings, source: settings ? "file" : null };
  } catch (err) {
    if (err instanceof ServerConfigError) throw new ServerConfigError(err.code, `${file}: ${err.message}`);
    throw err;
  }
}

function readGitHubApp(env: Readonly<Record<string, string | undefined>>): GitHubAppSettings | null {
  const privateKey = readPrivateKey(env);
  const values = { APP_ID: text(env, "APP_ID"), PRIVATE_KEY: privateKey, WEBHOOK_SECRET: text(env, "WEBHOOK_SECRET") };
  const missing = APP_ENV.filter((n) => values[n] === undefined);
  if (missing.length === APP_ENV.length) return null;
  if (missing.length > 0) {
    const names = missing.map((n) => (n === "PRIVATE_KEY" ? "PRIVATE_KEY (or PRIVATE_KEY_PATH)" : n));
    bad(
      "HOOKLINE_CONFIG_GITHUB_APP_INCOMPLETE",
      `the GitHub App needs APP_ID, PRIVATE_KEY and WEBHOOK_SECRET together; missing: ${names.join(", ")} (set them, or unset all three to run without the App)`,
    );
  }
  if (!/^\d{1,12}$/.test(values.APP_ID!))
    bad(
      "HOOKLINE_CONFIG_BAD_APP_ID",
      `APP_ID=${JSON.stringify(values.APP_ID)} is not a number: copy the App ID from the GitHub App's settings page`,
    );
  return { appId: values.APP_ID!, privateKey: values.PRIVATE_KEY!, webhookSecret: values.WEBHOOK_SECRET! };
}

export function readUrl(value: string | undefined, name: string, fallback: string): string {
  const v = value ?? fallback;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return bad("HOOKLINE_CONFIG_BAD_URL", `${name}=${JSON.stringify(v)} is not a URL: use e.g. ${fallback}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    bad("HOOKLINE_CONFIG_BAD_URL", `${name} must be an http(s) URL, got ${url.protocol}`);
  return v.replace(/\/+$/, "");
}

/** GitHub's REST root for a web root: api.github.com for github.com, <root>/api/v3 for GitHub Enterprise Server. */
export function apiUrlOf(githubUrl: string): string {
  return /^https:\/\/github\.com$/i.test(githubUrl) ? "https://api.github.com" : `${githubUrl}/api/v3`;
}

function readDir(value: string, from: string): string {
  const dir = isAbsolute(value) ? value : resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    bad(
      "HOOKLINE_CONFIG_DIR_MISSING",
      `${from}=${value} is not a folder: create it with webhooks.yaml and/or automations.yaml, or unset it to use the embedded example`,
    );
  }
  return dir;
}

function readSlack(env: Readonly<Record<string, string | undefined>>): SlackSettings | null {
  const signingSecret = text(env, "SLACK_SIGNING_SECRET");
  const botToken = text(env, "SLACK_BOT_TOKEN");
  if (!signingSecret || !botToken) return null;
  if (!/^xox[a-z]-/.test(botToken))
    bad(
      "HOOKLINE_CONFIG_BAD_SLACK_TOKEN",
      "SLACK_BOT_TOKEN must be the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page",
    );
  return { signingSecret, botToken };
}

/** Comma-separated values, blanks dropped. */
function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function readActionRepositories(env: Readonly<Record<string, string | undefined>>): string[] {
  const repos = list(text(env, "HOOKLINE_ACTION_REPOSITORIES"));
  for (const r of repos) {
    if (!/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/.test(r))
      bad(
        "HOOKLINE_CONFIG_BAD_REPOSITORY",
        `HOOKLINE_ACTION_REPOSITORIES: ${JSON.stringify(r)} is not owner/name (use a comma-separated list like acme/app,acme/api)`,
      );
  }
  return [...new Set(repos)];
}

function readRepoEnvAllow(env: Readonly<Record<string, string | undefined>>): string[] {
  const names = list(text(env, "HOOKLINE_REPO_ENV_ALLOW"));
  for (const n of names) {
    if (!ENV_NAME.test(n)) {
      bad(
        "HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW",
        `HOOKLINE_REPO_ENV_ALLOW: ${JSON.stringify(n.slice(0, 100))} is not an environment variable name: list exact names (no patterns), comma-separated, e.g. SLACK_BOT_TOKEN,TEAMS_WEBHOOK_URL`,
      );
    }
    if ((SERVER_SECRETS as readonly string[]).includes(n)) {
      bad(
        "HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW",
        `HOOKLINE_REPO_ENV_ALLOW names ${n}, a secret of the server itself: repository automations (anyone with push access to an installed repository) could send it anywhere. Remove it`,
      );
    }
    if (n.startsWith("HOOKLINE_ORG_")) {
      bad(
        "HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW",
        `HOOKLINE_REPO_ENV_ALLOW names ${n}: HOOKLINE_ORG_<OWNER>__<NAME> variables reach their owner's repositories by themselves (as <NAME>); allowing one would hand it to every repository`,
      );
    }
  }
  return [...new Set(names)];
}

function readEgress(env: Readonly<Record<string, string | undefined>>): EgressSettings {
  const allow = list(text(env, "HOOKLINE_EGRESS_ALLOW"));
  for (const entry of allow) {
    const problem = egressAllowProblem(entry);
    if (problem !== null) bad("HOOKLINE_CONFIG_BAD_EGRESS_ALLOW", `HOOKLINE_EGRESS_ALLOW: ${problem}`);
  }
  const scopes = text(env, "HOOKLINE_EGRESS_SCOPES") ?? "repositories";
  if (!(EGRESS_SCOPES as readonly string[]).includes(scopes)) {
    bad(
      "HOOKLINE_CONFIG_BAD_EGRESS_SCOPES",
      `HOOKLINE_EGRESS_SCOPES=${JSON.stringify(scopes.slice(0, 40))}: use \`repositories\` (default: repository automations are policed) or \`all\` (the server's own automations too)`,
    );
  }
  return { allow: [...new Set(allow)], scopes: scopes as EgressScopes };
}

export function newInstanceId(random: () => string = () => randomBytes(3).toString("hex")): string {
  return `${hostname()
    .replace(/[^A-Za-z0-9.-]/g, "-")
    .slice(0, 64)}-${process.pid}-${random()}`;
}

/** Reads the settings; flags (from `hookline serve`) win over the environment. */
export function readServerConfig(env: Readonly<Record<string, string | undefined>>, flags: ServeFlags = {}): ServerConfig {
  const port = flags.port !== undefined ? parsePort(flags.port, "--port") : parsePort(text(env, "PORT") ?? "8080", "PORT");
  const host = flags.host !== undefined ? parseHost(flags.host, "--host") : parseHost(text(env, "HOST") ?? "127.0.0.1", "HOST");
  const databaseUrl = text(env, "DATABASE_URL") ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    bad(
      "HOOKLINE_CONFIG_BAD_DATABASE_URL",
      "DATABASE_URL must be a postgres:// (or postgresql://) URL: unset it to use the embedded database in HOOKLINE_DATA_DIR",
    );
  }
  const rawData = flags.dataDir ?? text(env, "HOOKLINE_DATA_DIR") ?? ".hookline/data";
  const dataDir = rawData === "memory://" ? rawData : isAbsolute(rawData) ? rawData : resolve(rawData);
  const rawConfig = flags.configDir ?? text(env, "HOOKLINE_CONFIG_DIR");
  const configDir =
    rawConfig !== undefined
      ? readDir(rawConfig, flags.configDir !== undefined ? "--config-dir" : "HOOKLINE_CONFIG_DIR")
      : EXAMPLE_CONFIG_DIR;
  const logLevel = text(env, "LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel))
    bad("HOOKLINE_CONFIG_BAD_LOG_LEVEL", `LOG_LEVEL=${JSON.stringify(logLevel)}: use one of ${LOG_LEVELS.join(", ")}`);
  const apiToken = text(env, "HOOKLINE_API_TOKEN") ?? null;
  if (apiToken !== null && apiToken.length < 16)
    bad("HOOKLINE_CONFIG_WEAK_API_TOKEN", "HOOKLINE_API_TOKEN must be at least 16 characters: generate one with `openssl rand -hex 32`");
  const repo = text(env, "HOOKLINE_GITHUB_REPOSITORY");
  const parts = repo?.split("/");
  if (repo !== undefined && (parts?.length !== 2 || !parts.every((p) => /^[A-Za-z0-9_.-]{1,100}$/.test(p)))) {
    bad("HOOKLINE_CONFIG_BAD_REPOSITORY", `HOOKLINE_GITHUB_REPOSITORY=${JSON.stringify(repo)} must be owner/name`);
  }
  const appFile = githubAppFile(dataDir, text(env, "HOOKLINE_GITHUB_APP_FILE"));
  const githubApp = readGitHubAppSettings(env, appFile);
  const githubUrl = readUrl(text(env, "GITHUB_URL"), "GITHUB_URL", "https://github.com");
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    configDir,
    configDirIsExample: rawConfig === undefined,
    apiToken,
    apiTokenFile: apiTokenFile(dataDir, text(env, "HOOKLINE_API_TOKEN_FILE")),
    githubApp: githubApp.settings,
    githubAppSource: githubApp.source,
    githubAppFile: appFile,
    githubUrl,
    publicUrl: text(env, "HOOKLINE_PUBLIC_URL")
      ? readUrl(text(env, "HOOKLINE_PUBLIC_URL"), "HOOKLINE_PUBLIC_URL", "https://hookline.example.com")
      : null,
    webhookProxyUrl: text(env, "WEBHOOK_PROXY_URL")
      ? readUrl(text(env, "WEBHOOK_PROXY_URL"), "WEBHOOK_PROXY_URL", "https://smee.io/CHANNEL")
      : null,
    githubApiUrl: readUrl(text(env, "GITHUB_API_URL"), "GITHUB_API_URL", apiUrlOf(githubUrl)),
    githubToken: text(env, "HOOKLINE_GITHUB_TOKEN") ?? null,
    githubRepository: parts && repo ? { owner: parts[0]!, repo: parts[1]! } : null,
    slackApiUrl: text(env, "SLACK_API_URL") ? readUrl(text(env, "SLACK_API_URL"), "SLACK_API_URL", "https://slack.com/api/") : null,
    slack: readSlack(env),
    actionRepositories: readActionRepositories(env),
    repoEnvAllow: readRepoEnvAllow(env),
    egress: readEgress(env),
    logLevel,
    instance: text(env, "HOOKLINE_INSTANCE_ID") ?? newInstanceId(),
    claimMs: readClaimSeconds(text(env, "HOOKLINE_CLAIM_SECONDS")) * 1000,
    retentionMs: readRetentionDays(text(env, "HOOKLINE_RETENTION_DAYS")),
    bodyBudget: readBodyBudget(env),
    templateTimeoutMs: readWhole(
      text(env, "HOOKLINE_TEMPLATE_TIMEOUT_MS"),
      "HOOKLINE_TEMPLATE_TIMEOUT_MS",
      "HOOKLINE_CONFIG_BAD_TEMPLATE_TIMEOUT_MS",
      1_000,
      50,
      10_000,
      "milliseconds",
    ),
    templateWorkers: readWhole(
      text(env, "HOOKLINE_TEMPLATE_WORKERS"),
      "HOOKLINE_TEMPLATE_WORKERS",
      "HOOKLINE_CONFIG_BAD_TEMPLATE_WORKERS",
      2,
      1,
      16,
      "worker threads",
    ),
    env,
  };
}

/** A whole number setting within [min, max] (default when unset); else `code` (HOOKLINE_CONFIG_BAD_<NAME without HOOKLINE_>). */
function readWhole(
  raw: string | undefined,
  name: string,
  code: HooklineCode,
  dflt: number,
  min: number,
  max: number,
  unit: string,
): number {
  if (raw === undefined) return dflt;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    bad(code, `${name}=${JSON.stringify(raw.slice(0, 20))} must be whole ${unit} from ${min} to ${max}`);
  }
  return Number(raw);
}

export const DEFAULT_RETENTION_DAYS = 30;

/** days events, firings and finished actions are kept (1..3650, default 30; 0: forever) → ms, or null */
function readRetentionDays(raw: string | undefined): number | null {
  if (raw === undefined) return DEFAULT_RETENTION_DAYS * 86_400_000;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) > 3650) {
    bad(
      "HOOKLINE_CONFIG_BAD_RETENTION_DAYS",
      `HOOKLINE_RETENTION_DAYS=${JSON.stringify(raw.slice(0, 20))} must be whole days from 1 to 3650, or 0 to keep everything`,
    );
  }
  return Number(raw) === 0 ? null : Number(raw) * 86_400_000;
}

/** seconds an action claim lasts: after a crash, the killed process's actions wait this long (5..3600, default 120) */
function readClaimSeconds(raw: string | undefined): number {
  if (raw === undefined) return 120;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 5 || Number(raw) > 3600) {
    bad(
      "HOOKLINE_CONFIG_BAD_CLAIM_SECONDS",
      `HOOKLINE_CLAIM_SECONDS=${JSON.stringify(raw.slice(0, 20))} must be whole seconds from 5 to 3600 (longer than your slowest action's timeout)`,
    );
  }
  return Number(raw);
}

/** the largest body a route accepts (a GitHub delivery, 25 MiB) must fit one client's share */
const LARGEST_BODY_MB = 25;

function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  min: number,
  max: number,
  fallback: number,
  fix: string,
) {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    bad(
      "HOOKLINE_CONFIG_BAD_BODY_BUDGET",
      `${name}=${JSON.stringify(raw.slice(0, 20))} must be a whole number from ${min} to ${max}: ${fix}`,
    );
  return Number(raw);
}

/** the body budget (body-budget.ts): total MiB (32..16384, default 128), per client MiB (25..total, default a quarter, at least 25), reads per client (1..1000, default 32) */
function readBodyBudget(env: Readonly<Record<string, string | undefined>>): BodyBudgetLimits {
  const totalMb = wholeNumber(
    env,
    "HOOKLINE_BODY_BUDGET_MB",
    32,
    16384,
    DEFAULT_BODY_BUDGET.totalBytes / MiB,
    "MiB of request bodies the server holds at once",
  );
  const clientMb = wholeNumber(
    env,
    "HOOKLINE_BODY_CLIENT_MB",
    LARGEST_BODY_MB,
    totalMb,
    Math.max(LARGEST_BODY_MB, Math.floor(totalMb / 4)),
    `MiB one client address may hold, at most HOOKLINE_BODY_BUDGET_MB (${totalMb}) and at least ${LARGEST_BODY_MB} (a GitHub delivery); behind a reverse proxy every request comes from its address: set it to HOOKLINE_BODY_BUDGET_MB`,
  );
  const reads = wholeNumber(
    env,
    "HOOKLINE_BODY_CLIENT_READS",
    1,
    1000,
    DEFAULT_BODY_BUDGET.perClientReads,
    "bodies one client address may send at once",
  );
  return {
    totalBytes: totalMb * MiB,
    perClientBytes: clientMb * MiB,
    perClientReads: reads,
    retryAfterSeconds: DEFAULT_BODY_BUDGET.retryAfterSeconds,
  };
}
