/** Executors that need no GitHub: do-nothing, pause/resume-automation, call-webhook, emit-event. */
import { isoOf, validateEvent, type HooklineEvent } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME } from "../events/labels.js";
import { callerEventProblem } from "../events/reserved.js";
import { uuidv5 } from "../events/uuid.js";
import { ACTION_CODES, ActionError, invalidParams } from "./errors.js";
import type { Attempt } from "./github-executors.js";
import { checkHeaders, checkUrl, send } from "./http-call.js";
import type { ActionPorts, Invocation } from "./types.js";

function pause(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const paused = inv.action.type === "pause-automation";
  const name = params.source === "selected" || params.automation !== undefined ? params.automation : inv.automation.name;
  if (typeof name !== "string" || name === "") throw invalidParams(`${inv.action.type}: \`automation\` must name an automation`);
  const store = ports.pauses;
  if (!store) throw new ActionError(ACTION_CODES.portMissing, `${inv.action.type}: this runtime has no pause store`, false);
  return async () => {
    await store.setPaused(name, paused);
    return { automation: name, paused };
  };
}

const WEBHOOK_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** body: an object or array is sent as JSON (content-type application/json unless set); a string as is. */
function callWebhook(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt {
  const target = checkUrl(params.url, "call-webhook");
  const method = String(params.method ?? "POST").toUpperCase();
  if (!WEBHOOK_METHODS.has(method)) throw invalidParams(`call-webhook: method must be one of ${[...WEBHOOK_METHODS].join(", ")}`);
  const headers = checkHeaders(params.headers, "call-webhook");
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  let body: string | undefined;
  if (params.body !== undefined && params.body !== null && method !== "GET") {
    if (typeof params.body === "string") body = params.body;
    else {
      body = JSON.stringify(params.body);
      if (!has("content-type")) headers["content-type"] = "application/json";
    }
  }
  if (!has("idempotency-key")) headers["idempotency-key"] = inv.idempotencyKey;
  return async (signal) => {
    const res = await send(ports, { ...target, method, headers, ...(body !== undefined ? { body } : {}) }, "call-webhook", signal);
    return { status: res.status };
  };
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalidParams(`emit-event: \`${what}\` must be a mapping of label → string`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

/**
 * The event emit-event produces: id = UUIDv5 of the idempotency key (a retried invocation emits the same
 * event), `occurred` = now, resource defaulting to the automation, `follows` null. Validated like any event.
 */
export function buildEmittedEvent(inv: Invocation, params: Record<string, unknown>, now: number): HooklineEvent {
  const resource = stringMap(params.resource, "resource");
  if (resource[RESOURCE_ID] === undefined) {
    resource[RESOURCE_ID] = `hookline.automation.${inv.automation.name}`;
    resource[RESOURCE_NAME] ??= inv.automation.name;
  }
  if (params.related !== undefined && !Array.isArray(params.related))
    throw invalidParams("emit-event: `related` must be a list of resources");
  const related = ((params.related as unknown[] | undefined) ?? []).map((r) => stringMap(r, "related"));
  const candidate = {
    id: uuidv5(`emit-event\n${inv.idempotencyKey}`),
    occurred: isoOf(now),
    event: params.event,
    resource,
    related,
    payload: params.payload === undefined ? {} : params.payload,
    follows: null,
  };
  const checked = validateEvent(candidate);
  if (!checked.ok)
    throw new ActionError(ACTION_CODES.invalidEvent, `emit-event: the event is not valid: ${checked.errors.slice(0, 3).join("; ")}`, false);
  // an automation may not forge hookline's or GitHub's own events (a firing, a pause, a workflow run)
  const problem = callerEventProblem(checked.event);
  if (problem !== undefined) throw new ActionError(ACTION_CODES.reservedName, `emit-event: ${problem}`, false);
  return checked.event;
}

export function localAttempt(inv: Invocation, params: Record<string, unknown>, ports: ActionPorts): Attempt | null {
  switch (inv.action.type) {
    case "do-nothing":
      return async () => undefined;
    case "pause-automation":
    case "resume-automation":
      return pause(inv, params, ports);
    case "call-webhook":
      return callWebhook(inv, params, ports);
    default:
      return null;
  }
}
