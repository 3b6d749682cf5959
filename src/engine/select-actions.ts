/**
 * Which actions a firing runs (SEMANTICS.md §5), and their idempotency keys.
 *
 * Indices are stable per automation: `actions[i]` is i, `actions_on_trigger[j]` is `actions.length + j`,
 * `actions_on_resolve[k]` is `actions.length + actions_on_trigger.length + k`. Triggered runs `actions` then
 * `actions_on_trigger`; Resolved runs `actions_on_resolve`.
 *
 * `only_states` / `ignore_states` compare with the triggering event's state (`stateOfEvent`), a family matching
 * its members (github/state.ts STATE_FAMILIES: `Failed` also matches `TimedOut`); both may be set. A firing with
 * no triggering event (a proactive window without `after`) has no state: an action with `only_states`
 * is skipped, `ignore_states` never excludes it.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import type { ActionSpec, Automation } from "../automations/types.js";
import { passesStateFilters } from "../github/state.js";
import type { Firing } from "./types.js";

export interface SelectedAction {
  index: number;
  action: ActionSpec;
}

/** The `github.state` label of the primary resource, else the last dotted segment of the event name. */
export function stateOfEvent(event: Pick<HooklineEvent, "event" | "resource">): string {
  const label = event.resource["github.state"];
  if (typeof label === "string" && Object.prototype.hasOwnProperty.call(event.resource, "github.state")) return label;
  const dot = event.event.lastIndexOf(".");
  return dot < 0 ? event.event : event.event.slice(dot + 1);
}

function allowed(action: ActionSpec, state: string | null): boolean {
  return passesStateFilters(state, action.only_states, action.ignore_states);
}

export function selectActions(firing: Firing, automation: Automation): SelectedAction[] {
  const state = firing.triggering_event === null ? null : stateOfEvent(firing.triggering_event);
  const out: SelectedAction[] = [];
  const base = automation.actions.length;
  if (firing.state === "Triggered") {
    automation.actions.forEach((action, i) => allowed(action, state) && out.push({ index: i, action }));
    automation.actions_on_trigger.forEach((action, j) => allowed(action, state) && out.push({ index: base + j, action }));
  } else {
    const offset = base + automation.actions_on_trigger.length;
    automation.actions_on_resolve.forEach((action, k) => allowed(action, state) && out.push({ index: offset + k, action }));
  }
  return out;
}

/** Deterministic per (firing, action index): at-least-once executors use it to act once. */
export function idempotencyKey(firing: Firing, index: number): string {
  return `${firing.id}:${index}`;
}
