/**
 * `repository_dispatch` whose `client_payload` is itself a standard event (it passes `validateEvent`) is taken
 * as that event: validated, normalized, its own id kept. This lets any system send hookline events through
 * GitHub's dispatch API. Any other client_payload gives a normal `github.repository-dispatch.<event_type>` event.
 */
import { validateEvent, type HooklineEvent } from "../events/event-schema.js";
import { field, isObject, type JsonObject } from "./read.js";

export function embeddedEvent(name: string, payload: JsonObject): HooklineEvent | undefined {
  if (name !== "repository_dispatch") return undefined;
  const client = field(payload, "client_payload");
  if (!isObject(client)) return undefined;
  const result = validateEvent(client);
  return result.ok ? result.event : undefined;
}
