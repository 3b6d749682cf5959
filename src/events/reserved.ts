/**
 * Event names hookline itself produces: `hookline.*` (firings, actions, pauses, webhook failures) and `github.*`
 * (GitHub deliveries, signed by GitHub). A source that is not hookline or GitHub (a custom webhook, the events
 * API, an automation's emit-event, a repository_dispatch payload) may not use them, or it could forge a firing,
 * a pause with someone else's name on it, or a workflow run that never happened (issue 12).
 */
import { EVENT_LIMITS } from "./event-schema.js";

export const RESERVED_EVENT_PREFIXES = ["hookline.", "github."] as const;

export function isReservedEventName(name: string): boolean {
  return RESERVED_EVENT_PREFIXES.some((p) => name.startsWith(p));
}

export function reservedNameMessage(name: string): string {
  return `the event name ${JSON.stringify(name.slice(0, 200))} is reserved: names starting with ${RESERVED_EVENT_PREFIXES.map((p) => `"${p}"`).join(" or ")} are hookline's and GitHub's own; choose another namespace (e.g. "acme.${name.replace(/^[^.]*\./, "")}")`;
}

/**
 * What an event from outside (webhook, events API, emit-event, repository_dispatch) may not do beyond the schema:
 * use a reserved name, or fill every related slot (hookline appends the origin: at most 99 of the 100 are the
 * caller's). Undefined when the event is fine.
 */
export function callerEventProblem(event: { event: string; related: readonly unknown[] }): string | undefined {
  if (isReservedEventName(event.event)) return reservedNameMessage(event.event);
  if (event.related.length >= EVENT_LIMITS.relatedMax) {
    return `the event has ${event.related.length} related resources: send at most ${EVENT_LIMITS.relatedMax - 1} (hookline adds one, the origin)`;
  }
  return undefined;
}
