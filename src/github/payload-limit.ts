/**
 * Keeps a translated event under the 1.5 MB limit of SEMANTICS.md §1. When the whole event would be larger,
 * the biggest payload fields are dropped, biggest first, until it fits, and their dotted paths are listed in
 * `payload._truncated` (e.g. `["commits", "pull_request.body"]`). Candidates are the top-level fields that are
 * not objects and the fields one level inside top-level objects, so `payload.pull_request` keeps its small
 * identifying fields when only its body is huge. If that is still not enough, every top-level field goes.
 */
import { EVENT_LIMITS } from "../events/event-schema.js";
import { isObject, type JsonObject } from "./read.js";

export const TRUNCATED_KEY = "_truncated";
/** headroom for the `_truncated` list itself and rounding */
const RESERVE = 4096;

function bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function sizeOf(value: unknown): number {
  return bytes(JSON.stringify(value) ?? "null");
}

interface Candidate {
  path: [string] | [string, string];
  size: number;
}

/** the UTF-8 size of `text` when it may exceed `limit`; a cheap bound (3 bytes per UTF-16 unit) otherwise */
function boundedBytes(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : bytes(text);
}

export function fitPayload<T extends { payload: JsonObject }>(event: T, limit: number = EVENT_LIMITS.serializedMaxBytes): T {
  return fitSerialized(event, limit).event;
}

/**
 * `fitPayload`, also handing back the JSON text of the event it returns (serialized once for the size check,
 * so callers need not serialize it again: `validateEvent(event, text)`).
 */
export function fitSerialized<T extends { payload: JsonObject }>(
  event: T,
  limit: number = EVENT_LIMITS.serializedMaxBytes,
  payloadText?: string,
): { event: T; text: string } {
  const text = payloadText === undefined ? (JSON.stringify(event) ?? "null") : withPayloadText(event, payloadText);
  if (boundedBytes(text, limit) <= limit) return { event, text };
  const fitted = shrink(event, bytes(text), limit);
  return { event: fitted, text: JSON.stringify(fitted) ?? "null" };
}

/**
 * The JSON text of `event` with `payloadText` (a JSON text that parses to `event.payload`, e.g. the verified
 * delivery body it was parsed from) in place of serializing the payload again: the same keys in the same order as
 * `JSON.stringify(event)`, and a text that parses to an equal event (the payload's own spacing and escapes may
 * differ). Saves re-serializing a 20 KB GitHub payload per delivery.
 */
export function withPayloadText(event: { payload: JsonObject }, payloadText: string): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === "payload") parts.push(`"payload":${payloadText}`);
    else if (value !== undefined && typeof value !== "function" && typeof value !== "symbol")
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  // the braces go into the parts so that join() makes the whole text: a flat string. `{${…}}` would be a rope
  // (V8 ConsString), and every later reader of it (Buffer.byteLength and write in the PostgreSQL client, per
  // delivery) would miss its flat-string fast path and walk ~20 KB character by character.
  if (parts.length === 0) return "{}";
  parts[0] = `{${parts[0]}`;
  parts[parts.length - 1] += "}";
  return parts.join(",");
}

function shrink<T extends { payload: JsonObject }>(event: T, total: number, limit: number): T {
  const payload: JsonObject = { ...event.payload };
  const candidates: Candidate[] = [];
  for (const k of Object.keys(payload)) {
    const v = payload[k];
    if (isObject(v) && Object.keys(v).length > 0) {
      for (const k2 of Object.keys(v)) candidates.push({ path: [k, k2], size: sizeOf(v[k2]) + bytes(k2) + 4 });
    } else {
      candidates.push({ path: [k], size: sizeOf(v) + bytes(k) + 4 });
    }
  }
  candidates.sort((a, b) => b.size - a.size);
  const truncated: string[] = [];
  let excess = total - limit + RESERVE;
  for (const c of candidates) {
    if (excess <= 0) break;
    const [k, k2] = c.path;
    if (k2 === undefined) {
      delete payload[k];
    } else {
      const copy = { ...(payload[k] as JsonObject) };
      delete copy[k2];
      payload[k] = copy;
    }
    const label = c.path.join(".");
    truncated.push(label);
    excess -= c.size - (bytes(label) + 3);
  }
  let fitted = { ...event, payload: { ...payload, [TRUNCATED_KEY]: truncated } };
  if (sizeOf(fitted) > limit) {
    fitted = { ...event, payload: { [TRUNCATED_KEY]: Object.keys(event.payload) } };
  }
  return fitted;
}
