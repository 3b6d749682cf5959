/**
 * The keys an event adds to the related-resource index (migration 008): per related resource, the first 64 bits of
 * the MD5 of its id (text-safe: NUL and lone surrogates as U+FFFD, what the backfill's SQL computes the same way)
 * as a signed `bigint`, distinct, from the event's first RELATED_INDEX_MAX related resources. A bigint key, not the
 * text: with the origin left out, the index costs PGlite's ingest 1.06x CPU instead of 1.37x (bench/README.md), any
 * id length is one 8-byte key, and a collision only adds a candidate that listEvents' exact check drops.
 * Not indexed: the origin (role `origin`): every event has one, so it would be one row per event for an id
 * whose events are rarely rare; listEvents answers `hookline.origin.*` ids by scanning the bodies instead.
 * Bounded: the schema allows EVENT_LIMITS.relatedMax related resources, so a valid event is indexed whole; one
 * that skipped validation cannot add more rows than that.
 */
import { EVENT_LIMITS } from "../../events/event-schema.js";
import { digestHex } from "../../events/one-shot-hash.js";
import { RESOURCE_ID, RESOURCE_ROLE } from "../../events/labels.js";
import { ORIGIN_ROLE } from "../../events/origin.js";
import { textSafe } from "./values.js";

export const RELATED_INDEX_MAX = EVENT_LIMITS.relatedMax;

/** the index key of a related resource's id, a decimal int8 (SQL: `('x' || left(md5(id), 16))::bit(64)::bigint`) */
export function relatedKey(id: string): string {
  return BigInt.asIntN(64, BigInt(`0x${digestHex("md5", textSafe(id)).slice(0, 16)}`)).toString();
}

export function relatedKeys(related: unknown): string[] {
  if (!Array.isArray(related)) return [];
  const keys = new Set<string>();
  let taken = 0;
  for (const r of related as unknown[]) {
    if (taken >= RELATED_INDEX_MAX) break;
    if (typeof r !== "object" || r === null || Array.isArray(r)) continue;
    const resource = r as Record<string, unknown>;
    if (resource[RESOURCE_ROLE] === ORIGIN_ROLE) continue;
    taken++;
    const id = resource[RESOURCE_ID];
    if (typeof id === "string") keys.add(relatedKey(id));
  }
  return [...keys];
}
