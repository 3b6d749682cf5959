/**
 * The events filters shared by `GET /api/events`, a resource's timeline and the live feed
 * (`GET /api/events/stream`): `name` (glob), `resource` (primary resource id), `related` (a related resource's
 * id), `since`/`until` (ISO, on `occurred`; since inclusive, until exclusive). `matches` is the same test in JS,
 * for the live feed.
 */
import { compilePattern, parseIsoTime, RESOURCE_ID, type HooklineEvent } from "../../../src/events/index.js";

export interface EventFilter {
  name?: string;
  resource?: string;
  related?: string;
  since?: number;
  until?: number;
}

export const FILTER_PARAMS = ["name", "resource", "related", "since", "until"] as const;

/** the filters in `q`, or a message naming the bad one; parameters outside `allowed` are refused */
export function parseEventFilter(q: URLSearchParams, allowed: readonly string[]): { filter: EventFilter } | { error: string } {
  for (const key of q.keys()) {
    if (!allowed.includes(key)) return { error: `unknown parameter ${JSON.stringify(key.slice(0, 40))}: use ${allowed.join(", ")}` };
  }
  const filter: EventFilter = {};
  for (const key of ["name", "resource", "related"] as const) {
    const v = q.get(key);
    if (v === null || v === "") continue;
    if (v.length > 1024) return { error: `${key} is longer than 1024 characters` };
    filter[key] = v;
  }
  if (filter.name !== undefined) {
    try {
      compilePattern(filter.name);
    } catch (err) {
      return { error: `name is not a valid glob: ${(err as Error).message}` };
    }
  }
  for (const key of ["since", "until"] as const) {
    const v = q.get(key);
    if (v === null || v === "") continue;
    const ms = parseIsoTime(v);
    if (Number.isNaN(ms)) return { error: `${key} must be an ISO-8601 time, e.g. 2026-01-01T00:00:00Z` };
    filter[key] = ms;
  }
  return { filter };
}

/** does a stored event pass the filter (the live feed's test; the store applies the same ones in SQL/JS) */
export function eventFilterTest(f: EventFilter): (e: HooklineEvent) => boolean {
  const glob = f.name === undefined ? null : compilePattern(f.name);
  return (e) => {
    if (glob && !glob.test(e.event)) return false;
    if (f.resource !== undefined && e.resource[RESOURCE_ID] !== f.resource) return false;
    if (f.related !== undefined && !e.related.some((r) => r[RESOURCE_ID] === f.related)) return false;
    if (f.since !== undefined || f.until !== undefined) {
      const t = parseIsoTime(e.occurred);
      if (f.since !== undefined && t < f.since) return false;
      if (f.until !== undefined && t >= f.until) return false;
    }
    return true;
  };
}
