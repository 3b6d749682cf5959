/**
 * The real run: ports built from the inputs and the runner's environment, invocations executed with
 * `runInvocation`, their `hookline.action.*` events (and emit-event's event) fed to the next round, state kept in
 * `refs/hookline/state` through `createGitRefStore` + `updateState`: `full` when `needsState(config)`, else
 * `lazy` (no state call unless an action executes).
 */
import type { AutomationsConfig } from "../automations/types.js";
import { actionEvents, runInvocation, SLACK_TOKEN_FALLBACK_ENV, type ActionPorts } from "../executors/index.js";
import { createFetchHttpPort } from "../adapters/fetch-http-port.js";
import { createGitHubPort, createGitHubRest } from "../adapters/github-port.js";
import { createMailPort } from "../adapters/mail-port.js";
import { createSlackPort } from "../adapters/slack-port.js";
import { stateUse, type StateStore, type UpdateOptions } from "../store/index.js";
import { createGitRefStore } from "../adapters/git-ref-store.js";
import type { Execute, EngineHost } from "./evaluation.js";
import type { EvaluateWiring } from "./evaluate-mode.js";
import { logLine, type ActionIO } from "./io.js";
import { fullStateHost, lazyStateHost } from "./state-host.js";

export interface WiringOptions {
  apiUrl: string;
  owner: string;
  repo: string;
  githubToken: string;
  slackToken: string;
  slackApiUrl: string;
  /** GITHUB_RUN_ATTEMPT (1 when absent) */
  attempt: number;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** tests: another store */
  store?: StateStore;
  update?: UpdateOptions;
}

export function createStore(
  o: Pick<WiringOptions, "apiUrl" | "owner" | "repo" | "githubToken" | "env">,
  warn: (m: string) => void,
): StateStore {
  const octokit = createGitHubRest({ token: o.githubToken, baseUrl: o.apiUrl, env: o.env });
  return createGitRefStore({ octokit, owner: o.owner, repo: o.repo, warn, message: "hookline state" });
}

export function realWiring(o: WiringOptions): EvaluateWiring {
  return {
    wire(config: AutomationsConfig, io: ActionIO): { execute: Execute; host: EngineHost } {
      const warn = (m: string) => io.warning(m, { title: "hookline state" });
      const store = o.store ?? createStore(o, warn);
      const use = stateUse(config);
      io.info(
        use === "full"
          ? "hookline: state in refs/hookline/state (counting, windows, Slack threads or pauses)"
          : "hookline: stateless automations: no state calls unless an action runs",
      );
      const hostOptions = { config, store, now: o.now, attempt: o.attempt, warn, ...(o.update ? { update: o.update } : {}) };
      const full = use === "full" ? fullStateHost(hostOptions) : undefined;
      const host = full ?? lazyStateHost(hostOptions);
      const env: Record<string, string | undefined> = { ...o.env };
      if (o.slackToken) env[SLACK_TOKEN_FALLBACK_ENV] = o.slackToken;
      const ports: ActionPorts = {
        ...(o.githubToken ? { github: createGitHubPort({ token: o.githubToken, baseUrl: o.apiUrl, now: o.now, env: o.env }) } : {}),
        slack: createSlackPort({ slackApiUrl: o.slackApiUrl }),
        http: createFetchHttpPort(),
        mail: createMailPort(),
        ...(full ? { threads: full.threads, pauses: full.pauses } : {}),
        env,
        clock: { now: o.now, sleep: o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))) },
        repository: { owner: o.owner, repo: o.repo },
      };
      const execute: Execute = async (inv) => {
        const outcome = await runInvocation(inv, config.notifiers, ports);
        const events = [...actionEvents(inv, outcome)];
        if (outcome.status === "failed") {
          io.warning(logLine(`${inv.automation.name}[${inv.index}] ${inv.action.type} failed: ${outcome.code}: ${outcome.reason}`), {
            title: "hookline action failed",
          });
          return { status: "failed", code: outcome.code, reason: outcome.reason, events };
        }
        if (outcome.emitted) events.push(outcome.emitted);
        return { status: "executed", ...(outcome.result !== undefined ? { result: outcome.result } : {}), events };
      };
      return { execute, host };
    },
  };
}
