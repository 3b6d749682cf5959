/**
 * `mode: notify`: which job is "this job", and what state it is in, from the run's jobs
 * (`GET /repos/{o}/{r}/actions/runs/{run_id}/jobs`) and, when passed, the runner's own verdict `job.status`.
 * Pure: the rules are documented in docs/action.md ("The notify step").
 */
import type { StateName } from "../automations/types.js";
import { parseIsoTime } from "../events/index.js";
import { runState } from "../github/state.js";
import { ActionInputError, quote } from "./errors.js";

export interface ApiStep {
  name?: string;
  status?: string;
  conclusion?: string | null;
  number?: number;
}
export interface ApiJob {
  id?: number;
  name?: string;
  status?: string;
  conclusion?: string | null;
  started_at?: string | null;
  runner_name?: string | null;
  html_url?: string;
  steps?: ApiStep[];
}

export interface JobIdentity {
  /** GITHUB_JOB: the job's key in the workflow (its display name may differ: `name:`, matrix suffixes) */
  jobKey: string;
  /** RUNNER_NAME: the runner executing this step, the most precise match */
  runnerName: string;
}

/** This job: the in-progress job on this runner; else the in-progress job named GITHUB_JOB (or `GITHUB_JOB (matrix…)`); else the only one in progress. */
export function findCurrentJob(jobs: ApiJob[], who: JobIdentity): ApiJob {
  const running = jobs.filter((j) => j.status === "in_progress");
  const byRunner = who.runnerName ? running.filter((j) => j.runner_name === who.runnerName) : [];
  if (byRunner.length === 1) return byRunner[0]!;
  const byName = who.jobKey ? running.filter((j) => j.name === who.jobKey || j.name?.startsWith(`${who.jobKey} (`)) : [];
  if (byName.length === 1) return byName[0]!;
  if (running.length === 1) return running[0]!;
  throw new ActionInputError(
    "HOOKLINE_ACTION_NOTIFY_JOB",
    `cannot tell which of ${running.length} in-progress jobs runs this step (GITHUB_JOB ${quote(who.jobKey)}, RUNNER_NAME ${quote(who.runnerName)}); give the job a \`name:\` equal to its key, or run the notify step on a runner of its own`,
  );
}

export const JOB_STATUSES = ["success", "failure", "cancelled"] as const;

/** What notify can report of the job its step runs in (the job has not ended: it runs this step). */
export const NOTIFY_STATES = ["Completed", "Failed", "Cancelled", "TimedOut"] as const satisfies readonly StateName[];
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobState {
  state: StateName;
  /** names of the failed (or cancelled) steps, for the message */
  steps: string[];
  why: string;
}

/**
 * The rules, in order:
 * 1. a job the API already reports as completed: its conclusion (timed_out → TimedOut, …);
 * 2. the runner's verdict `job-status` (`${{ job.status }}`) when passed: success → Completed (a failed step with
 *    `continue-on-error: true` shows as failed in the API but does not fail the job), failure → Failed,
 *    cancelled → Cancelled;
 * 3. else the finished steps before this one: any cancelled → Cancelled, else any failed → Failed (a
 *    continue-on-error step counts here: pass `job-status` to avoid that), skipped steps are ignored, else Completed;
 * 4. Cancelled after the job ran for `timeout-minutes` or longer → TimedOut (GitHub cancels a job at its timeout).
 */
export function deriveJobState(job: ApiJob, jobStatus: JobStatus | null, now: number, timeoutMinutes: number): JobState {
  const steps = (job.steps ?? []).filter((s) => s.status === "completed");
  const named = (c: string) => steps.filter((s) => s.conclusion === c).map((s) => s.name ?? `step ${s.number ?? "?"}`);
  const concluded = job.status === "completed" && job.conclusion ? runState("workflow_job", "completed", job.conclusion) : undefined;
  if (concluded !== undefined && (NOTIFY_STATES as readonly string[]).includes(concluded)) {
    return { state: concluded, steps: named("failure"), why: `the job's conclusion is ${job.conclusion}` };
  }
  let state: StateName;
  let why: string;
  if (jobStatus !== null) {
    state = jobStatus === "success" ? "Completed" : jobStatus === "failure" ? "Failed" : "Cancelled";
    why = `job.status is ${jobStatus}`;
  } else if (named("cancelled").length) {
    state = "Cancelled";
    why = "a step was cancelled";
  } else if (named("failure").length) {
    state = "Failed";
    why = "a step failed";
  } else {
    state = "Completed";
    why = "no step failed";
  }
  const started = job.started_at ? parseIsoTime(job.started_at) : NaN; // the one time reader: no zone-less local times
  if (state === "Cancelled" && Number.isFinite(started) && now - started >= timeoutMinutes * 60_000) {
    state = "TimedOut";
    why += ` after ${timeoutMinutes} minutes (timeout-minutes)`;
  }
  const stepNames = state === "Completed" ? [] : named(state === "Failed" ? "failure" : "cancelled");
  return { state, steps: stepNames, why };
}
