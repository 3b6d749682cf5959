/**
 * The Slack bot inside the server (bots/slack, HTTP mode at POST /slack/events), composed from the server's
 * parts: its store, `slack.yaml` from the configuration folder (absent: reads only; invalid: exit 2 like the
 * other configuration files), pause targets that also write the state ref of repositories using the Action
 * (HOOKLINE_ACTION_REPOSITORIES, or detected) with the GitHub App's installation token, and the buttons'
 * rerun/cancel run by src/executors `runInvocation` with the scope's ports (`runtime.portsOf(scope)`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { runInvocation } from "../../src/executors/index.js";
import type { OctokitLike } from "../../src/adapters/git-ref-store.js";
import type { ServerStore } from "../../src/store/server-types.js";
import { createPauseTargets, createSlackBot, loadSlackPolicy, SlackPolicyError, type SlackPolicy } from "../slack/index.js";
import type { SlackSettings } from "./config.js";
import { ServerConfigError } from "./errors.js";
import type { Logger, ScopeRuntime } from "./work/types.js";

export interface SlackHandle {
  requestListener(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Reads `slack.yaml` (before anything opens): a bad file is a ServerConfigError with its `file:line:col` problems. */
export function readSlackPolicy(configDir: string): SlackPolicy {
  try {
    return loadSlackPolicy(configDir);
  } catch (err) {
    if (err instanceof SlackPolicyError) throw new ServerConfigError(err.code, err.message, err.problems);
    throw new ServerConfigError(
      "HOOKLINE_CONFIG_UNREADABLE",
      `${configDir}/slack.yaml cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): check its permissions`,
    );
  }
}

/** What the start log says about Slack. */
export function slackFeatures(o: {
  slack: SlackSettings | null;
  policy: SlackPolicy | null;
  githubApp: boolean;
  actionRepositories: readonly string[];
}): { msg: string; obj: object } {
  if (!o.slack) return { msg: "Slack bot off: /slack/events waits for SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN", obj: { slack: "off" } };
  const rules = o.policy?.rules.length ?? 0;
  const changes = o.policy?.file
    ? `pause/resume/rerun/cancel as ${rules} rule${rules === 1 ? "" : "s"} of ${o.policy.file} allow`
    : "reads only (list, status, history): no slack.yaml, so nobody may change automations from Slack";
  const refs = o.githubApp
    ? "the state ref of repositories using the Action follows pauses (GitHub App token)"
    : "repository state refs are not written (no GitHub App)";
  return {
    msg: `Slack bot on at POST /slack/events: /hookline commands and notification buttons; ${changes}; ${refs}`,
    obj: { slack: "on", policy: o.policy?.file ?? null, rules, actionRepositories: o.actionRepositories.length },
  };
}

export function createServerSlackBot(o: {
  settings: SlackSettings;
  slackApiUrl: string | null;
  policy: SlackPolicy;
  store: ServerStore;
  runtime: ScopeRuntime;
  actionRepositories: readonly string[];
  gitHubFor: ((fullName: string) => Promise<OctokitLike | null>) | null;
  log: Logger;
  now(): number;
}): SlackHandle {
  const clock = { now: () => o.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), random: Math.random };
  return createSlackBot({
    signingSecret: o.settings.signingSecret,
    token: o.settings.botToken,
    ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}),
    store: o.store,
    policy: o.policy,
    targets: createPauseTargets({
      store: o.store,
      actionRepositories: o.actionRepositories,
      ...(o.gitHubFor ? { gitHubFor: o.gitHubFor } : {}),
    }),
    executeAction: async (scope, invocation) => runInvocation(invocation, {}, { ...(await o.runtime.portsOf(scope)), scope, clock }),
    configOf: (scope) => o.runtime.configOf(scope),
    log: o.log,
    clock,
  });
}
