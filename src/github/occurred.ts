/**
 * `occurred` of a GitHub event, deterministically (no clock):
 * 1. the latest of the payload's own timestamps for what happened: the subject object's `completed_at`,
 *    `updated_at`, `submitted_at`, `published_at`, `closed_at`, `merged_at`, `created_at`, `started_at`, ...
 *    (unless the subject is mere context, see kinds.ts), plus top-level times such as `starred_at`,
 *    `effective_date`, `since`; for push the repository's `pushed_at` and `head_commit.timestamp`;
 * 2. else `received` (the time the delivery was received, given by the caller);
 * 3. else the latest `pushed_at` / `updated_at` of the repository (the event cannot be older than that);
 * 4. else the Unix epoch, 1970-01-01T00:00:00.000Z.
 * Numbers are read as Unix seconds (as in push payloads), or milliseconds when too large to be seconds.
 * Unparseable values are ignored.
 */
import { isoOf, parseIsoTime } from "../events/event-schema.js";
import type { PrimaryObject } from "./kinds.js";
import { field, objectAt, type JsonObject } from "./read.js";

const OBJECT_TIMES = [
  "completed_at",
  "updated_at",
  "submitted_at",
  "published_at",
  "closed_at",
  "merged_at",
  "created_at",
  "started_at",
  "run_started_at",
  "fixed_at",
  "dismissed_at",
  "withdrawn_at",
  "archived_at",
];
const PAYLOAD_TIMES = ["starred_at", "effective_date", "since"];
export const EPOCH_FALLBACK = "1970-01-01T00:00:00.000Z";
/** years 0001..9999 in ms: what an ISO string can say */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

export function timeOf(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === "string") ms = parseIsoTime(value);
  else if (typeof value === "number" && Number.isFinite(value)) ms = Math.abs(value) < 1e11 ? value * 1000 : value;
  else return undefined;
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? ms : undefined;
}

function latest(values: unknown[]): number | undefined {
  let best: number | undefined;
  for (const v of values) {
    const t = timeOf(v);
    if (t !== undefined && (best === undefined || t > best)) best = t;
  }
  return best;
}

export function occurredOf(name: string, payload: JsonObject, found: PrimaryObject, received: unknown): string {
  const candidates: unknown[] = [];
  if (found.dates && found.object !== undefined) for (const k of OBJECT_TIMES) candidates.push(field(found.object, k));
  for (const k of PAYLOAD_TIMES) candidates.push(field(payload, k));
  if (name === "push") {
    candidates.push(field(objectAt(payload, "repository"), "pushed_at"));
    candidates.push(field(objectAt(payload, "head_commit"), "timestamp"));
  }
  const own = latest(candidates);
  if (own !== undefined) return isoOf(own);
  const rec = timeOf(typeof received === "string" ? received : undefined);
  if (rec !== undefined) return isoOf(rec);
  const repo = objectAt(payload, "repository");
  const ctx = latest([field(repo, "pushed_at"), field(repo, "updated_at")]);
  return ctx !== undefined ? isoOf(ctx) : EPOCH_FALLBACK;
}
