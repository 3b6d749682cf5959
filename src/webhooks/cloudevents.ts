/**
 * CloudEvents 1.0 over HTTP (binary and structured content modes) → a standard event, by hand.
 *
 * Why not the `cloudevents` package's `HTTP.toEvent`: its CloudEvent constructor fills a missing `time` from
 * the wall clock and a missing `id` with a random UUID, and its JSON parser reads `process.env`; this module
 * is pure (no clock, no environment) and must reject, not invent, a missing id. The binding is small.
 */
import { RESOURCE_ID } from "../events/labels.js";
import { uuidv5 } from "../events/uuid.js";
import { mediaTypeOf, parseBody, parseJson, unsupported } from "./body.js";

const REQUIRED = ["specversion", "id", "source", "type"] as const;
/** CloudEvents attribute names: lower-case letters and digits (the spec's limit is 20 characters) */
const ATTRIBUTE_RE = /^[a-z0-9]{1,20}$/;
const MAX_EXTENSIONS = 50;

export type CloudEventOutcome =
  | { ok: true; draft: Record<string, unknown>; ceId: string; ceSource: string }
  | { ok: false; status: 400 | 415; reason: string; notCloudEvent?: boolean };

export function isStructured(headers: Readonly<Record<string, string>>): boolean {
  return mediaTypeOf(headers["content-type"]).kind === "cloudevent";
}

/** The request as a CloudEvent, into an event draft (id, occurred, event, resource, payload). */
export function fromCloudEvent(headers: Readonly<Record<string, string>>, body: Uint8Array): CloudEventOutcome {
  const media = mediaTypeOf(headers["content-type"]);
  if (media.kind === "cloudevent-batch") {
    return {
      ok: false,
      status: 415,
      reason: "batched CloudEvents (application/cloudevents-batch+json) are not supported: send one event per request",
    };
  }
  if (media.kind === "cloudevent") return structured(body, media);
  if (headers["ce-specversion"] === undefined && headers["ce-id"] === undefined) {
    return {
      ok: false,
      status: 400,
      notCloudEvent: true,
      reason:
        "not a CloudEvent: send ce-specversion, ce-id, ce-source and ce-type headers (binary mode) or Content-Type application/cloudevents+json (structured mode)",
    };
  }
  return binary(headers, body);
}

function binary(headers: Readonly<Record<string, string>>, body: Uint8Array): CloudEventOutcome {
  const attrs: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (!name.startsWith("ce-")) continue;
    const attr = name.slice(3);
    if (!ATTRIBUTE_RE.test(attr))
      return {
        ok: false,
        status: 400,
        reason: `CloudEvents header ${JSON.stringify(name.slice(0, 40))}: attribute names are lower-case letters and digits`,
      };
    const value = percentDecode(headers[name]!);
    if (value === null) return { ok: false, status: 400, reason: `CloudEvents header ${name} is not valid percent-encoded UTF-8` };
    define(attrs, attr, value);
  }
  let data: unknown;
  if (body.byteLength > 0) {
    const media = mediaTypeOf(headers["content-type"]);
    if (media.kind === "other" || media.kind === "cloudevent-batch") return { ok: false, status: 415, reason: unsupported(media) };
    const parsed = parseBody(media, body);
    if (!parsed.ok) return parsed;
    data = parsed.value;
    if (media.type !== "") define(attrs, "datacontenttype", headers["content-type"]!);
  }
  return draftOf(attrs, data);
}

function structured(body: Uint8Array, media: ReturnType<typeof mediaTypeOf>): CloudEventOutcome {
  const parsed = parseBody(media, body);
  if (!parsed.ok) return parsed;
  const ce = parsed.value;
  if (ce === null || typeof ce !== "object" || Array.isArray(ce)) {
    return { ok: false, status: 400, reason: "a structured CloudEvent must be a JSON object" };
  }
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(ce as Record<string, unknown>)) {
    if (name === "data" || name === "data_base64") continue;
    if (!ATTRIBUTE_RE.test(name))
      return {
        ok: false,
        status: 400,
        reason: `CloudEvent attribute ${JSON.stringify(name.slice(0, 40))}: names are lower-case letters and digits`,
      };
    if (typeof value === "string") define(attrs, name, value);
    else if (typeof value === "number" || typeof value === "boolean") define(attrs, name, String(value));
    else if (value !== null) return { ok: false, status: 400, reason: `CloudEvent attribute ${name} must be a string, number or boolean` };
  }
  const obj = ce as Record<string, unknown>;
  if (Object.hasOwn(obj, "data") && Object.hasOwn(obj, "data_base64")) {
    return { ok: false, status: 400, reason: "a CloudEvent has either data or data_base64, not both" };
  }
  let data: unknown = obj.data;
  if (typeof obj.data_base64 === "string") data = { data_base64: obj.data_base64 };
  // JSON data sent as a string in a JSON event (datacontenttype application/json) is the JSON value
  if (typeof data === "string" && attrs.datacontenttype !== undefined && mediaTypeOf(attrs.datacontenttype).kind === "json") {
    const inner = parseJson(data);
    if (!inner.ok) return inner;
    data = inner.value;
  }
  return draftOf(attrs, data);
}

function draftOf(attrs: Record<string, string>, data: unknown): CloudEventOutcome {
  for (const name of REQUIRED) {
    if (typeof attrs[name] !== "string" || attrs[name] === "") {
      return { ok: false, status: 400, reason: `the CloudEvent has no ${name} (required: ${REQUIRED.join(", ")})` };
    }
  }
  if (attrs.specversion !== "1.0") {
    return {
      ok: false,
      status: 400,
      reason: `CloudEvents specversion ${JSON.stringify(attrs.specversion!.slice(0, 20))} is not supported: send 1.0`,
    };
  }
  const extensions = Object.keys(attrs).length;
  if (extensions > MAX_EXTENSIONS)
    return { ok: false, status: 400, reason: `the CloudEvent has ${extensions} attributes; at most ${MAX_EXTENSIONS} are accepted` };
  const source = attrs.source!;
  const id = attrs.id!;
  const resource: Record<string, string> = {};
  define(resource, RESOURCE_ID, `cloudevents.source.${source}`);
  for (const name of Object.keys(attrs).sort()) define(resource, `cloudevents.${name}`, attrs[name]!);
  const draft: Record<string, unknown> = {
    // the same CloudEvent delivered twice (or through two webhooks) is the same event
    id: uuidv5(`${source}\n${id}`),
    event: attrs.type,
    resource,
    payload: isPlainObject(data) ? data : data === undefined || data === null ? {} : { data },
  };
  if (attrs.time !== undefined) draft.occurred = attrs.time;
  return { ok: true, draft, ceId: id, ceSource: source };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Binary-mode header values are percent-encoded (CloudEvents HTTP binding §3.1.3.2). */
function percentDecode(value: string): string | null {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
