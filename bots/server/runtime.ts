/**
 * The ScopeRuntime the workers use: the `server` scope from the server's own automations.yaml and ports
 * from the environment; `repo:` scopes delegated to the GitHub App (null config when it is not configured).
 *
 * Secrets: the `server` scope's configuration is the operator's, so its actions see the whole environment.
 * A `repo:` scope's automations are written by anyone with push access to an installed repository, so its
 * `env` (the only place `*_env` names are read) holds only the names in HOOKLINE_REPO_ENV_ALLOW plus that
 * owner's `HOOKLINE_ORG_<OWNER>__<NAME>` variables, exposed as `<NAME>`: `url_env: DATABASE_URL` in a
 * repository finds nothing (HOOKLINE_SECRET_MISSING) instead of sending the database password to a webhook.
 *
 * Network: a `repo:` scope's HTTP and mail ports are the egress policy's (src/adapters/egress: no loopback,
 * private, link-local, ... address unless HOOKLINE_EGRESS_ALLOW lists it; redirects never followed), whatever
 * the App hands out, and its failure reasons never quote what the target answered. The `server` scope is
 * policed too under HOOKLINE_EGRESS_SCOPES=all.
 */
import { type ActionPorts } from "../../src/executors/index.js";
import {
  createEgressPolicy,
  createFetchHttpPort,
  createMailPort,
  createPolicedHttpPort,
  createPolicedMailPort,
  createSlackPort,
  gitHubPortFrom,
  type Resolver,
} from "../../src/adapters/index.js";
import { tokenOctokit } from "../app/index.js";
import type { EgressSettings, ServerConfig } from "./config.js";
import type { ScopeConfig, ScopeRuntime } from "./work/types.js";

export type ScopePorts = Omit<ActionPorts, "threads" | "pauses" | "clock">;
export type Env = Readonly<Record<string, string | undefined>>;

export const ORG_ENV_PREFIX = "HOOKLINE_ORG_";
const REPO_SCOPE = /^repo:([^/\s]{1,100})\/[^/\s]{1,100}$/;
const ORG_KEY = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `acme-corp` → `ACME_CORP`; null when the key could be confused with another owner's (`__` inside, `_` at
 * either end: `HOOKLINE_ORG_A__B__X` must not be readable both as owner A's `B__X` and owner A--B's `X`).
 */
export function orgEnvKey(owner: string): string | null {
  const key = owner.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return ORG_KEY.test(key) ? key : null;
}

/** The environment a `repo:<owner>/<name>` scope's actions see; `{}` for anything that is not a repository scope. */
export function repoScopeEnv(env: Env, scope: string, allow: readonly string[]): Record<string, string> {
  const m = REPO_SCOPE.exec(scope);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!m) return out;
  for (const name of allow) {
    const v = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof v === "string") out[name] = v;
  }
  const key = orgEnvKey(m[1]!);
  if (key === null) return out;
  const prefix = `${ORG_ENV_PREFIX}${key}__`;
  for (const [name, v] of Object.entries(env)) {
    if (typeof v !== "string" || !name.startsWith(prefix)) continue;
    const exposed = name.slice(prefix.length);
    if (ENV_NAME.test(exposed)) out[exposed] = v; // the owner's own value wins over an allowed global of the same name
  }
  return out;
}

/** How many org variables the environment holds (for the start log: names are not logged, values never). */
export function orgEnvCount(env: Env): number {
  return Object.keys(env).filter((n) => n.startsWith(ORG_ENV_PREFIX) && n.includes("__", ORG_ENV_PREFIX.length) && env[n] !== undefined)
    .length;
}

/**
 * Ports for the server's own automations: HOOKLINE_GITHUB_TOKEN against GITHUB_API_URL (Probot's Octokit, as the
 * App's), the process's one Slack WebClient (SLACK_API_URL; repository scopes share it), SMTP, fetch.
 */
export function serverPorts(config: ServerConfig): ScopePorts & { slack: NonNullable<ScopePorts["slack"]> } {
  return {
    http: createFetchHttpPort(),
    ...(config.githubToken ? { github: gitHubPortFrom(tokenOctokit(config.githubToken, config.githubApiUrl), Date.now) } : {}),
    slack: createSlackPort(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    mail: createMailPort(),
    env: config.env,
    // an action without `repository:` and no HOOKLINE_GITHUB_REPOSITORY gets GitHub's 404, explained by the executor
    repository: config.githubRepository ?? { owner: "HOOKLINE_GITHUB_REPOSITORY", repo: "unset" },
  };
}

export interface ScopeRuntimeOptions {
  server: ScopeConfig | null;
  serverPorts: ScopePorts;
  app: { runtime: ScopeRuntime } | null;
  /** the egress policy (default: nothing allowed, repository scopes policed); `resolve` for tests */
  egress?: Partial<EgressSettings> & { resolve?: Resolver };
  /** the server's environment, filtered for `repo:` scopes (default: the server ports' env) */
  env?: Env;
  /** HOOKLINE_REPO_ENV_ALLOW */
  repoEnvAllow?: readonly string[];
}

/**
 * The HTTP and mail ports under the egress policy: one set for repository scopes (answers never quoted in their
 * failure events) and one for the server's own scope when HOOKLINE_EGRESS_SCOPES=all (which keeps the excerpts).
 */
function policedPorts(egress: ScopeRuntimeOptions["egress"]) {
  const policy = createEgressPolicy({ allow: egress?.allow ?? [], ...(egress?.resolve ? { resolve: egress.resolve } : {}) });
  const http = createPolicedHttpPort({ policy });
  return {
    repository: { http, mail: createPolicedMailPort({ policy, quoteAnswers: false }), quoteAnswers: false },
    server: { http, mail: createPolicedMailPort({ policy }) },
  };
}

export function createScopeRuntime(opts: ScopeRuntimeOptions): ScopeRuntime {
  const env = opts.env ?? opts.serverPorts.env;
  const allow = opts.repoEnvAllow ?? [];
  // one Slack client per process: the server's, also for repository scopes
  const slack = opts.serverPorts.slack;
  const policed = policedPorts(opts.egress);
  const serverPorts: ScopePorts = opts.egress?.scopes === "all" ? { ...opts.serverPorts, ...policed.server } : opts.serverPorts;
  return {
    async configOf(scope) {
      if (scope === "server") return opts.server;
      if (scope.startsWith("repo:") && opts.app) return opts.app.runtime.configOf(scope);
      return null;
    },
    async portsOf(scope) {
      if (scope === "server") return serverPorts;
      if (scope.startsWith("repo:") && opts.app) {
        const ports = await opts.app.runtime.portsOf(scope);
        // whatever the App hands out, a repository sees only its filtered env and reaches the network through the policy
        return { ...ports, ...(slack ? { slack } : {}), ...policed.repository, env: repoScopeEnv(env, scope, allow) };
      }
      // a scope the server does not know (no App, or not server/repo:): nothing secret, nothing unpoliced
      return { ...opts.serverPorts, ...policed.repository, env: repoScopeEnv(env, scope, allow) };
    },
  };
}
