/**
 * The PR check `hookline / automations`: on a pull request that changes `.github/automations.yaml` or a
 * workflow, the Action's validate logic (loadAutomations + checkWorkflows) on the files at the head commit,
 * reported as a check run with annotations (batches of 50: create, then update calls that append).
 */
import { loadAutomations, type Problem } from "../../src/automations/index.js";
import { checkWorkflows } from "../../src/automations/workflow-checks.js";
import type { AutomationsConfig } from "../../src/automations/types.js";
import { WhatIfError } from "../../src/adapters/what-if/what-if-runner.js";
import { BACKTEST_DAYS, batches, checkOutput, noFileOutput, withBacktest, type Backtest, type CheckOutput } from "./check-output.js";
import { readFile } from "./contents.js";
import type { GitHubClient } from "./octokit.js";
import { AUTOMATIONS_PATH, CHECK_NAME, type GitHubAppOptions } from "./types.js";

/** GitHub lists at most 3000 files of a pull request (30 pages of 100). */
const MAX_FILE_PAGES = 30;
/** workflow files read for one check, at most */
const MAX_WORKFLOW_READS = 50;

export function isRelevantPath(path: unknown): boolean {
  return typeof path === "string" && (path === AUTOMATIONS_PATH || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path));
}

/** Does the pull request change the automations file or a workflow (also as a rename's old name)? */
export async function touchesAutomations(client: GitHubClient, fullName: string, pullNumber: number): Promise<boolean> {
  const [owner, repo] = fullName.split("/") as [string, string];
  for (let page = 1; page <= MAX_FILE_PAGES; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100,
      page,
    });
    const files = Array.isArray(data) ? (data as { filename?: unknown; previous_filename?: unknown }[]) : [];
    if (files.some((f) => isRelevantPath(f?.filename) || isRelevantPath(f?.previous_filename))) return true;
    if (files.length < 100) return false;
  }
  return false;
}

/** The check's output for the files at `sha`. */
export async function validateAt(client: GitHubClient, fullName: string, sha: string): Promise<CheckOutput> {
  return (await checkAt(client, fullName, sha)).output;
}

/** The check's output for the files at `sha`, and the automations when they load (the backtest replays them). */
async function checkAt(
  client: GitHubClient,
  fullName: string,
  sha: string,
): Promise<{ output: CheckOutput; config: AutomationsConfig | null }> {
  const file = await readFile(client, fullName, AUTOMATIONS_PATH, sha);
  if (!file) return { output: noFileOutput(AUTOMATIONS_PATH), config: null };
  if (file.text === null) {
    const tooLarge: Problem = {
      severity: "error",
      code: "HOOKLINE_AUTOMATIONS_TOO_LARGE",
      file: AUTOMATIONS_PATH,
      line: 1,
      col: 1,
      message: `${AUTOMATIONS_PATH} is ${file.size} bytes, larger than the 1 MiB an automations file may be`,
      hint: "split or shorten the file",
    };
    return { output: checkOutput(AUTOMATIONS_PATH, [tooLarge], null), config: null };
  }
  const loaded = loadAutomations(file.text, AUTOMATIONS_PATH);
  const problems = [...loaded.problems];
  if (loaded.config) {
    // checkWorkflows reads synchronously: a first pass learns which workflow files it wants, then we fetch them
    const wanted = new Set<string>();
    checkWorkflows(loaded.config, AUTOMATIONS_PATH, (name) => void wanted.add(name));
    const texts = new Map<string, string | undefined>();
    for (const name of [...wanted].slice(0, MAX_WORKFLOW_READS)) {
      const wf = await readFile(client, fullName, `.github/workflows/${name}`, sha);
      texts.set(name, wf ? (wf.text ?? "") : undefined);
    }
    problems.push(...checkWorkflows(loaded.config, AUTOMATIONS_PATH, (name) => texts.get(name)));
  }
  return { output: checkOutput(AUTOMATIONS_PATH, problems, loaded.config?.automations ?? null), config: loaded.config };
}

/** Creates the completed check run, then appends the remaining annotations 50 at a time. Returns its id. */
export async function publishCheck(
  client: GitHubClient,
  fullName: string,
  headSha: string,
  output: CheckOutput,
  now: number,
): Promise<number> {
  const [owner, repo] = fullName.split("/") as [string, string];
  const [first = [], ...rest] = batches(output.annotations);
  const base = { title: output.title, summary: output.summary };
  const { data } = await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner,
    repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion: output.conclusion,
    completed_at: new Date(now).toISOString(),
    output: { ...base, annotations: first },
  });
  const id = (data as { id?: unknown }).id;
  if (typeof id !== "number") throw new Error("GitHub created the check run without an id");
  for (const batch of rest) {
    await client.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner,
      repo,
      check_run_id: id,
      output: { ...base, annotations: batch },
    });
  }
  return id;
}

/** What a delivery asks of the PR check, if anything. */
export type CheckRequest = { fullName: string; installationId: number; headSha: string; pullNumber: number | null };

export function checkRequestOf(name: string, payload: unknown): CheckRequest | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untrusted payload: every value read is type-checked below
  const p = payload as Record<string, any> | null;
  const fullName = p?.repository?.full_name;
  const installationId = p?.installation?.id;
  if (typeof fullName !== "string" || typeof installationId !== "number") return null;
  const sha = (v: unknown) => (typeof v === "string" && /^[0-9a-f]{40}$/i.test(v) ? v : null);
  if (name === "pull_request" && ["opened", "synchronize", "reopened"].includes(p?.action)) {
    const headSha = sha(p?.pull_request?.head?.sha);
    const number = p?.pull_request?.number;
    return headSha && typeof number === "number" ? { fullName, installationId, headSha, pullNumber: number } : null;
  }
  if (name === "check_suite" && p?.action === "rerequested") {
    const headSha = sha(p?.check_suite?.head_sha);
    return headSha ? { fullName, installationId, headSha, pullNumber: null } : null;
  }
  if (name === "check_run" && p?.action === "rerequested" && p?.check_run?.name === CHECK_NAME) {
    const headSha = sha(p?.check_run?.head_sha);
    return headSha ? { fullName, installationId, headSha, pullNumber: null } : null;
  }
  return null;
}

/** What the backtest needs besides the replays: the automations the repository runs now (default branch). */
export interface BacktestDeps {
  replays: NonNullable<GitHubAppOptions["backtest"]>;
  live(fullName: string): Promise<AutomationsConfig | null>;
}

/** The proposed automations replayed over the repository's last BACKTEST_DAYS days; a failure is a skipped backtest. */
export async function backtestOf(deps: BacktestDeps, fullName: string, proposed: AutomationsConfig, nowMs: number): Promise<Backtest> {
  try {
    const live = await deps.live(fullName);
    const result = await deps.replays.run({
      scope: `repo:${fullName}`,
      sinceMs: nowMs - BACKTEST_DAYS * 86_400_000,
      untilMs: nowMs,
      live,
      proposed,
      routes: deps.replays.routes,
    });
    return { kind: "done", result, nowMs };
  } catch (err) {
    if (err instanceof WhatIfError) return { kind: "skipped", reason: `${err.code}: ${err.message}` };
    throw err;
  }
}

/** Runs the check for a request; false when the pull request does not touch automations or workflows. */
export async function runCheck(client: GitHubClient, req: CheckRequest, now: () => number, backtest?: BacktestDeps): Promise<boolean> {
  if (req.pullNumber !== null && !(await touchesAutomations(client, req.fullName, req.pullNumber))) return false;
  const checked = await checkAt(client, req.fullName, req.headSha);
  // the backtest adds to the summary only: the conclusion stays validation's
  const output =
    backtest && checked.config
      ? withBacktest(checked.output, await backtestOf(backtest, req.fullName, checked.config, now()))
      : checked.output;
  await publishCheck(client, req.fullName, req.headSha, output, now());
  return true;
}
