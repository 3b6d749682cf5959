/**
 * Retention (`ServerStore.prune`): the oldest rows go in batches, each statement short, so ingest and evaluation
 * never wait long behind it. Events are deleted oldest first (by `seq`: only the first `limit` rows are looked
 * at, so a table with nothing old costs one short index walk); an event still pending for some scope stays until
 * it was evaluated (pending rows point at their events with no foreign key since migration 003: this check is
 * what keeps them pointing at something). The related-resource index rows of the deleted events go in the same
 * statement, found by their seq range through the BRIN index (migration 008); the range also takes any row whose
 * event is gone. Firings and finished outbox rows are few next to events: a scan with a limit.
 */
import type { PruneResult } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { tsParam } from "./values.js";

const PRUNE_EVENTS = `
WITH gone AS (
  DELETE FROM events
  WHERE seq IN (
    SELECT o.seq
    FROM (SELECT seq, received FROM events ORDER BY seq LIMIT $2) o
    WHERE o.received < $1
      AND NOT EXISTS (SELECT 1 FROM pending p WHERE p.seq = o.seq)
  )
  RETURNING seq
),
span AS (SELECT min(seq) AS lo, max(seq) AS hi FROM gone),
unindexed AS (
  DELETE FROM event_related r
  USING span
  WHERE r.seq >= span.lo AND r.seq <= span.hi
    AND (r.seq IN (SELECT seq FROM gone) OR NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = r.seq))
)
SELECT count(*)::int AS n FROM gone`;

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
  const events = (await db.query<{ n: number }>(PRUNE_EVENTS, params)).rows[0]!.n;
  const firings = (await db.query(PRUNE_FIRINGS, params)).rowCount;
  const outbox = (await db.query(PRUNE_OUTBOX, params)).rowCount;
  return { events, firings, outbox };
}
