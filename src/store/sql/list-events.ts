/**
 * listEvents: the events feed with filters and keyset paging by storage sequence.
 *
 * SQL narrows by what the indexes can answer exactly enough (name literal / prefix, resource id, time window,
 * the cursor); every candidate is then checked in JS against the full glob and resource id, so a glob SQL
 * cannot express still pages correctly: rows are read in seq order in chunks until the page is full, the feed
 * ends, or a scan budget is spent. In the last case the page is short but `next` is set: keep paging.
 * `related` (a related resource's id) reads the related-resource index (migration 008: `(key, seq)` rows written
 * at ingest) joined to the events, in seq order from the cursor, so a rare id costs its own rows, not a scan of
 * the table; JS checks the id exactly (the key is a hash). An origin's id (`hookline.origin.*`, on every event, not
 * indexed) is narrowed in SQL to the bodies that contain it as a JSON string (every stored body is hookline's own
 * JSON.stringify output, so the id appears exactly so when it is there), then checked in JS. `touching` (a
 * resource's timeline: the id as the primary resource or a related one) merges the resource index and the related
 * index, each read in seq order from the cursor.
 */
import { RESOURCE_ID } from "../../events/labels.js";
import { ORIGIN_ID_PREFIX } from "../../events/origin.js";
import type { HooklineEvent } from "../../events/event-schema.js";
import type { EventQuery, StoredEvent } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { decodeCursor, encodeCursor, type EventOrder } from "./event-cursor.js";
import { indexKey } from "./index-key.js";
import { nameFilterOf, nameMatches } from "./name-filter.js";
import { relatedKey } from "./related-keys.js";
import { tsParamOrNull } from "./values.js";

export const MAX_EVENTS_PAGE = 500;
export interface ScanLimits {
  /** rows read per SQL round when JS filters (default 500) */
  chunk: number;
  /** rows read at most for one page before answering a short page with a cursor (default 10,000) */
  scanBudget: number;
}

const DEFAULT_LIMITS: ScanLimits = { chunk: 500, scanBudget: 10_000 };

/** $1 cursor seq, $2 name =, $3 name LIKE, $4 resource id, $5 occurred >=, $6 occurred <, $7 limit; $8 below */
const FILTERS = `
  AND ($2::text IS NULL OR name = $2)
  AND ($3::text IS NULL OR name LIKE $3 ESCAPE '\\')
  AND ($4::text IS NULL OR resource_id = $4)
  AND ($5::timestamptz IS NULL OR occurred >= $5)
  AND ($6::timestamptz IS NULL OR occurred < $6)`;

/** $8: text the body contains (an origin's id as a JSON string) */
const PAGE_ASC = `
SELECT seq, received, body::json AS body
FROM events
WHERE ($1::bigint IS NULL OR seq > $1)${FILTERS}
  AND ($8::text IS NULL OR strpos(body, $8) > 0)
ORDER BY seq
LIMIT $7`;

const PAGE_DESC = `
SELECT seq, received, body::json AS body
FROM events
WHERE ($1::bigint IS NULL OR seq < $1)${FILTERS}
  AND ($8::text IS NULL OR strpos(body, $8) > 0)
ORDER BY seq DESC
LIMIT $7`;

/** $8: a related resource's key (related-keys.ts); the index gives the seqs in order, each joined to its event */
const RELATED_ASC = `
SELECT e.seq, e.received, e.body::json AS body
FROM event_related r
JOIN events e ON e.seq = r.seq
WHERE r.key = $8::bigint AND ($1::bigint IS NULL OR r.seq > $1)${FILTERS}
ORDER BY r.seq
LIMIT $7`;

const RELATED_DESC = `
SELECT e.seq, e.received, e.body::json AS body
FROM event_related r
JOIN events e ON e.seq = r.seq
WHERE r.key = $8::bigint AND ($1::bigint IS NULL OR r.seq < $1)${FILTERS}
ORDER BY r.seq DESC
LIMIT $7`;

/**
 * `touching` (a resource's timeline): the events whose primary resource is $9 (its index key) or with $8 (its
 * related key) among their related resources: each from its own index in seq order, at most $7 of each, merged
 */
const touching = (order: "ASC" | "DESC") => {
  const after = order === "ASC" ? ">" : "<";
  return `
SELECT seq, received, body::json AS body
FROM events
WHERE seq IN (
  (SELECT seq FROM events WHERE resource_id = $9 AND ($1::bigint IS NULL OR seq ${after} $1)${FILTERS} ORDER BY seq ${order} LIMIT $7)
  UNION
  (SELECT r.seq FROM event_related r JOIN events e ON e.seq = r.seq
   WHERE r.key = $8::bigint AND ($1::bigint IS NULL OR r.seq ${after} $1)${FILTERS} ORDER BY r.seq ${order} LIMIT $7)
)
ORDER BY seq ${order}
LIMIT $7`;
};

/** the page query by what answers the filters, in each order */
const PAGES: Record<"scan" | "related" | "touching", Record<EventOrder, string>> = {
  scan: { asc: PAGE_ASC, desc: PAGE_DESC },
  related: { asc: RELATED_ASC, desc: RELATED_DESC },
  touching: { asc: touching("ASC"), desc: touching("DESC") },
};

interface Row {
  seq: string;
  received: number;
  body: HooklineEvent;
}

function badQuery(message: string): SqlStoreError {
  return new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", message);
}

function timeOrNull(name: string, ms: number | undefined): string | null {
  if (ms === undefined) return null;
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    throw badQuery(`"${name}" must be a time in epoch ms (got ${ms})`);
  return tsParamOrNull(ms);
}

export async function listEvents(
  db: Db,
  query: EventQuery & { order?: EventOrder },
  { chunk, scanBudget }: ScanLimits = DEFAULT_LIMITS,
): Promise<{ events: StoredEvent[]; next: string | null }> {
  const limit = query.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS_PAGE)
    throw badQuery(`limit must be an integer from 1 to ${MAX_EVENTS_PAGE} (got ${limit})`);
  const order: EventOrder = query.order ?? "asc";
  if (order !== "asc" && order !== "desc") throw badQuery(`order must be "asc" or "desc" (got ${String(order)})`);
  let cursor: string | null = query.after === undefined || query.after === null ? null : decodeCursor(query.after, order);
  const name = query.name === undefined || query.name === "" ? undefined : query.name;
  const filter = name === undefined ? null : nameFilterOf(name);
  const resource = query.resource === undefined ? undefined : String(query.resource);
  const since = timeOrNull("since", query.since);
  const until = timeOrNull("until", query.until);

  const related = query.related === undefined || query.related === "" ? undefined : String(query.related);
  const touches = query.touching === undefined || query.touching === "" ? undefined : String(query.touching);
  const isRelated = (e: HooklineEvent, id: string) => Array.isArray(e.related) && e.related.some((r) => r?.[RESOURCE_ID] === id);
  const keep = (e: HooklineEvent) =>
    (name === undefined || nameMatches(name, e.event)) &&
    (resource === undefined || e.resource?.[RESOURCE_ID] === resource) &&
    (related === undefined || isRelated(e, related)) &&
    (touches === undefined || e.resource?.[RESOURCE_ID] === touches || isRelated(e, touches));
  // one id the related index answers: `related`, else `touching` (both given: `related` reads the index, JS the rest)
  const byIndex = related ?? touches;
  const indexed = byIndex !== undefined && !byIndex.startsWith(ORIGIN_ID_PREFIX);
  const viaTouching = indexed && related === undefined;
  // an indexed key is all but exact (a hash collision costs a round, not chunks); a body scan, or `touching` next
  // to `related`, is not
  const inJs = filter?.kind === "js" || (byIndex !== undefined && !indexed) || (related !== undefined && touches !== undefined);

  const found: Row[] = [];
  let scanned = 0;
  for (;;) {
    const want = inJs ? chunk : limit + 1 - found.length;
    const { rows } = await db.query<Row>(PAGES[viaTouching ? "touching" : indexed ? "related" : "scan"][order], [
      cursor,
      filter?.kind === "equals" ? filter.value : null,
      filter?.kind === "like" ? filter.pattern : null,
      resource === undefined ? null : indexKey(resource),
      since,
      until,
      want,
      byIndex === undefined ? null : indexed ? relatedKey(byIndex) : JSON.stringify(byIndex),
      ...(viaTouching ? [indexKey(touches!)] : []),
    ]);
    for (const row of rows) {
      scanned++;
      cursor = row.seq;
      if (keep(row.body)) {
        found.push(row);
        if (found.length > limit) break;
      }
    }
    if (found.length > limit) {
      const page = found.slice(0, limit);
      return { events: page.map(toStored), next: encodeCursor(order, page[page.length - 1]!.seq) };
    }
    if (rows.length < want) return { events: found.map(toStored), next: null }; // the feed ends here
    if (scanned >= scanBudget) return { events: found.map(toStored), next: encodeCursor(order, cursor!) };
  }
}

function toStored(r: Row): StoredEvent {
  return { seq: r.seq, received: r.received, event: r.body };
}
