/**
 * The live feed's fallback read (bots/server/console/event-stream.ts): the events in a few ranges of storage
 * sequences, the gaps between what this process has already handed to its feeds. Ingest pushes what this process
 * stores straight to the feed after commit; this read only has to find the rest (events of other instances), so
 * it reads only the gaps: one index range scan of `seq` per range (LATERAL, each stopped at the limit), never
 * the pushed rows in between; with nothing foreign stored, a few index probes that find nothing.
 * And the resume of a reconnecting feed (`Last-Event-ID`): the events after its last one that pass its filter,
 * through the paged, filtered read of `GET /api/events` (listEvents), so a resume is bounded like a page.
 */
import type { EventQuery, StoredEvent } from "../server-types.js";
import type { Db } from "./db.js";
import { decodeCursor, encodeCursor } from "./event-cursor.js";
import { listEvents } from "./list-events.js";

const NEWEST = `SELECT max(seq) AS seq FROM events`;

/** $1 JSON array of [lo, hi] (closed; strings, hi null: no upper end), $2 limit */
const IN_RANGES = `
SELECT e.seq, e.received, e.body::json AS body
FROM json_array_elements($1::json) AS r
CROSS JOIN LATERAL (
  SELECT seq, received, body
  FROM events
  WHERE seq >= (r->>0)::bigint AND seq <= coalesce((r->>1)::bigint, 9223372036854775807)
  ORDER BY seq
  LIMIT $2
) AS e
ORDER BY e.seq
LIMIT $2`;

/** the newest storage sequence, null for an empty store */
export async function newestEventSeq(db: Db): Promise<string | null> {
  const { rows } = await db.query<{ seq: string | null }>(NEWEST);
  return rows[0]?.seq ?? null;
}

/** up to `limit` events whose storage sequence lies in one of `ranges` (closed, `hi` null: no upper end), oldest first */
export async function eventsInRanges(db: Db, ranges: readonly { lo: bigint; hi: bigint | null }[], limit: number): Promise<StoredEvent[]> {
  if (ranges.length === 0) return [];
  const pairs = ranges.map((r) => [String(r.lo), r.hi === null ? null : String(r.hi)]);
  const { rows } = await db.query<{ seq: string; received: number; body: StoredEvent["event"] }>(IN_RANGES, [JSON.stringify(pairs), limit]);
  return rows.map((r) => ({ seq: r.seq, received: r.received, event: r.body }));
}

/**
 * up to `limit` (1..500) events stored after `after` that pass `filter`, oldest first; `next`: the sequence to
 * read on from when there may be more (a full page, or the scan budget of one page spent), else null
 */
export async function matchingEventsAfter(
  db: Db,
  filter: Omit<EventQuery, "limit" | "after">,
  after: string,
  limit: number,
): Promise<{ events: StoredEvent[]; next: string | null }> {
  const page = await listEvents(db, { ...filter, order: "asc", after: encodeCursor("asc", after), limit });
  return { events: page.events, next: page.next === null ? null : decodeCursor(page.next, "asc") };
}
