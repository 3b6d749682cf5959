/**
 * The ScopeRuntime the workers use: the `server` scope from the server's own automations.yaml and ports
 * from the environment; `repo:` scopes delegated to the GitHub App (null config when it is not configured).
 */
import { createFetchHttpPort, createGitHubPort, createMailPort, createSlackPort, type ActionPorts } from "../../src/actions/index.js";
import type { ServerConfig } from "./config.js";
import type { ScopeConfig, ScopeRuntime } from "./work/types.js";

export type ScopePorts = Omit<ActionPorts, "threads" | "pauses" | "clock">;

/** Ports for the server's own automations: HOOKLINE_GITHUB_TOKEN against GITHUB_API_URL, Slack, SMTP, fetch. */
export function serverPorts(config: ServerConfig): ScopePorts {
  return {
    http: createFetchHttpPort(),
    ...(config.githubToken ? { github: createGitHubPort({ token: config.githubToken, baseUrl: config.githubApiUrl }) } : {}),
    slack: createSlackPort(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    mail: createMailPort(),
    env: config.env,
    // an action without `repository:` and no HOOKLINE_GITHUB_REPOSITORY gets GitHub's 404, explained by the executor
    repository: config.githubRepository ?? { owner: "HOOKLINE_GITHUB_REPOSITORY", repo: "unset" },
  };
}

export function createScopeRuntime(opts: { server: ScopeConfig | null; serverPorts: ScopePorts; app: { runtime: ScopeRuntime } | null }): ScopeRuntime {
  return {
    async configOf(scope) {
      if (scope === "server") return opts.server;
      if (scope.startsWith("repo:") && opts.app) return opts.app.runtime.configOf(scope);
      return null;
    },
    async portsOf(scope) {
      if (scope.startsWith("repo:") && opts.app) return opts.app.runtime.portsOf(scope);
      return opts.serverPorts;
    },
  };
}
