/**
 * Retention (`ServerStore.prune`): the oldest rows go in batches, each statement short, so ingest and evaluation
 * never wait long behind it. Events are deleted oldest first (by `seq`: only the first `limit` rows are looked
 * at, so a table with nothing old costs one short index walk); an event still pending for some scope stays until
 * it was evaluated (pending rows point at their events with no foreign key since migration 003: this check is
 * what keeps them pointing at something). Firings and finished outbox rows are few next to events: a scan with a limit.
 */
import type { PruneResult } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { tsParam } from "./values.js";

const PRUNE_EVENTS = `
DELETE FROM events
WHERE seq IN (
  SELECT o.seq
  FROM (SELECT seq, received FROM events ORDER BY seq LIMIT $2) o
  WHERE o.received < $1
    AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.seq = o.seq)
)`;

const PRUNE_FIRINGS = `
DELETE FROM firings
WHERE (scope, id) IN (SELECT scope, id FROM firings WHERE recorded < $1 LIMIT $2)`;

const PRUNE_OUTBOX = `
DELETE FROM outbox
WHERE id IN (SELECT id FROM outbox WHERE status IN ('done', 'dead') AND updated_at < $1 LIMIT $2)`;

export async function pruneWith(db: Db, before: number, limit: number): Promise<PruneResult> {
  if (!Number.isInteger(limit) || limit < 1 || !Number.isFinite(before)) {
    throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", `prune: before must be a time and limit an integer >= 1 (got ${before}, ${limit})`);
  }
  const params = [tsParam(before), limit];
  const events = (await db.query(PRUNE_EVENTS, params)).rowCount;
  const firings = (await db.query(PRUNE_FIRINGS, params)).rowCount;
  const outbox = (await db.query(PRUNE_OUTBOX, params)).rowCount;
  return { events, firings, outbox };
}
