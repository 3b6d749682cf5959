/**
 * Executors that call the GitHub REST API through the GitHubPort. Each runs ONE attempt (the retry loop is in
 * execute.ts); a 404 is a configuration error and says what to fix.
 */
import { ACTION_CODES, ActionError, invalidParams } from "./errors.js";
import { eventRepository, issueNumber, targetRepository, workflowRunId, type RepoRef } from "./targets.js";
import type { ActionPorts, GitHubPort, Invocation } from "./types.js";

export type Attempt = (signal: AbortSignal) => Promise<unknown>;

function github(ports: ActionPorts, type: string): GitHubPort {
  if (!ports.github) {
    throw new ActionError(
      ACTION_CODES.portMissing,
      `${type} needs the GitHub API, which this runtime does not provide: in the Action pass the github-token input; in the server set HOOKLINE_GITHUB_TOKEN (its own automations) or install the GitHub App on the repository`,
      false,
    );
  }
  return ports.github;
}

function text(params: Record<string, unknown>, field: string, type: string): string {
  const v = params[field];
  if (typeof v !== "string" || v.trim() === "")
    throw invalidParams(`${type}: \`${field}\` must be a non-empty string, got ${JSON.stringify(v) ?? "nothing"}`);
  return v;
}

/** A 404 from GitHub rewritten to say what to check. */
function explain404<T>(p: Promise<T>, hint: string): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof ActionError && err.code === ACTION_CODES.notFound)
      throw new ActionError(ACTION_CODES.notFound, `${hint} (${err.message})`, false);
    throw err;
  });
}

/** workflow_dispatch inputs are strings on GitHub: numbers and booleans are stringified, objects become JSON. */
export function stringifyInputs(inputs: unknown): Record<string, string> {
  if (inputs === undefined || inputs === null) return {};
  if (typeof inputs !== "object" || Array.isArray(inputs))
    throw invalidParams("run-workflow: `inputs` must be a mapping of input name → value");
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return out;
}

function mentionsReturnRunDetails(err: unknown): boolean {
  return err instanceof ActionError && !err.retryable && /return_run_details/i.test(err.message) && /HTTP (400|422)/.test(err.message);
}

/** `ref`: the action's `ref`, else the repository's default branch (from the event's repository resource, else GET /repos). */
async function defaultRef(gh: GitHubPort, inv: Invocation, repo: RepoRef, signal: AbortSignal): Promise<string> {
  const related = inv.firing.triggering_event?.related?.find((r) => r["prefect.resource.role"] === "repository");
  const same = related?.["github.repository"] === `${repo.owner}/${repo.repo}`;
  if (same && related?.["github.default_branch"]) return related["github.default_branch"];
  const res = await explain404(
    gh.request("GET /repos/{owner}/{repo}", { ...repo }, signal),
    `repository ${repo.owner}/${repo.repo} not found: check \`repository\` and that the token can read it`,
  );
  const branch = (res.data as { default_branch?: unknown } | null)?.default_branch;
  if (typeof branch !== "string" || branch === "")
    throw invalidParams(`run-workflow: could not read the default branch of ${repo.owner}/${repo.repo}: set \`ref\``);
  return branch;
}

function runWorkflow(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const gh = github(ports, "run-workflow");
  const workflow = text(params, "workflow", "run-workflow");
  const repo = targetRepository(params, ports.repository);
  const inputs = stringifyInputs(params.inputs);
  return async (signal) => {
    const ref = typeof params.ref === "string" && params.ref !== "" ? params.ref : await defaultRef(gh, inv, repo, signal);
    const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
    const body = { ...repo, workflow_id: workflow, ref, inputs };
    const hint =
      `workflow ${JSON.stringify(workflow)} not found in ${repo.owner}/${repo.repo}: check the file name (e.g. deploy.yml) exists on the default branch, ` +
      "declares `on: workflow_dispatch`, and the token has `actions: write`";
    let res: { status: number; data: unknown };
    try {
      res = await explain404(gh.request(route, { ...body, return_run_details: true }, signal), hint);
    } catch (err) {
      if (!mentionsReturnRunDetails(err)) throw err;
      // older GitHub Enterprise servers reject the field: dispatch without run details
      res = await explain404(gh.request(route, body, signal), hint);
    }
    const data = (res.data ?? {}) as Record<string, unknown>;
    const result: Record<string, unknown> = { repository: `${repo.owner}/${repo.repo}`, workflow, ref };
    if (data.workflow_run_id !== undefined) result.run_id = data.workflow_run_id;
    if (typeof data.html_url === "string") result.run_url = data.html_url;
    else if (typeof data.run_url === "string") result.run_url = data.run_url;
    return result;
  };
}

function repositoryDispatch(params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const gh = github(ports, "repository-dispatch");
  const eventType = text(params, "event_type", "repository-dispatch");
  const repo = targetRepository(params, ports.repository);
  const payload = params.client_payload;
  if (payload !== undefined && (payload === null || typeof payload !== "object" || Array.isArray(payload))) {
    throw invalidParams("repository-dispatch: `client_payload` must be a mapping");
  }
  return async (signal) => {
    await explain404(
      gh.request("POST /repos/{owner}/{repo}/dispatches", { ...repo, event_type: eventType, client_payload: payload ?? {} }, signal),
      `repository ${repo.owner}/${repo.repo} not found or the token lacks \`contents: write\``,
    );
    return { repository: `${repo.owner}/${repo.repo}`, event_type: eventType };
  };
}

function workflowRun(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const type = inv.action.type;
  const gh = github(ports, type);
  const runId = workflowRunId(inv, params);
  const repo =
    params.repository !== undefined
      ? targetRepository(params, ports.repository)
      : eventRepository(inv.firing.triggering_event, ports.repository);
  const verb = type === "cancel-workflow-run" ? "cancel" : params.failed_jobs_only === true ? "rerun-failed-jobs" : "rerun";
  return async (signal) => {
    await explain404(
      gh.request(`POST /repos/{owner}/{repo}/actions/runs/{run_id}/${verb}`, { ...repo, run_id: runId }, signal),
      `workflow run ${runId} not found in ${repo.owner}/${repo.repo}: check run_id and that the token has \`actions: write\``,
    );
    return { repository: `${repo.owner}/${repo.repo}`, run_id: runId, operation: verb };
  };
}

function toggleWorkflow(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const type = inv.action.type;
  const gh = github(ports, type);
  const workflow = text(params, "workflow", type);
  const repo = targetRepository(params, ports.repository);
  const verb = type === "enable-workflow" ? "enable" : "disable";
  return async (signal) => {
    await explain404(
      gh.request(`PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/${verb}`, { ...repo, workflow_id: workflow }, signal),
      `workflow ${JSON.stringify(workflow)} not found in ${repo.owner}/${repo.repo}: check the file name (e.g. deploy.yml)`,
    );
    return { repository: `${repo.owner}/${repo.repo}`, workflow, operation: verb };
  };
}

function createIssue(params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const gh = github(ports, "create-issue");
  const title = text(params, "title", "create-issue");
  const repo = targetRepository(params, ports.repository);
  const labels = params.labels === undefined ? undefined : params.labels;
  if (labels !== undefined && (!Array.isArray(labels) || !labels.every((l) => typeof l === "string")))
    throw invalidParams("create-issue: `labels` must be a list of strings");
  const body = params.body === undefined ? undefined : String(params.body);
  return async (signal) => {
    const res = await explain404(
      gh.request(
        "POST /repos/{owner}/{repo}/issues",
        { ...repo, title, ...(body !== undefined ? { body } : {}), ...(labels ? { labels } : {}) },
        signal,
      ),
      `repository ${repo.owner}/${repo.repo} not found or the token lacks \`issues: write\``,
    );
    const data = (res.data ?? {}) as Record<string, unknown>;
    return { repository: `${repo.owner}/${repo.repo}`, number: data.number, url: data.html_url };
  };
}

function comment(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const gh = github(ports, "comment");
  const body = text(params, "body", "comment");
  const number = issueNumber(inv);
  const repo = eventRepository(inv.firing.triggering_event, ports.repository);
  return async (signal) => {
    const res = await explain404(
      gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...repo, issue_number: number, body }, signal),
      `issue or pull request #${number} not found in ${repo.owner}/${repo.repo}, or the token lacks \`issues: write\` / \`pull-requests: write\``,
    );
    const data = (res.data ?? {}) as Record<string, unknown>;
    return { repository: `${repo.owner}/${repo.repo}`, number, url: data.html_url };
  };
}

/** The attempt function of a GitHub action type, or null for other types. Parameter errors throw at once. */
export function githubAttempt(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt | null {
  switch (inv.action.type) {
    case "run-workflow":
      return runWorkflow(inv, params, ports);
    case "repository-dispatch":
      return repositoryDispatch(params, ports);
    case "cancel-workflow-run":
    case "rerun-workflow-run":
      return workflowRun(inv, params, ports);
    case "enable-workflow":
    case "disable-workflow":
      return toggleWorkflow(inv, params, ports);
    case "create-issue":
      return createIssue(params, ports);
    case "comment":
      return comment(inv, params, ports);
    default:
      return null;
  }
}
