/**
 * `mode: notify`: a last step (`if: always()`) posts this job's state to Slack, filtered by `only_states` /
 * `ignore_states` (state families: `Failed` also matches `TimedOut`), mentioning the `mention` users when the job
 * failed or timed out: Prefect 1's `slack_notifier` state handler. The state comes from the run's jobs through
 * the API (job-state.ts), the message from notify-message.ts. It posts through a bot token and a channel
 * (`chat.postMessage`) or an incoming webhook URL, with the executors' retry policy (capped Retry-After,
 * full-jitter backoff, a timeout per attempt): a 429 waits and posts once. A Slack failure that outlives the
 * retries is a warning annotation with the fix, or fails the step with `fail-on-error: true`. Notify keeps no
 * state: a re-run's job posts a new message that says "attempt N".
 */
import { ACTION_DEFAULTS } from "../automations/types.js";
import { ActionError } from "../executors/errors.js";
import { checkUrl, postJson } from "../executors/http-call.js";
import { withRetries } from "../executors/retry.js";
import type { ActionClock, HttpPort, SlackPort } from "../executors/types.js";
import { passesStateFilters } from "../github/state.js";
import { TemplateError } from "../templates/index.js";
import { ActionInputError } from "./errors.js";
import type { ActionInputs } from "./inputs.js";
import { htmlTable, paragraph, type ActionIO } from "./io.js";
import { deriveJobState, findCurrentJob, type ApiJob } from "./job-state.js";
import type { ApiTarget } from "./load-config.js";
import { messageBlocks, messageText, type NotifyFacts } from "./notify-message.js";

export interface NotifyContext {
  runId: string;
  attempt: number;
  jobKey: string;
  runnerName: string;
  workflow: string;
  refName: string;
  serverUrl: string;
  now: number;
  clock: ActionClock;
  /** the Action's Slack client (bot token), loaded on its first call */
  slack: SlackPort;
  /** plain HTTP for the incoming webhook, loaded when a message goes there */
  http(): Promise<HttpPort>;
}

async function listJobs(api: ApiTarget, runId: string): Promise<ApiJob[]> {
  let data: unknown;
  try {
    ({ data } = await api.octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
      owner: api.owner,
      repo: api.repo,
      run_id: runId,
      filter: "latest",
      per_page: 100,
      request: { signal: AbortSignal.timeout(30_000) },
    }));
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && (err as { response?: unknown }).response !== undefined) {
      const hint = status === 401 || status === 403 || status === 404 ? "; give the job `permissions: actions: read`" : "";
      throw new ActionInputError("HOOKLINE_ACTION_API", `listing the jobs of run ${runId} answered HTTP ${status}${hint}`);
    }
    throw new ActionInputError(
      "HOOKLINE_ACTION_API",
      `could not reach ${api.apiUrl} to list the jobs of run ${runId}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const jobs = (data as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(jobs))
    throw new ActionInputError("HOOKLINE_ACTION_API", `listing the jobs of run ${runId} did not answer {jobs: [...]}`);
  return jobs.filter((j): j is ApiJob => typeof j === "object" && j !== null);
}

/** Where the message goes: a bot token and a channel, else an incoming webhook; null when neither is set. */
function target(inputs: ActionInputs): "token" | "webhook" | null {
  if (inputs.slackToken !== "") return "token";
  return inputs.notify.webhookUrl !== "" ? "webhook" : null;
}

async function post(inputs: ActionInputs, ctx: NotifyContext, text: string): Promise<string> {
  const blocks = messageBlocks(text);
  const n = inputs.notify;
  const attempt =
    target(inputs) === "token"
      ? async (signal: AbortSignal) => {
          await ctx.slack.call("chat.postMessage", inputs.slackToken, { channel: n.channel, text, blocks, unfurl_links: false }, signal);
          return `posted to ${n.channel}`;
        }
      : async (signal: AbortSignal) => {
          const webhook = checkUrl(n.webhookUrl, "input `slack-webhook-url`");
          await postJson({ http: await ctx.http(), clock: ctx.clock }, webhook, { text, blocks }, "Slack incoming webhook", signal);
          return "posted to the incoming webhook";
        };
  const result = await withRetries(ACTION_DEFAULTS, ctx.clock, attempt);
  if (result.error) throw result.error;
  return result.value!;
}

export async function notifyMode(io: ActionIO, inputs: ActionInputs, api: ApiTarget, ctx: NotifyContext): Promise<void> {
  const n = inputs.notify;
  const via = target(inputs);
  if (!inputs.dryRun && via === null)
    throw new ActionInputError(
      "HOOKLINE_ACTION_INPUT",
      "mode `notify` needs `slack-token` (a bot token with chat:write) and `channel`, or `slack-webhook-url` (an incoming webhook), each from a secret",
    );
  if (via !== "webhook" && n.channel === "")
    throw new ActionInputError(
      "HOOKLINE_ACTION_INPUT",
      "mode `notify` with `slack-token` needs the input `channel` (e.g. #ci-alerts or a channel id)",
    );
  const jobs = await listJobs(api, ctx.runId);
  const job = findCurrentJob(jobs, { jobKey: ctx.jobKey, runnerName: ctx.runnerName });
  const derived = deriveJobState(job, n.jobStatus, ctx.now, n.timeoutMinutes);
  const facts: NotifyFacts = {
    state: derived.state,
    why: derived.why,
    job: { name: job.name ?? ctx.jobKey, id: typeof job.id === "number" ? job.id : null },
    workflow: ctx.workflow,
    ref: ctx.refName,
    repository: `${api.owner}/${api.repo}`,
    run: { id: ctx.runId, attempt: ctx.attempt },
    url: `${ctx.serverUrl}/${api.owner}/${api.repo}/actions/runs/${ctx.runId}${job.id !== undefined ? `/job/${job.id}` : ""}`,
    steps: derived.steps,
  };
  io.info(`hookline: job ${facts.job.name} is ${derived.state} (${derived.why})`);
  io.setOutput("state", derived.state);
  const wanted = passesStateFilters(derived.state, n.onlyStates, n.ignoreStates);
  let text = "";
  if (wanted) {
    try {
      text = messageText(facts, n.template, n.mention);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      throw new ActionInputError("HOOKLINE_ACTION_INPUT", `input \`template\`: ${err.message}`);
    }
  }
  let outcome: string;
  let posted = false;
  if (!wanted) outcome = "not posted (only_states / ignore_states)";
  else if (inputs.dryRun) outcome = "dry run: not posted";
  else {
    try {
      outcome = await post(inputs, ctx, text);
      posted = true;
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      if (n.failOnError) throw new ActionInputError(err.code, err.message);
      outcome = `not posted: ${err.code}`;
      io.warning(`${err.code}: ${err.message}. The job's result is unchanged; set \`fail-on-error: true\` to fail the step instead`, {
        title: "hookline notify: Slack did not take the message",
      });
    }
  }
  io.info(`hookline: ${outcome}`);
  io.setOutput("fired", posted ? "1" : "0");
  await io.writeSummary("hookline notify", [
    htmlTable(["Job", "State", "Why", "Slack"], [[facts.job.name, derived.state, derived.why, outcome]]),
    ...(wanted ? [] : [paragraph("Filtered out by the step's inputs.")]),
  ]);
}
