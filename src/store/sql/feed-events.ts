/**
 * The live feed's fallback read (bots/server/console/event-stream.ts): the events stored after a sequence that
 * this process has NOT already handed to its feeds. Ingest pushes what this process stores straight to the feed
 * after commit; this read only has to find the rest (events of the workers and of other instances), so the ones
 * already pushed are excluded in SQL (a hashed NOT IN) instead of being read, parsed and dropped.
 * And the resume of a reconnecting feed (`Last-Event-ID`): the events after its last one that pass its filter,
 * through the paged, filtered read of `GET /api/events` (listEvents), so a resume is bounded like a page.
 */
import type { EventQuery, StoredEvent } from "../server-types.js";
import type { Db } from "./db.js";
import { decodeCursor, encodeCursor } from "./event-cursor.js";
import { listEvents } from "./list-events.js";

const NEWEST = `SELECT max(seq) AS seq FROM events`;

/** $1 after seq, $2 JSON array of seqs to leave out, $3 limit */
const AFTER = `
SELECT seq, received, body::json AS body
FROM events
WHERE seq > $1::bigint
  AND seq NOT IN (SELECT json_array_elements_text($2::json)::bigint)
ORDER BY seq
LIMIT $3`;

/** the newest storage sequence, null for an empty store */
export async function newestEventSeq(db: Db): Promise<string | null> {
  const { rows } = await db.query<{ seq: string | null }>(NEWEST);
  return rows[0]?.seq ?? null;
}

/** up to `limit` events stored after `after` whose sequence is not in `skip`, oldest first */
export async function eventsAfterExcept(db: Db, after: string, skip: readonly string[], limit: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<{ seq: string; received: number; body: StoredEvent["event"] }>(AFTER, [
    after,
    JSON.stringify(skip),
    limit,
  ]);
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
