/**
 * claimActions: take up to `limit` due outbox rows for `lockMs`.
 *
 * A row is claimable when it is pending, due (next_attempt_at <= now) and has no live claim
 * (locked_until IS NULL or <= now: the claim of a crashed or stalled instance has expired). FOR UPDATE SKIP
 * LOCKED makes concurrent claimers pass over each other's rows; a row claimed and committed by another
 * instance meanwhile is re-checked against the WHERE clause (READ COMMITTED) and dropped, so two instances
 * never hold the same row.
 */
import type { OutboxRow } from "../server-types.js";
import { prepared, type Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { OUTBOX_COLUMNS, toOutboxRow, type OutboxDbRow } from "./outbox-rows.js";
import { tsParam } from "./values.js";

const CLAIM = prepared(
  "claim_actions",
  `
WITH due AS (
  SELECT id
  FROM outbox
  WHERE status = 'pending'
    AND next_attempt_at <= $2
    AND (locked_until IS NULL OR locked_until <= $2)
  ORDER BY next_attempt_at, id
  LIMIT $3
  FOR UPDATE SKIP LOCKED
)
UPDATE outbox o
SET locked_by = $1, locked_until = $4, updated_at = now()
FROM due
WHERE o.id = due.id
RETURNING ${OUTBOX_COLUMNS.split(", ")
    .map((c) => `o.${c}`)
    .join(", ")}`,
);

export async function claimActions(db: Db, instance: string, now: number, limit: number, lockMs: number): Promise<OutboxRow[]> {
  if (!instance) throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", "claimActions: the instance name must not be empty");
  if (!(lockMs > 0)) throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", `claimActions: lockMs must be > 0 (got ${lockMs})`);
  const n = Math.floor(limit);
  if (!(n >= 1)) return [];
  const { rows } = await db.query<OutboxDbRow>(CLAIM, [instance, tsParam(now), n, tsParam(now + lockMs)]);
  rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map(toOutboxRow);
}
