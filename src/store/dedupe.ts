/**
 * Dedupe keys in `ActionState.dedupe`: processed events and executed actions share one record, namespaced.
 * The event key is the translated event's id. Inside Actions there is no X-GitHub-Delivery, so the id is
 * UUIDv5 of the event name, action and a hash of the payload (src/github/event-id.ts): a re-run of the same
 * workflow run reads the same GITHUB_EVENT_PATH payload and gets the same id. GITHUB_RUN_ATTEMPT is
 * deliberately NOT part of the key.
 */
import type { ActionState } from "./types.js";

export const eventKey = (eventId: string): string => `event:${eventId}`;
/** `idempotencyKey` = the engine's (firing id + action index) key of one action invocation */
export const actionKey = (idempotencyKey: string): string => `action:${idempotencyKey}`;

export function isRecorded(state: ActionState, key: string): boolean {
  return Object.hasOwn(state.dedupe, key);
}

/** A new state with `keys` recorded at `at` (ISO); keys already recorded keep their first time. */
export function recordKeys(state: ActionState, keys: readonly string[], at: string): ActionState {
  const added = keys.filter((k) => !Object.hasOwn(state.dedupe, k)).map((k) => [k, at] as const);
  if (added.length === 0) return state;
  return { ...state, dedupe: Object.fromEntries([...Object.entries(state.dedupe), ...added]) };
}
