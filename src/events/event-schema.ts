import { z } from "zod";
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
/** `<namespace>.<resource-kind>.<verb-or-state>`: three or more non-empty dotted segments, no whitespace */
const EVENT_NAME_RE = /^[^\s.]+(\.[^\s.]+){2,}$/;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Parses ISO-8601; a time without a zone is read as UTC. Returns epoch ms or NaN. */
export function parseIsoTime(text: string): number {
  const m = ISO_RE.exec(text);
  if (!m) return Number.NaN;
  const zone = m[8];
  const frac = m[7] ? m[7].slice(0, 4) : "";
  const normalized = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${frac}${
    zone === undefined ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase()
  }`;
  const ms = Date.parse(normalized);
  // reject impossible dates that Date.parse rolls over (e.g. 2024-02-31)
  if (Number.isNaN(ms)) return ms;
  const day = Number(m[3]);
  if (day > 31 || Number(m[2]) > 12 || Number(m[4]) > 23 || Number(m[5]) > 59) return Number.NaN;
  return ms;
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

const relatedSchema = resourceSchema.refine(
  (r) => typeof r[RESOURCE_ROLE] === "string" && r[RESOURCE_ROLE].length > 0,
  { message: `related resources must hold a non-empty "${RESOURCE_ROLE}"` },
);

const uuid = z.string().regex(UUID_RE, "must be a UUID (8-4-4-4-12 hex digits)");

export const eventSchema = z.object({
  id: uuid,
  occurred: z
    .string()
    .refine((s) => !Number.isNaN(parseIsoTime(s)), "must be an ISO-8601 date-time, e.g. 2024-05-01T12:00:00Z"),
  event: z
    .string()
    .min(1, "must not be empty")
    .max(EVENT_LIMITS.nameMaxLength, `must be at most ${EVENT_LIMITS.nameMaxLength} characters`)
    .regex(EVENT_NAME_RE, "must be dotted: <namespace>.<resource-kind>.<verb-or-state>, e.g. github.push.created"),
  resource: resourceSchema,
  related: z.array(relatedSchema).max(EVENT_LIMITS.relatedMax, `must hold at most ${EVENT_LIMITS.relatedMax} resources`).default([]),
  payload: z.record(z.string(), z.unknown()).default({}),
  follows: uuid.nullable().default(null),
  received: z.string().optional(),
});

export type EventInput = z.input<typeof eventSchema>;

export class EventValidationError extends Error {
  readonly code = "HOOKLINE_INVALID_EVENT";
  constructor(readonly issues: string[]) {
    super(`invalid event: ${issues.join("; ")}`);
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
  if (text === undefined) return { ok: false, errors: ["event is not JSON-serializable"] };
  const size = byteLength(text);
  if (size > EVENT_LIMITS.serializedMaxBytes) {
    return {
      ok: false,
      errors: [`event is ${size} bytes serialized; the limit is ${EVENT_LIMITS.serializedMaxBytes} (1.5 MB): move large data out of the payload`],
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

function safeStringify(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}
