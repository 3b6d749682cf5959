/**
 * GitHub webhook delivery → standard events (DESIGN.md "GitHub → standard events"). Pure: no I/O, no clock.
 * Never throws: malformed input gives `{ skipped: reason }` saying what is wrong.
 */
import { validateEvent, type HooklineEvent } from "../events/event-schema.js";
import { callerEventId, originResource, withOrigin, type Origin } from "../events/origin.js";
import { callerEventProblem } from "../events/reserved.js";
import { embeddedEvent } from "./dispatch.js";
import { deliveryKey, eventIdOf, payloadKey } from "./event-id.js";
import { kebabKind } from "./event-name.js";
import { factsOf } from "./facts.js";
import { isParsedJson, PayloadShapeError, toJsonValue } from "./json-value.js";
import { primaryObject } from "./kinds.js";
import { makeResource } from "./labels.js";
import { occurredOf } from "./occurred.js";
import { fitSerialized } from "./payload-limit.js";
import { buildPrimary } from "./primary.js";
import { field, isObject, text, type JsonObject } from "./read.js";
import { relatedOf } from "./related-list.js";

export interface WebhookInput {
  /** the X-GitHub-Event header, e.g. "workflow_run" (or the Actions event name, e.g. "schedule") */
  name: string;
  /** the X-GitHub-Delivery header; the event id derives from it */
  delivery?: string;
  payload: unknown;
  /** ISO time the delivery was received: `occurred` when the payload carries no time of its own */
  received?: string;
  /**
   * true when `payload` is the caller's own, unshared output of `JSON.parse` (e.g. the verified delivery body):
   * the event then keeps it instead of a deep copy, after a check that it holds no `__proto__` key and is not
   * nested too deep (otherwise it is copied as usual). Leave unset for any other object.
   */
  parsedJson?: boolean;
  /**
   * With `parsedJson`: the JSON text `payload` was parsed from, unchanged since. The event's JSON text then embeds
   * it instead of serializing the payload again (when the payload is kept as it is and fits the size limit).
   */
  payloadText?: string;
  /**
   * The server's view (a GitHub App delivery): the origin to record on each event (src/events/origin.ts), and the
   * origin of a `repository_dispatch` payload that is itself a standard event. Such an event was written by anyone
   * who can write to the repository: it keeps its name only when the name is not reserved (`hookline.*`,
   * `github.*`), its id and `follows` move into that repository's namespace, and the result says `embedded` so the
   * server routes it to that repository's scope alone. Unset (the Action, the CLI): events carry no origin and an
   * embedded event is taken as it is (the repository is the only scope there).
   */
  origins?: { delivery: Origin; dispatch: Origin };
}

export type TranslateResult = { events: HooklineEvent[] } | { skipped: string };

/**
 * `translateWebhook`'s result with, for each event, its JSON text when translation already produced it
 * (`JSON.stringify(event)`, or the same keys with the payload's own text: see `payloadText`; it parses to an equal
 * event either way; undefined otherwise): a store can keep it without serializing again.
 */
export type SerializedTranslation = { events: HooklineEvent[]; json: (string | undefined)[]; embedded?: true } | { skipped: string };

/** Webhooks that carry no automation value, with the reason given when they are skipped. */
export const SKIPPED_WEBHOOKS: Readonly<Record<string, string>> = {
  ping: "ping is GitHub's check that a new webhook is reachable; it reports no activity to automate on",
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function translateWebhook(input: WebhookInput): TranslateResult {
  const result = translateWebhookSerialized(input);
  return "skipped" in result ? result : { events: result.events };
}

/** `translateWebhook`, also handing back the events' JSON text it computed for the size limit. */
export function translateWebhookSerialized(input: WebhookInput): SerializedTranslation {
  const name: unknown = field(input, "name");
  try {
    return translate(input);
  } catch (err) {
    // last-resort guard (e.g. a hostile getter); the translator itself does not throw on bad data
    const message = err instanceof Error ? err.message : String(err);
    return { skipped: `could not translate webhook ${JSON.stringify(String(name))}: ${message}` };
  }
}

function translate(input: WebhookInput): SerializedTranslation {
  if (!isObject(input)) {
    return { skipped: `a webhook input must be an object {name, delivery?, payload, received?}, got ${describe(input)}` };
  }
  const name = field(input, "name");
  if (typeof name !== "string" || name.trim().length === 0) {
    return { skipped: `webhook name (the X-GitHub-Event header) must be a non-empty string, got ${describe(name)}` };
  }
  if (Object.prototype.hasOwnProperty.call(SKIPPED_WEBHOOKS, name)) return { skipped: SKIPPED_WEBHOOKS[name]! };
  if (kebabKind(name).length === 0) {
    return { skipped: `webhook name ${JSON.stringify(name.slice(0, 100))} has no letters or digits to name an event kind` };
  }
  const rawDelivery = field(input, "delivery");
  if (rawDelivery !== undefined && rawDelivery !== null && typeof rawDelivery !== "string") {
    return { skipped: `delivery (the X-GitHub-Delivery header) must be a string, got ${describe(rawDelivery)}` };
  }
  const delivery = text(rawDelivery);
  const rawPayload = field(input, "payload");
  if (!isObject(rawPayload)) {
    return { skipped: `the payload of a "${name}" webhook must be a JSON object, got ${describe(rawPayload)}` };
  }
  let payload: JsonObject;
  let payloadText: string | undefined;
  try {
    if (field(input, "parsedJson") === true && isParsedJson(rawPayload)) {
      payload = rawPayload;
      const given = field(input, "payloadText");
      payloadText = typeof given === "string" ? given : undefined;
    } else payload = toJsonValue(rawPayload) as JsonObject;
  } catch (err) {
    if (err instanceof PayloadShapeError) return { skipped: `the payload of a "${name}" webhook is unusable: ${err.message}` };
    throw err;
  }

  const origins = field(input, "origins") as WebhookInput["origins"];
  const embedded = embeddedEvent(name, payload);
  if (embedded && !origins) return { events: [embedded], json: [undefined] };
  if (embedded && origins && callerEventProblem(embedded) === undefined) {
    const o = origins.dispatch;
    const follows = embedded.follows === null ? null : callerEventId(o, embedded.follows);
    return { events: [withOrigin({ ...embedded, id: callerEventId(o, embedded.id), follows }, o)], json: [undefined], embedded: true };
  }

  const id = eventIdOf(delivery !== undefined ? deliveryKey(delivery) : payloadKey(name, payload));
  const found = primaryObject(name, payload);
  const facts = factsOf(name, payload, found.object, found.own);
  const primary = buildPrimary(name, payload, found, facts, id);
  // labelsOf builds a fresh object for each delivery: adding to it is the spread without the copy
  const labels = primary.labels;
  labels["github.delivery"] = delivery;
  const resource = makeResource(primary.kind, primary.idPart, primary.name, labels)!;
  const { event: draft, text: serialized } = fitSerialized(
    {
      id,
      occurred: occurredOf(name, payload, found, field(input, "received")),
      event: primary.event,
      resource,
      related: origins
        ? [...relatedOf(name, payload, found, facts), originResource(origins.delivery)]
        : relatedOf(name, payload, found, facts),
      payload,
      follows: null,
    },
    undefined,
    payloadText,
  );
  const checked = validateEvent(draft, serialized);
  if (!checked.ok) {
    return { skipped: `a "${name}" webhook did not translate to a valid event: ${checked.errors.join("; ")}` };
  }
  const e = checked.event;
  // the text is the validated event's own when validation kept every field (the fast path on a well-formed draft)
  const same =
    e.id === draft.id &&
    e.occurred === draft.occurred &&
    e.event === draft.event &&
    e.resource === draft.resource &&
    e.related === draft.related &&
    e.payload === draft.payload &&
    e.follows === draft.follows;
  return { events: [e], json: [same ? serialized : undefined] };
}
