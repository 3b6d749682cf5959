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

const TRIM = prepared("trim_attempts", `DELETE FROM outbox_attempts WHERE outbox_id = $1 AND attempt <= $2`);

export async function recordAttempt(tx: Db, id: string, a: AttemptRecord): Promise<void> {
  const duration = Math.max(0, Math.min(2_147_483_647, Math.round(a.durationMs)));
  await tx.query(INSERT, [
    id,
    a.attempt,
    tsParam(a.startedAt),
    tsParam(a.finishedAt),
    duration,
    a.outcome,
    a.error === null ? null : safeJson({ code: String(a.error.code), reason: String(a.error.reason) }),
    safeJson(a.calls),
  ]);
  if (a.attempt > ATTEMPTS_KEPT) await tx.query(TRIM, [id, a.attempt - ATTEMPTS_KEPT]);
}
