/**
 * `mode: notify`: a last step (`if: always()`) posts this job's state to Slack, filtered by `only_states` /
 * `ignore_states`, mentioning the `mention` users when the job failed or timed out (the old Prefect
 * `slack_notifier` state handler). The state comes from the run's jobs through the API (job-state.ts).
 */
import type { StateName } from "../automations/types.js";
// the modules themselves, not the actions barrel: notify needs the Slack port only
import { ActionError } from "../executors/errors.js";
import { nodeHttp, type NodeHttpResponse } from "../adapters/node-http-port.js";
import { createSlackPort } from "../adapters/slack-port.js";
import { ActionInputError } from "./errors.js";
import type { ActionInputs } from "./inputs.js";
import { htmlTable, logLine, paragraph, type ActionIO } from "./io.js";
import { deriveJobState, findCurrentJob, wanted, type ApiJob } from "./job-state.js";
import type { ApiTarget } from "./load-config.js";

export interface NotifyContext {
  runId: string;
  attempt: number;
  jobKey: string;
  runnerName: string;
  workflow: string;
  refName: string;
  serverUrl: string;
  now: number;
}

/** Slack mrkdwn: `&`, `<`, `>` are the only control characters (links, mentions, `<!channel>`). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackMention(user: string): string {
  const u = user.replace(/^@/, "");
  if (u === "here" || u === "channel" || u === "everyone") return `<!${u}>`;
  if (/^S[A-Z0-9]+$/.test(u)) return `<!subteam^${u}>`;
  if (/^[UW][A-Z0-9]+$/.test(u)) return `<@${u}>`;
  return `@${slackEscape(u)}`;
}

const ICON: Partial<Record<StateName, string>> = {
  Completed: ":white_check_mark:",
  Failed: ":x:",
  Cancelled: ":no_entry_sign:",
  TimedOut: ":hourglass:",
  Skipped: ":fast_forward:",
};
const MENTION_ON: readonly StateName[] = ["Failed", "TimedOut", "Crashed"];

async function listJobs(api: ApiTarget, runId: string): Promise<ApiJob[]> {
  const url = `${api.apiUrl}/repos/${encodeURIComponent(api.owner)}/${encodeURIComponent(api.repo)}/actions/runs/${runId}/jobs?filter=latest&per_page=100`;
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
    "user-agent": "hookline-action",
  };
  if (api.token) headers.authorization = `Bearer ${api.token}`;
  let res: NodeHttpResponse;
  try {
    res = await nodeHttp(url, { method: "GET", headers, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new ActionInputError(
      "HOOKLINE_ACTION_API",
      `could not reach ${api.apiUrl} to list the jobs of run ${runId}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (res.status < 200 || res.status > 299) {
    const hint = res.status === 401 || res.status === 403 || res.status === 404 ? "; give the job `permissions: actions: read`" : "";
    throw new ActionInputError("HOOKLINE_ACTION_API", `listing the jobs of run ${runId} answered HTTP ${res.status}${hint}`);
  }
  let body: { jobs?: unknown } | null = null;
  try {
    body = JSON.parse(res.text) as { jobs?: unknown } | null;
  } catch {
    body = null;
  }
  if (!body || !Array.isArray(body.jobs))
    throw new ActionInputError("HOOKLINE_ACTION_API", `listing the jobs of run ${runId} did not answer {jobs: [...]}`);
  return body.jobs.filter((j): j is ApiJob => typeof j === "object" && j !== null);
}

export async function notifyMode(io: ActionIO, inputs: ActionInputs, api: ApiTarget, ctx: NotifyContext): Promise<void> {
  const n = inputs.notify;
  if (!inputs.dryRun && !inputs.slackToken)
    throw new ActionInputError(
      "HOOKLINE_ACTION_INPUT",
      "mode `notify` needs the input `slack-token` (a bot token with chat:write, from a secret)",
    );
  if (n.channel === "")
    throw new ActionInputError("HOOKLINE_ACTION_INPUT", "mode `notify` needs the input `channel` (e.g. #ci-alerts or a channel id)");
  const jobs = await listJobs(api, ctx.runId);
  const job = findCurrentJob(jobs, { jobKey: ctx.jobKey, runnerName: ctx.runnerName });
  const derived = deriveJobState(job, n.jobStatus, ctx.now, n.timeoutMinutes);
  const jobName = job.name ?? ctx.jobKey;
  io.info(logLine(`hookline: job ${jobName} is ${derived.state} (${derived.why})`));
  io.setOutput("state", derived.state);
  const post = wanted(derived.state, n.onlyStates, n.ignoreStates);
  const runUrl = `${ctx.serverUrl}/${api.owner}/${api.repo}/actions/runs/${ctx.runId}${job.id !== undefined ? `/job/${job.id}` : ""}`;
  const mentions = MENTION_ON.includes(derived.state) && n.mention.length ? `${n.mention.map(slackMention).join(" ")} ` : "";
  const steps = derived.steps.length
    ? `\nSteps: ${derived.steps
        .slice(0, 5)
        .map((s) => `\`${slackEscape(s.replace(/`/g, "'"))}\``)
        .join(", ")}`
    : "";
  const text =
    `${mentions}${ICON[derived.state] ?? ":information_source:"} *${slackEscape(ctx.workflow || "workflow")}* / *${slackEscape(jobName)}*: ${derived.state}` +
    `${ctx.refName ? ` on \`${slackEscape(ctx.refName.replace(/`/g, "'"))}\`` : ""} (<${runUrl}|run ${ctx.runId}${ctx.attempt > 1 ? `, attempt ${ctx.attempt}` : ""}>)${steps}`;
  let outcome: string;
  if (!post) outcome = `not posted (${n.onlyStates ? "only_states" : "ignore_states"})`;
  else if (inputs.dryRun) outcome = "dry run: not posted";
  else {
    try {
      await createSlackPort({ slackApiUrl: inputs.slackApiUrl }).call(
        "chat.postMessage",
        inputs.slackToken,
        { channel: n.channel, text, unfurl_links: false },
        AbortSignal.timeout(30_000),
      );
    } catch (err) {
      if (err instanceof ActionError) throw new ActionInputError(err.code, err.message);
      throw err;
    }
    outcome = `posted to ${n.channel}`;
  }
  io.info(logLine(`hookline: ${outcome}`));
  io.setOutput("fired", post && !inputs.dryRun ? "1" : "0");
  await io.writeSummary("hookline notify", [
    htmlTable(["Job", "State", "Why", "Slack"], [[jobName, derived.state, derived.why, outcome]]),
    ...(post ? [] : [paragraph("Filtered out by the step's inputs.")]),
  ]);
}
