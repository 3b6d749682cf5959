/**
 * The event the engine's caller emits for each firing (SEMANTICS.md §5): `hookline.automation.triggered`
 * or `.resolved`. Pure and deterministic: the same firing always gives the same event (same id).
 */
import type { HooklineEvent, Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { uuidv5 } from "../events/uuid.js";
import type { Firing } from "./types.js";

export const FIRING_EVENT_NAMES = {
  Triggered: "hookline.automation.triggered",
  Resolved: "hookline.automation.resolved",
} as const;

/**
 * resource: `{prefect.resource.id: hookline.automation.<name>, prefect.resource.name: <name>}`;
 * related: `{prefect.resource.id: hookline.event.<triggering event id>, prefect.resource.role: triggering-event}`
 * when the firing has a triggering event (none for a proactive window without `after`);
 * payload: `{firing_id, state, labels, triggering_event_id, child_firing_ids}`; `follows` is null (the
 * triggering event may be long forgotten by the duplicate window, and nothing must wait for it).
 */
export function firingEvent(firing: Firing): HooklineEvent {
  const te = firing.triggering_event;
  const related: Resource[] = te === null ? [] : [{ [RESOURCE_ID]: `hookline.event.${te.id}`, [RESOURCE_ROLE]: "triggering-event" }];
  return {
    id: uuidv5(`firing-event\n${firing.id}`),
    occurred: firing.at,
    event: FIRING_EVENT_NAMES[firing.state],
    resource: { [RESOURCE_ID]: `hookline.automation.${firing.automation}`, [RESOURCE_NAME]: firing.automation },
    related,
    payload: {
      firing_id: firing.id,
      state: firing.state,
      labels: { ...firing.labels },
      triggering_event_id: te === null ? null : te.id,
      child_firing_ids: firing.child_firings.map((c) => c.id),
    },
    follows: null,
  };
}
