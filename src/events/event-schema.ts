import { HooklineError } from "../errors/hookline-error.js";
import { z } from "zod";
import { digitsAt } from "./digits.js";
import { RESOURCE_ID, RESOURCE_ROLE } from "./labels.js";

/** Limits of SEMANTICS.md §1. */
export const EVENT_LIMITS = {
  nameMaxLength: 1024,
  resourceMaxLabels: 500,
  relatedMax: 100,
  serializedMaxBytes: 1_500_000,
} as const;

export type Resource = Record<string, string>;

export interface HooklineEvent {
  id: string;
  /** canonical ISO-8601 UTC (`toISOString()`) */
  occurred: string;
  event: string;
  resource: Resource;
  related: Resource[];
  payload: Record<string, unknown>;
  follows: string | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The exact form `toISOString()` produces: already canonical, `Date.parse` reads it directly. */
/** UUID_RE by character codes (the fast path's two ids per event; the regex was 1.3 % of bench/engine's loop) */
function isUuidText(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

const CANONICAL_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function daysInMonth(year: number, month: number): number {
  // no array literal here: this runs for every event read (an allocation per call showed in bench/engine)
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ` (GitHub's times) and `YYYY-MM-DDTHH:MM:SS.sssZ` (`toISOString()`), read digit by digit:
 * the forms nearly every time hookline reads comes in. Epoch ms, NaN for an impossible date or time, undefined
 * for any other text (the general reader decides) and for years before 100, which Date.UTC would move.
 */
export function parseCommonIsoTime(text: string): number | undefined {
  const n = text.length;
  if (n !== 20 && n !== 24) return undefined;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(n - 1) !== 90
  )
    return undefined;
  const ms = n === 24 ? (text.charCodeAt(19) === 46 ? digitsAt(text, 20, 3) : -1) : 0;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (ms < 0 || year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * THE time reader (events, the engine, templates, the store): ISO-8601, a time without a zone read as UTC.
 * Returns epoch ms, or NaN for anything else (an impossible date like 2024-02-30, a non-string).
 */
export function parseIsoTime(text: string): number {
  if (typeof text !== "string") return Number.NaN;
  const common = parseCommonIsoTime(text);
  if (common !== undefined) return common;
  if (text.length === 24 && CANONICAL_RE.test(text)) {
    const day = Number(text.slice(8, 10));
    return day <= daysInMonth(Number(text.slice(0, 4)), Number(text.slice(5, 7))) ? Date.parse(text) : Number.NaN;
  }
  const m = ISO_RE.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || Number(m[6] ?? 0) > 59) {
    return Number.NaN;
  }
  const zone = m[8];
  const frac = m[7] ? m[7].slice(0, 4) : "";
  const normalized = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${frac}${
    zone === undefined ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase()
  }`;
  return Date.parse(normalized);
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

const labelValue = z.string({
  error: (iss) => (iss.input === null ? "label values must be strings, not null" : "label values must be strings"),
});

const resourceSchema = z
  .record(z.string(), labelValue)
  .refine((r) => typeof r[RESOURCE_ID] === "string" && r[RESOURCE_ID].length > 0, {
    message: `must hold a non-empty "${RESOURCE_ID}"`,
  })
  .refine((r) => Object.keys(r).length <= EVENT_LIMITS.resourceMaxLabels, {
    message: `has more than ${EVENT_LIMITS.resourceMaxLabels} labels`,
  });

const relatedSchema = resourceSchema.refine((r) => typeof r[RESOURCE_ROLE] === "string" && r[RESOURCE_ROLE].length > 0, {
  message: `related resources must hold a non-empty "${RESOURCE_ROLE}"`,
});

const uuid = z.string().regex(UUID_RE, "must be a UUID (8-4-4-4-12 hex digits)");

export const eventSchema = z.object({
  id: uuid,
  occurred: z.string().refine((s) => !Number.isNaN(parseIsoTime(s)), "must be an ISO-8601 date-time, e.g. 2024-05-01T12:00:00Z"),
  event: z
    .string()
    .min(1, "must not be empty")
    // any text, as in Prefect (SEMANTICS §1): `Summary`, `kickoff`, `Microsoft.Storage.BlobCreated`
    .max(EVENT_LIMITS.nameMaxLength, `must be at most ${EVENT_LIMITS.nameMaxLength} characters`),
  resource: resourceSchema,
  related: z.array(relatedSchema).max(EVENT_LIMITS.relatedMax, `must hold at most ${EVENT_LIMITS.relatedMax} resources`).default([]),
  payload: z.record(z.string(), z.unknown()).default({}),
  follows: uuid.nullable().default(null),
  received: z.string().optional(),
});

export type EventInput = z.input<typeof eventSchema>;

export class EventValidationError extends HooklineError {
  declare readonly code: "HOOKLINE_INVALID_EVENT";
  constructor(readonly issues: string[]) {
    super("HOOKLINE_INVALID_EVENT", `invalid event: ${issues.join("; ")}`);
  }
}

export type EventResult = { ok: true; event: HooklineEvent } | { ok: false; errors: string[] };

function byteLength(s: string): number {
  // cheap upper bound first: UTF-16 units × 3 bounds UTF-8 bytes
  if (s.length * 3 <= EVENT_LIMITS.serializedMaxBytes) return s.length;
  return new TextEncoder().encode(s).length;
}

/**
 * Validates and normalizes one event: ids lower-cased, `occurred` canonical UTC, defaults filled.
 * `serialized` may pass the JSON text the event came from, to check the size limit without re-serializing.
 */
export function validateEvent(input: unknown, serialized?: string): EventResult {
  const text = serialized ?? safeStringify(input);
  if (text !== undefined && byteLength(text) <= EVENT_LIMITS.serializedMaxBytes) {
    const fast = acceptWellFormed(input);
    if (fast !== null) return { ok: true, event: fast };
  }
  return validateSlowly(input, text);
}

/** zod: the complete check, with the messages users see. */
export function validateSlowly(input: unknown, text: string | undefined = safeStringify(input)): EventResult {
  if (text === undefined) return { ok: false, errors: ["event is not JSON-serializable"] };
  const size = byteLength(text);
  if (size > EVENT_LIMITS.serializedMaxBytes) {
    return {
      ok: false,
      errors: [
        `event is ${size} bytes serialized; the limit is ${EVENT_LIMITS.serializedMaxBytes} (1.5 MB): move large data out of the payload`,
      ],
    };
  }
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "event"}: ${i.message}`),
    };
  }
  const e = parsed.data;
  return {
    ok: true,
    event: {
      id: e.id.toLowerCase(),
      occurred: isoOf(parseIsoTime(e.occurred)),
      event: e.event,
      resource: e.resource,
      related: e.related,
      payload: e.payload,
      follows: e.follows === null ? null : e.follows.toLowerCase(),
    },
  };
}

export function parseEventOrThrow(input: unknown): HooklineEvent {
  const r = validateEvent(input);
  if (!r.ok) throw new EventValidationError(r.errors);
  return r.event;
}

/** the event's keys; a switch, not a Set: JSON.parse's keys are internalized, so these are pointer compares */
function isEventKey(k: string): boolean {
  switch (k) {
    case "id":
    case "occurred":
    case "event":
    case "resource":
    case "related":
    case "payload":
    case "follows":
    case "received":
      return true;
    default:
      return false;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Counts labels, or -1 when a value is not a string or a key is `__proto__` (zod drops that key: let it). */
function countStringLabels(r: Record<string, unknown>): number {
  let n = 0;
  for (const k in r) {
    if (typeof r[k] !== "string" || k === "__proto__") return -1;
    n++;
  }
  return n;
}

function isResource(r: unknown, needRole: boolean): r is Resource {
  if (!isPlainObject(r)) return false;
  const id = r[RESOURCE_ID];
  if (typeof id !== "string" || id.length === 0) return false;
  if (needRole) {
    const role = r[RESOURCE_ROLE];
    if (typeof role !== "string" || role.length === 0) return false;
  }
  const n = countStringLabels(r);
  return n >= 0 && n <= EVENT_LIMITS.resourceMaxLabels;
}

/**
 * The fast path of `validateEvent` (hot on ingest and in simulate): accepts an event that is already
 * well-formed without copying its resources or payload, and returns null for anything else, which then gets
 * zod's full check and messages. It must accept nothing that zod rejects (test/events pins the pairs).
 */
function acceptWellFormed(input: unknown): HooklineEvent | null {
  if (!isPlainObject(input)) return null;
  for (const k in input) if (!isEventKey(k)) return null; // zod strips unknown keys: let it
  const { id, occurred, event, resource, related, payload, follows, received } = input;
  if (typeof id !== "string" || !isUuidText(id)) return null;
  if (typeof occurred !== "string") return null;
  // the digit-by-digit reader accepting 24 characters means `toISOString()`'s exact form (CANONICAL_RE)
  const common = parseCommonIsoTime(occurred);
  const ms = common ?? parseIsoTime(occurred);
  if (Number.isNaN(ms)) return null;
  if (typeof event !== "string" || event.length === 0 || event.length > EVENT_LIMITS.nameMaxLength) return null;
  if (!isResource(resource, false)) return null;
  if (related !== undefined) {
    if (!Array.isArray(related) || related.length > EVENT_LIMITS.relatedMax) return null;
    for (const r of related) if (!isResource(r, true)) return null;
  }
  if (payload !== undefined && (!isPlainObject(payload) || Object.hasOwn(payload, "__proto__"))) return null;
  if (follows !== undefined && follows !== null && (typeof follows !== "string" || !isUuidText(follows))) return null;
  if (received !== undefined && typeof received !== "string") return null;
  return {
    id: id.toLowerCase(),
    occurred:
      occurred.length === 24 && (common !== undefined || (occurred.endsWith("Z") && CANONICAL_RE.test(occurred))) ? occurred : isoOf(ms),
    event,
    resource,
    related: (related as Resource[] | undefined) ?? [],
    payload: (payload as Record<string, unknown> | undefined) ?? {},
    follows: typeof follows === "string" ? follows.toLowerCase() : null,
  };
}

function safeStringify(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}
