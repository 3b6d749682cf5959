/**
 * Retention (`ServerStore.prune`): the oldest rows go in batches, each statement short, so ingest and evaluation
 * never wait long behind it. Events are deleted oldest first (by `seq`: only the first `limit` rows are looked
 * at, so a table with nothing old costs one short index walk); an event still pending for some scope stays until
 * it was evaluated (pending rows point at their events with no foreign key since migration 003: this check is
 * what keeps them pointing at something). The related-resource index rows of the deleted events go in the same
 * transaction, found through the BRIN index on their seq range (migration 008; constants, so the planner sees the
 * range: a join on the range made it walk the whole primary key; 1,000 events of 1.2M index rows: 3.6 ms
 * PostgreSQL, 22 ms PGlite, against 62 / 129 ms unsummarized). Firings and finished outbox rows are few next to events: a scan with a limit.
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
)
RETURNING seq`;

/**
 * BRIN ranges are summarized by VACUUM (autovacuum on PostgreSQL; never on PGlite), and an unsummarized range
 * matches every search: summarize what ingest added since the last call first (each page once), and keep the
 * planner off a sequential scan (PGlite has no statistics to see that the range is small).
 */
const SUMMARIZE_RELATED = `SELECT brin_summarize_new_values('event_related_seq_brin')`;
const NO_SEQSCAN = `SET LOCAL enable_seqscan = off`;

/** $1, $2: the deleted events' lowest and highest seq (the BRIN index's range), $3 their seqs */
const PRUNE_RELATED = `
DELETE FROM event_related
WHERE seq >= $1::bigint AND seq <= $2::bigint AND seq = ANY($3::bigint[])`;

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
  const events = await db.transaction(async (tx) => {
    const seqs = (await tx.query<{ seq: string }>(PRUNE_EVENTS, params)).rows.map((r) => BigInt(r.seq));
    if (seqs.length === 0) return 0;
    const lo = seqs.reduce((a, b) => (b < a ? b : a));
    const hi = seqs.reduce((a, b) => (b > a ? b : a));
    await tx.query(SUMMARIZE_RELATED);
    await tx.query(NO_SEQSCAN);
    await tx.query(PRUNE_RELATED, [String(lo), String(hi), seqs.map(String)]);
    return seqs.length;
  });
  const firings = (await db.query(PRUNE_FIRINGS, params)).rowCount;
  const outbox = (await db.query(PRUNE_OUTBOX, params)).rowCount;
  return { events, firings, outbox };
}
