/**
 * Pause / resume an automation of a scope at run time (Slack, the events API, the pause-automation and
 * resume-automation actions). The pause record and its `hookline.automation.paused|resumed` event are stored in
 * one transaction (`store.setPause`); the next evaluation of the scope sees it through `ScopeWork.paused`.
 *
 * The event: resource `hookline.automation.<name>` (with `hookline.scope`), the actor as a related resource
 * with role `actor`, payload `{scope, automation, paused, until, by}`; its id is UUIDv5 of scope, automation,
 * the new state, the time and who, so a retried request records it once. Queued like an action's outcome: the
 * scope itself and the server scope see it.
 */
import { HooklineError } from "../errors/hookline-error.js";
import { isoOf, validateEvent, type HooklineEvent, type Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { uuidv5 } from "../events/uuid.js";
import type { Origin } from "../events/origin.js";
import type { PauseRecord, ServerStore } from "../store/server-types.js";
import { scopesOfProduced } from "./routing.js";

export const PAUSE_EVENT_NAMES = { paused: "hookline.automation.paused", resumed: "hookline.automation.resumed" } as const;

export class PauseError extends HooklineError {
  declare readonly code: "HOOKLINE_PAUSE_INVALID";
  constructor(message: string) {
    super("HOOKLINE_PAUSE_INVALID", message);
    this.name = "PauseError";
  }
}

export interface PauseArgs {
  scope: string;
  automation: string;
  paused: boolean;
  /** epoch ms after which the pause no longer holds; null = until resumed (ignored for a resume) */
  until: number | null;
  /** who, e.g. `slack:U123`, `api`, `automation:<name>` */
  by: string;
  /** the actor as a resource, e.g. `{ "prefect.resource.id": "slack.user.U1" }`; its role becomes `actor` */
  actor: Resource;
  /** who changed it, as recorded on the event: a Slack user, the API token, or the scope whose automation did */
  origin: Origin;
  now: number;
}

export function pauseEvent(record: PauseRecord, actor: Resource): HooklineEvent {
  const name = record.paused ? PAUSE_EVENT_NAMES.paused : PAUSE_EVENT_NAMES.resumed;
  const candidate = {
    id: uuidv5(`automation-pause\n${record.scope}\n${record.automation}\n${name}\n${record.at}\n${record.by}`),
    occurred: isoOf(record.at),
    event: name,
    resource: {
      [RESOURCE_ID]: `hookline.automation.${record.automation}`,
      [RESOURCE_NAME]: record.automation,
      "hookline.scope": record.scope,
    },
    related: [{ ...actor, [RESOURCE_ROLE]: "actor" }],
    payload: {
      scope: record.scope,
      automation: record.automation,
      paused: record.paused,
      until: record.until === null ? null : isoOf(record.until),
      by: record.by,
    },
    follows: null,
  };
  const checked = validateEvent(candidate);
  if (!checked.ok)
    throw new PauseError(
      `cannot record the ${record.paused ? "pause" : "resume"} of "${record.automation}": ${checked.errors.slice(0, 3).join("; ")}`,
    );
  return checked.event;
}

export async function pauseAutomation(store: ServerStore, args: PauseArgs): Promise<void> {
  if (args.automation === "") throw new PauseError("name the automation to pause or resume");
  if (!Number.isFinite(args.now)) throw new PauseError("the time of the pause is not a number");
  const until = args.paused && args.until !== null ? args.until : null;
  if (until !== null && !Number.isFinite(until)) throw new PauseError("`until` must be a time (epoch ms) or null");
  const record: PauseRecord = { scope: args.scope, automation: args.automation, paused: args.paused, until, by: args.by, at: args.now };
  const event = pauseEvent(record, args.actor);
  await store.setPause(record, { event, scopes: scopesOfProduced(args.scope, "action"), origin: args.origin });
}
