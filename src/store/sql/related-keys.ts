/**
 * The keys an event adds to the related-resource index (migration 008): `indexKey` of each related resource's id,
 * distinct, from its first RELATED_INDEX_MAX related resources. The schema allows EVENT_LIMITS.relatedMax related
 * resources and hookline appends the origin, so a valid event is indexed whole; an event that skipped validation
 * cannot add more rows than that (nor longer keys: indexKey cuts at INDEX_KEY_MAX).
 */
import { EVENT_LIMITS } from "../../events/event-schema.js";
import { RESOURCE_ID } from "../../events/labels.js";
import { indexKey } from "./index-key.js";

export const RELATED_INDEX_MAX = EVENT_LIMITS.relatedMax + 1;

export function relatedKeys(related: unknown): string[] {
  if (!Array.isArray(related)) return [];
  const keys = new Set<string>();
  const n = Math.min(related.length, RELATED_INDEX_MAX);
  for (let i = 0; i < n; i++) {
    const id: unknown = (related[i] as Record<string, unknown> | null)?.[RESOURCE_ID];
    if (typeof id === "string") keys.add(indexKey(id));
  }
  return [...keys];
}
