/**
 * Run states of run-like GitHub resources (DESIGN.md "GitHub → standard events"). These names end the event name
 * of run-like events (`github.workflow-run.Failed`), fill the `github.state` label, and are what `only_states` /
 * `ignore_states` filter on.
 */
import type { StateName } from "../automations/types.js";

export type { StateName };

/** Webhooks whose event name ends in a state instead of the action. */
export const RUN_LIKE_KINDS = ["workflow_run", "workflow_job", "check_run", "check_suite", "deployment_status"] as const;
export type RunLikeKind = (typeof RUN_LIKE_KINDS)[number];

export function isRunLike(name: string): name is RunLikeKind {
  return (RUN_LIKE_KINDS as readonly string[]).includes(name);
}

const STATUS_STATES: Readonly<Record<string, StateName>> = {
  requested: "Pending",
  queued: "Pending",
  pending: "Pending",
  in_progress: "Running",
  waiting: "Waiting",
};

const CONCLUSION_STATES: Readonly<Record<string, StateName>> = {
  success: "Completed",
  failure: "Failed",
  cancelled: "Cancelled",
  timed_out: "TimedOut",
  skipped: "Skipped",
  neutral: "Neutral",
  stale: "Stale",
  action_required: "Waiting",
  startup_failure: "Crashed",
};

const DEPLOYMENT_STATES: Readonly<Record<string, StateName>> = {
  pending: "Pending",
  queued: "Pending",
  in_progress: "Running",
  waiting: "Waiting",
  success: "Completed",
  failure: "Failed",
  error: "Crashed",
  inactive: "Stale",
};

function lookup(table: Readonly<Record<string, StateName>>, value: unknown): StateName | undefined {
  if (typeof value !== "string") return undefined;
  const key = value.toLowerCase();
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * State of a workflow run / job, check run / suite: status first (`requested|queued|pending` → Pending,
 * `in_progress` → Running, `waiting` → Waiting), then, when completed, the conclusion. Values are compared
 * case-insensitively. `kind` "deployment_status" delegates to {@link deploymentState} (its `state` is passed as
 * `status`).
 *
 * Returns undefined when the state cannot be known: `completed` with a missing or unknown conclusion, or an
 * unknown status without a known conclusion. Callers then name the event after the action and set no
 * `github.state`, so an unknown value never passes an `only_states` filter by accident.
 * An unknown (or missing) status with a known conclusion uses the conclusion.
 */
export function runState(kind: string, status: unknown, conclusion: unknown): StateName | undefined {
  if (kind === "deployment_status") return deploymentState(status);
  const byStatus = lookup(STATUS_STATES, status);
  if (byStatus) return byStatus;
  // `completed`, or a status we do not know: the conclusion decides (none or unknown → undefined)
  return lookup(CONCLUSION_STATES, conclusion);
}

/** deployment_status `state`: pending|queued → Pending, in_progress → Running, waiting → Waiting, success →
 * Completed, failure → Failed, error → Crashed, inactive → Stale; anything else → undefined. */
export function deploymentState(state: unknown): StateName | undefined {
  return lookup(DEPLOYMENT_STATES, state);
}

/**
 * State families (docs/action.md "State families"): a filter naming a family also matches its members, as
 * Prefect 1's state classes did for `slack_notifier` (`TimedOut` is a kind of `Failed`, `Skipped` a kind of
 * `Success`, `Paused` a kind of `Pending`). A timed-out run or a start-up failure (Crashed) is a failure; a
 * skipped run completed without running; a run waiting for an approval is still pending. The ONE table for
 * every state filter: notify's `only_states` / `ignore_states` and those of the automations' actions.
 */
export const STATE_FAMILIES: Readonly<Partial<Record<StateName, readonly StateName[]>>> = {
  Failed: ["TimedOut", "Crashed"],
  Completed: ["Skipped"],
  Pending: ["Waiting"],
};

/** true when `state` is named by `filter`, itself or as a member of a family the filter names */
export function stateMatches(filter: readonly string[], state: string): boolean {
  if (filter.includes(state)) return true;
  for (const family of filter) if (STATE_FAMILIES[family as StateName]?.includes(state as StateName)) return true;
  return false;
}

/**
 * Both filters together (null = unset): a state passes when `only` matches it (or `only` is unset) and `ignore`
 * does not. No state (a firing without a triggering event) passes no `only`, and no `ignore` excludes it.
 */
export function passesStateFilters(state: string | null, only: readonly string[] | null, ignore: readonly string[] | null): boolean {
  if (only !== null && (state === null || !stateMatches(only, state))) return false;
  if (ignore !== null && state !== null && stateMatches(ignore, state)) return false;
  return true;
}
