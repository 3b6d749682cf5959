/**
 * Records one finished attempt of an outbox action (`outbox_attempts`, migration 007) inside the transaction that
 * finishes it, then drops the action's attempts older than the last ATTEMPTS_KEPT: a delivery redelivered again
 * and again keeps a bounded log. Another instance's late write of the same attempt number changes nothing.
 */
import type { AttemptRecord } from "../server-types.js";
import { prepared, type Db } from "./db.js";
import { safeJson, tsParam } from "./values.js";

/** attempts kept per action (the newest) */
export const ATTEMPTS_KEPT = 20;

const INSERT = prepared(
  "record_attempt",
  `
INSERT INTO outbox_attempts (outbox_id, attempt, started_at, finished_at, duration_ms, outcome, error, calls)
VALUES ($1, $2, $3, $4, $5, $6, $7::json, $8::json)
ON CONFLICT (outbox_id, attempt) DO NOTHING`,
);

/**
 * A failed attempt counted and recorded in ONE statement (data-modifying CTEs run in one snapshot, atomically):
 * a retry is the common path and a transaction around two statements cost it 2.6x the CPU on PGlite. $1..$4 as
 * finish-action's RETRY, then the attempt's $5..$10; `n` = 1 when the claim held.
 */
export const RETRY_RECORDED = prepared(
  "retry_action_recorded",
  `
WITH u AS (
  UPDATE outbox
  SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4::json,
      locked_by = NULL, locked_until = NULL, updated_at = now()
  WHERE id = $1 AND status = 'pending' AND locked_by = $2
  RETURNING id
), i AS (
  INSERT INTO outbox_attempts (outbox_id, attempt, started_at, finished_at, duration_ms, outcome, error, calls)
  SELECT id, $5::int, $6::timestamptz, $7::timestamptz, $8::int, $9::text, $4::json, $10::json FROM u
  ON CONFLICT (outbox_id, attempt) DO NOTHING
)
SELECT count(*)::int AS n FROM u`,
);

const TRIM = prepared("trim_attempts", `DELETE FROM outbox_attempts WHERE outbox_id = $1 AND attempt <= $2`);

/** the attempt's columns after the outbox id: attempt, started, finished, duration, outcome */
export function attemptParams(a: AttemptRecord): unknown[] {
  return [
    a.attempt,
    tsParam(a.startedAt),
    tsParam(a.finishedAt),
    Math.max(0, Math.min(2_147_483_647, Math.round(a.durationMs))),
    a.outcome,
  ];
}

export async function recordAttempt(tx: Db, id: string, a: AttemptRecord): Promise<void> {
  const error = a.error === null ? null : safeJson({ code: String(a.error.code), reason: String(a.error.reason) });
  await tx.query(INSERT, [id, ...attemptParams(a), error, safeJson(a.calls)]);
  await trimAttempts(tx, id, a.attempt);
}

/** drops what is older than the last ATTEMPTS_KEPT (a statement only once there are more) */
export async function trimAttempts(db: Db, id: string, attempt: number): Promise<void> {
  if (attempt > ATTEMPTS_KEPT) await db.query(TRIM, [id, attempt - ATTEMPTS_KEPT]);
}
