/**
 * The real run: ports built from the inputs and the runner's environment, invocations executed with
 * `runInvocation`, their `hookline.action.*` events (and emit-event's event) fed to the next round, state kept in
 * `refs/hookline/state` through `createGitRefStore` + `updateState`: `full` when `needsState(config)`, else
 * `lazy` (no state call unless an action executes).
 */
import type { AutomationsConfig } from "../automations/types.js";
import { actionEvents, runInvocation, SLACK_TOKEN_DEPRECATED_ENV, SLACK_TOKEN_FALLBACK_ENV, type ActionPorts } from "../executors/index.js";
import { createFetchHttpPort } from "../adapters/fetch-http-port.js";
import { gitHubPortFrom } from "../adapters/github-port.js";
import { createMailPort } from "../adapters/mail-port.js";
import { stateUse, type StateStore, type UpdateOptions } from "../store/index.js";
import { createGitRefStore, type OctokitLike } from "../adapters/git-ref-store.js";
import type { SlackPort } from "../executors/types.js";
import type { Execute, EngineHost } from "./evaluation.js";
import type { EvaluateWiring } from "./evaluate-mode.js";
import type { ActionIO } from "./io.js";
import { fullStateHost, lazyStateHost } from "./state-host.js";

export interface WiringOptions {
  owner: string;
  repo: string;
  /** the Action's one GitHub client (github-client.ts): state ref and executors */
  octokit: OctokitLike;
  /** false: the github-token input is empty (GitHub actions say what to pass) */
  hasGitHubToken: boolean;
  /** the Action's one Slack client (slack-client.ts) */
  slack: SlackPort;
  slackToken: string;
  /** GITHUB_RUN_ATTEMPT (1 when absent) */
  attempt: number;
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** tests: another store */
  store?: StateStore;
  update?: UpdateOptions;
}

/**
 * The environment the executors read notifiers' `*_env` secrets from: each value read is masked in the log
 * (`core.setSecret`) before anything can print it.
 */
export function maskedEnv(
  env: Readonly<Record<string, string | undefined>>,
  mask: (secret: string) => void,
): Record<string, string | undefined> {
  return new Proxy(
    { ...env },
    {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (typeof value === "string" && value.trim() !== "") mask(value.trim());
        return value;
      },
    },
  );
}

export function realWiring(o: WiringOptions): EvaluateWiring {
  return {
    wire(config: AutomationsConfig, io: ActionIO): { execute: Execute; host: EngineHost } {
      const warn = (m: string) => io.warning(m, { title: "hookline state" });
      const store = o.store ?? createGitRefStore({ octokit: o.octokit, owner: o.owner, repo: o.repo, warn, message: "hookline state" });
      const use = stateUse(config);
      io.info(
        use === "full"
          ? "hookline: state in refs/hookline/state (counting, windows, Slack threads or pauses)"
          : "hookline: stateless automations: no state calls unless an action runs",
      );
      const hostOptions = { config, store, now: o.now, attempt: o.attempt, warn, ...(o.update ? { update: o.update } : {}) };
      const full = use === "full" ? fullStateHost(hostOptions) : undefined;
      const host = full ?? lazyStateHost(hostOptions);
      if (o.env[SLACK_TOKEN_DEPRECATED_ENV]?.trim())
        io.warning(
          `${SLACK_TOKEN_DEPRECATED_ENV} is deprecated: pass the bot token as the slack-token input (or name the variable ${SLACK_TOKEN_FALLBACK_ENV})`,
          { title: "hookline" },
        );
      const env = maskedEnv({ ...o.env, ...(o.slackToken ? { [SLACK_TOKEN_FALLBACK_ENV]: o.slackToken } : {}) }, (s) => io.mask(s));
      const ports: ActionPorts = {
        ...(o.hasGitHubToken ? { github: gitHubPortFrom(o.octokit, o.now) } : {}),
        slack: o.slack,
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
          io.warning(`${inv.automation.name}[${inv.index}] ${inv.action.type} failed: ${outcome.code}: ${outcome.reason}`, {
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
