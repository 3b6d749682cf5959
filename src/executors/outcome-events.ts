/**
 * The events an invocation records (SEMANTICS.md §5): `hookline.action.triggered`, then
 * `hookline.action.executed` or `hookline.action.failed` (with the reason). Pure and deterministic: ids are
 * UUIDv5 of the idempotency key, so a retried or re-run invocation records the same events (duplicates are
 * dropped on ingest). `triggered` follows the firing's `hookline.automation.triggered|resolved` event; the
 * outcome follows `triggered`.
 *
 * resource: the automation (`hookline.automation.<name>`); related: the action
 * (`hookline.action.<idempotency key>`, role `action`, with `hookline.action.type` / `hookline.action.index`),
 * and the triggering event (role `triggering-event`) when there is one.
 */
import type { HooklineEvent, Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { uuidv5 } from "../events/uuid.js";
import { firingEvent } from "../engine/index.js";
import type { Invocation, Outcome } from "./types.js";

export const ACTION_EVENT_NAMES = {
  triggered: "hookline.action.triggered",
  executed: "hookline.action.executed",
  failed: "hookline.action.failed",
} as const;

export function actionEventId(idempotencyKey: string, kind: keyof typeof ACTION_EVENT_NAMES): string {
  return uuidv5(`action-${kind}\n${idempotencyKey}`);
}

function base(inv: Invocation, kind: keyof typeof ACTION_EVENT_NAMES, occurred: string, follows: string): HooklineEvent {
  const te = inv.firing.triggering_event;
  const related: Resource[] = [
    {
      [RESOURCE_ID]: `hookline.action.${inv.idempotencyKey}`,
      [RESOURCE_ROLE]: "action",
      "hookline.action.type": inv.action.type,
      "hookline.action.index": String(inv.index),
    },
  ];
  if (te) related.push({ [RESOURCE_ID]: `hookline.event.${te.id}`, [RESOURCE_ROLE]: "triggering-event" });
  return {
    id: actionEventId(inv.idempotencyKey, kind),
    occurred,
    event: ACTION_EVENT_NAMES[kind],
    resource: { [RESOURCE_ID]: `hookline.automation.${inv.automation.name}`, [RESOURCE_NAME]: inv.automation.name },
    related,
    payload: {
      firing_id: inv.firing.id,
      idempotency_key: inv.idempotencyKey,
      action_index: inv.index,
      action_type: inv.action.type,
    },
    follows,
  };
}

export interface ActionEventTimes {
  /** ISO; default the firing's `at` */
  triggered?: string;
  /** ISO; default `triggered` */
  finished?: string;
}

/** `[triggered, executed | failed]`, chained by `follows`. */
export function actionEvents(inv: Invocation, outcome: Outcome, times: ActionEventTimes = {}): [HooklineEvent, HooklineEvent] {
  const triggeredAt = times.triggered ?? inv.firing.at;
  const triggered = base(inv, "triggered", triggeredAt, firingEvent(inv.firing).id);
  const kind = outcome.status === "executed" ? "executed" : "failed";
  const done = base(inv, kind, times.finished ?? triggeredAt, triggered.id);
  done.payload.attempts = outcome.attempts;
  if (outcome.status === "failed") {
    done.payload.reason = outcome.reason;
    done.payload.code = outcome.code;
  } else if (outcome.result !== undefined) {
    done.payload.result = outcome.result;
  }
  return [triggered, done];
}
