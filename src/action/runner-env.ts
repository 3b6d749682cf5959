/**
 * The runner's environment, read once by the entry (src/action/index.ts): nothing else in the Action reads
 * `process.env`. See https://docs.github.com/actions/reference/variables-reference.
 */
import { ActionInputError, quote } from "./errors.js";

export interface RunnerEnv {
  eventName: string;
  eventPath: string;
  /** owner/name */
  repository: string;
  owner: string;
  repo: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  runId: string;
  /** GITHUB_RUN_ATTEMPT, 1 when absent */
  attempt: number;
  /** GITHUB_JOB, RUNNER_NAME, GITHUB_WORKFLOW, GITHUB_REF_NAME ("" when absent) */
  job: string;
  runnerName: string;
  workflow: string;
  refName: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string, what: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw new ActionInputError(
      "HOOKLINE_ACTION_RUNNER_ENV",
      `${name} is not set: ${what}. Run hookline as a step of a GitHub Actions job.`,
    );
  }
  return value.trim();
}

export function readRunnerEnv(env: Env): RunnerEnv {
  const repository = required(env, "GITHUB_REPOSITORY", "the runner names the repository in it (owner/name)");
  const [owner, repo, extra] = repository.split("/");
  if (!owner || !repo || extra !== undefined) {
    throw new ActionInputError("HOOKLINE_ACTION_RUNNER_ENV", `GITHUB_REPOSITORY must be owner/name, got ${quote(repository)}`);
  }
  const runId = required(env, "GITHUB_RUN_ID", "the run id keys the events of this run");
  if (!/^\d{1,20}$/.test(runId))
    throw new ActionInputError("HOOKLINE_ACTION_RUNNER_ENV", `GITHUB_RUN_ID must be a number, got ${quote(runId)}`);
  return {
    eventName: env.GITHUB_EVENT_NAME?.trim() ?? "",
    eventPath: env.GITHUB_EVENT_PATH?.trim() ?? "",
    repository,
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, ""),
    serverUrl: (env.GITHUB_SERVER_URL?.trim() || "https://github.com").replace(/\/+$/, ""),
    workspace: required(env, "GITHUB_WORKSPACE", "hookline reads the automations file from the checked-out workspace"),
    runId,
    attempt: /^\d{1,6}$/.test(env.GITHUB_RUN_ATTEMPT?.trim() ?? "") ? Math.max(1, Number(env.GITHUB_RUN_ATTEMPT!.trim())) : 1,
    job: env.GITHUB_JOB?.trim() ?? "",
    runnerName: env.RUNNER_NAME?.trim() ?? "",
    workflow: env.GITHUB_WORKFLOW?.trim() ?? "",
    refName: env.GITHUB_REF_NAME?.trim() ?? "",
  };
}
