/**
 * What an action acts on when it does not say: the repository, the workflow run and the issue / pull request
 * of the triggering event (`source: inferred`), read from the standard event's resources.
 */
import type { HooklineEvent, Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_ROLE } from "../events/labels.js";
import { ACTION_CODES, ActionError, invalidParams } from "./errors.js";
import type { Invocation } from "./types.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** `owner/name` → RepoRef; anything else is a config error. */
export function parseRepository(text: unknown): RepoRef {
  const parts = typeof text === "string" ? text.split("/") : [];
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p) && p !== "." && p !== "..")) {
    throw invalidParams(`repository must be "owner/name", got ${JSON.stringify(String(text)).slice(0, 120)}`);
  }
  return { owner: parts[0]!, repo: parts[1]! };
}

/** The action's `repository`, else the runner's repository. */
export function targetRepository(params: Record<string, unknown>, fallback: RepoRef): RepoRef {
  return params.repository === undefined || params.repository === "" ? fallback : parseRepository(params.repository);
}

/** The repository named by the triggering event (`github.repository` label or related `repository`), else the runner's. */
export function eventRepository(event: HooklineEvent | null, fallback: RepoRef): RepoRef {
  if (!event) return fallback;
  const label = event.resource["github.repository"] ?? related(event, "repository")?.["github.repository"];
  const fromId = related(event, "repository")?.[RESOURCE_ID]?.replace(/^github\.repository\./, "");
  const name = label ?? fromId;
  try {
    return name ? parseRepository(name) : fallback;
  } catch {
    return fallback;
  }
}

function related(event: HooklineEvent, role: string): Resource | undefined {
  return (event.related ?? []).find((r) => r[RESOURCE_ROLE] === role);
}

function idAfter(resource: Resource | undefined, prefix: string): string | undefined {
  const id = resource?.[RESOURCE_ID];
  return id !== undefined && id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  return /^[1-9]\d{0,17}$/.test(text) ? Number(text) : undefined;
}

/** `run_id` when selected; else the triggering event's workflow run (its own resource, or related `workflow-run`). */
export function workflowRunId(inv: Invocation, params: Record<string, unknown>): number {
  if (params.source === "selected" || params.run_id !== undefined) {
    const id = positiveInteger(params.run_id);
    if (id === undefined)
      throw invalidParams(`run_id must be a workflow run id (a positive whole number), got ${JSON.stringify(params.run_id)}`);
    return id;
  }
  const event = inv.firing.triggering_event;
  const id = event
    ? (positiveInteger(idAfter(event.resource, "github.workflow-run.")) ??
      positiveInteger(idAfter(related(event, "workflow-run"), "github.workflow-run.")))
    : undefined;
  if (id === undefined) {
    throw new ActionError(
      ACTION_CODES.noSource,
      `${inv.action.type} with source: inferred needs a triggering event about a workflow run (resource github.workflow-run.<id> or a related workflow-run); ` +
        `${event ? `got ${event.event}` : "this firing has no triggering event"}: set \`run_id\`, or trigger on github.workflow-run.* / github.workflow-job.* events`,
      false,
    );
  }
  return id;
}

/** The issue or pull request number of the triggering event (primary resource, else related pull-request / issue). */
export function issueNumber(inv: Invocation): number {
  const event = inv.firing.triggering_event;
  const candidates: (Resource | undefined)[] = [];
  if (event) {
    const kind = event.resource[RESOURCE_ID]?.split(".")[1];
    if (kind === "pull-request" || kind === "issue" || kind === "issues") candidates.push(event.resource);
    candidates.push(related(event, "pull-request"), related(event, "issue"));
  }
  for (const r of candidates) {
    const n = positiveInteger(r?.["github.number"]);
    if (n !== undefined) return n;
  }
  throw new ActionError(
    ACTION_CODES.noSource,
    `comment needs a triggering event about a pull request or issue (a github.number label on it or on a related pull-request); ${event ? `got ${event.event}` : "this firing has no triggering event"}: trigger on github.pull-request.* or github.issues.* events`,
    false,
  );
}
