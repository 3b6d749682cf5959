/**
 * The Action: read inputs and the runner's environment, run one mode, write outputs and the summary. Failures
 * a user can fix end the step with `core.setFailed("<CODE>: message")`; nothing here throws past `run`.
 */
import { isoOf } from "../events/index.js";
import { docsOf } from "../errors/index.js";
import { buildEmittedEvent } from "./emit-event.js";
import { ActionInputError } from "./errors.js";
import { evaluateMode, runnerEvents, type EvaluateWiring } from "./evaluate-mode.js";
import { readInputs, type ActionInputs } from "./inputs.js";
import type { ActionIO } from "./io.js";
import { actionOctokit } from "./github-client.js";
import { lazySlackPort } from "./slack-client.js";
import { readRunnerEnv, type RunnerEnv } from "./runner-env.js";
import { validateMode } from "./validate-mode.js";
import { notifyMode } from "./notify-mode.js";

export interface MainDeps {
  env: Readonly<Record<string, string | undefined>>;
  getInput: (name: string) => string;
  io: ActionIO;
  /** reads the runner's event file (an absolute path outside the workspace) */
  readEventFile: (path: string) => string;
  setFailed: (message: string) => void;
  now: () => number;
  /** tests and other runtimes: their own wiring; default the real one (wiring.ts) */
  wiring?: (inputs: ActionInputs, runner: RunnerEnv) => EvaluateWiring;
}

/** The delivery key of this run's event: the run id only, so a re-run (new GITHUB_RUN_ATTEMPT) is the same event. */
export function runKey(runner: RunnerEnv): string {
  return `${runner.repository}/actions/runs/${runner.runId}`;
}

export async function run(deps: MainDeps): Promise<void> {
  try {
    const inputs = readInputs(deps.getInput);
    const runner = readRunnerEnv(deps.env);
    await runMode(inputs, runner, deps);
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    if (err instanceof ActionInputError) deps.setFailed(failure(err.code, err.message));
    // the state store's and the engine's user-fixable errors (HOOKLINE_STATE_*, ...) carry their own code
    else if (err instanceof Error && typeof code === "string" && code.startsWith("HOOKLINE_")) deps.setFailed(failure(code, err.message));
    else
      deps.setFailed(`HOOKLINE_ACTION_INTERNAL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)} (please report this)`);
  }
}

/** `<CODE>: message (see docs/errors.md#<code>)`: the link when the code is registered */
function failure(code: string, message: string): string {
  const docs = docsOf(code);
  return `${code}: ${message}${docs === undefined ? "" : ` (see ${docs})`}`;
}

async function runMode(inputs: ActionInputs, runner: RunnerEnv, deps: MainDeps): Promise<void> {
  const { io } = deps;
  if (inputs.mode === "validate") {
    const result = await validateMode(io, inputs.automations, inputs.strict);
    if (result.errors)
      deps.setFailed(
        `HOOKLINE_ACTION_AUTOMATIONS_INVALID: ${inputs.automations} has ${result.errors} error${result.errors === 1 ? "" : "s"} (see the annotations)`,
      );
    return;
  }
  const now = deps.now();
  const nowIso = isoOf(now);
  // every secret the inputs hold is masked in the log from here on
  for (const secret of [inputs.githubToken, inputs.slackToken, inputs.notify.webhookUrl]) if (secret) io.mask(secret);
  const octokit = actionOctokit({
    token: inputs.githubToken,
    apiUrl: runner.apiUrl,
    warn: (m) => io.info(`hookline: GitHub client: ${m}`),
  });
  const api = { apiUrl: runner.apiUrl, owner: runner.owner, repo: runner.repo, octokit };
  const slack = lazySlackPort(inputs.slackApiUrl, (m) => io.info(`hookline: Slack client: ${m}`));
  if (inputs.mode === "notify") {
    await notifyMode(io, inputs, api, {
      runId: runner.runId,
      attempt: runner.attempt,
      jobKey: runner.job,
      runnerName: runner.runnerName,
      workflow: runner.workflow,
      refName: runner.refName,
      serverUrl: runner.serverUrl,
      now,
      clock: { now: deps.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      slack,
      http: async () => (await import("../adapters/fetch-http-port.js")).createFetchHttpPort(),
    });
    return;
  }
  let events;
  let received: string;
  let advanceTo: number | null = null;
  if (inputs.mode === "emit") {
    events = [buildEmittedEvent(inputs.emit, runKey(runner), nowIso)];
    received = `emitted ${events[0]!.event}`;
  } else {
    if (!runner.eventName || !runner.eventPath) {
      throw new ActionInputError(
        "HOOKLINE_ACTION_RUNNER_ENV",
        "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set: run `mode: evaluate` in a workflow triggered by repository events",
      );
    }
    const translated = runnerEvents(runner.eventName, deps.readEventFile(runner.eventPath), runKey(runner), nowIso);
    if (translated.skipped) io.info(`hookline: ${runner.eventName} is not evaluated: ${translated.skipped}`);
    events = translated.events;
    received = `${runner.eventName} (run ${runner.runId})`;
    if (runner.eventName === "schedule") advanceTo = now;
  }
  const wiring = deps.wiring
    ? deps.wiring(inputs, runner)
    : // loaded here, not at start: validate and notify never need the executors
      (await import(/* webpackMode: "eager" */ "./wiring.js")).realWiring({
        owner: runner.owner,
        repo: runner.repo,
        octokit,
        hasGitHubToken: inputs.githubToken !== "",
        slack,
        slackToken: inputs.slackToken,
        attempt: runner.attempt,
        env: deps.env,
        now: deps.now,
      });
  await evaluateMode({ io, automationsPath: inputs.automations, api, events, advanceTo, dryRun: inputs.dryRun, wiring, received });
}
