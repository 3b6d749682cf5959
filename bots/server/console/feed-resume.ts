/**
 * What a reconnecting live feed missed (`Last-Event-ID`, bots/server/console/event-stream.ts): the events after
 * its last one that pass its filter, read from the store through the paged, filtered read of `GET /api/events`.
 * Bounded, like a page: at most `max` events in at most RESUME_READS reads; past that (or for an id that is no
 * storage sequence, or a failed read) the answer is "resync" and the page reloads its first page instead.
 */
import type { StoredEvent } from "../../../src/store/server-types.js";
import { isStorageSeq } from "../../../src/store/sql/event-cursor.js";
import type { EventFilter } from "../http/event-query.js";
import type { Logger } from "../work/types.js";

/** events a resuming feed is sent from the store at most; past it, a resync message */
export const RESUME_MAX = 2000;
/** store reads per resume at most (each one page of at most 500, with the page's scan budget) */
const RESUME_READS = 8;
const PAGE = 500;

export type ReadMatching = (filter: EventFilter, after: string, limit: number) => Promise<{ events: StoredEvent[]; next: string | null }>;

/** the events after `last` that pass `filter`, oldest first; null: too many, or `last` is no storage sequence */
export async function readMissed(
  read: ReadMatching | null,
  filter: EventFilter,
  last: string,
  max: number,
  log: Logger,
): Promise<StoredEvent[] | null> {
  if (!read || !isStorageSeq(last)) return null;
  const found: StoredEvent[] = [];
  let after: string | null = last;
  try {
    for (let i = 0; i < RESUME_READS && after !== null && found.length <= max; i++) {
      const page = await read(filter, after, Math.min(PAGE, max + 1 - found.length));
      found.push(...page.events);
      after = page.next;
    }
  } catch (err) {
    log.warn({ err: (err as Error).message }, "live feed resume failed: the page resyncs");
    return null;
  }
  return after === null && found.length <= max ? found : null;
}
