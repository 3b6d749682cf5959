/**
 * complete / retry / dead-letter an action the caller claimed, and release claims on shutdown.
 *
 * The claim rule: a finishing call succeeds while the row is still pending and `locked_by` is the caller.
 * It does NOT also require `locked_until > now`: an expired claim that no one took over is still the caller's
 * (finishing it is better than running the action again). It is lost when another instance claimed the row
 * after it expired (locked_by changed: that instance runs it), or it was released; then the call changes
 * nothing, stores no event and returns false. Instance names must be unique per process. Each finishing call
 * records the attempt (when given) in its transaction: a lost claim records nothing.
 */
import type { AttemptRecord, IngestItem, StoredEvent } from "../server-types.js";
import { prepared, type Db } from "./db.js";
import { ingestWith } from "./ingest.js";
import { attemptParams, recordAttempt, RETRY_RECORDED, trimAttempts } from "./record-attempt.js";
import { safeJson, tsParam } from "./values.js";

const COMPLETE = prepared(
  "complete_action",
  `
UPDATE outbox
SET status = 'done', result = $3::json, locked_by = NULL, locked_until = NULL, updated_at = now()
WHERE id = $1 AND status = 'pending' AND locked_by = $2`,
);

/** a failed attempt: counted, scheduled again, claim released */
const RETRY = prepared(
  "retry_action",
  `
UPDATE outbox
SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4::json,
    locked_by = NULL, locked_until = NULL, updated_at = now()
WHERE id = $1 AND status = 'pending' AND locked_by = $2`,
);

/** the last failed attempt: counted, terminal */
const DEAD_LETTER = prepared(
  "dead_letter_action",
  `
UPDATE outbox
SET status = 'dead', attempts = attempts + 1, last_error = $3::json,
    locked_by = NULL, locked_until = NULL, updated_at = now()
WHERE id = $1 AND status = 'pending' AND locked_by = $2`,
);

/** graceful shutdown: the rows become claimable at once by anyone (next_attempt_at is unchanged) */
const RELEASE = `
UPDATE outbox
SET locked_by = NULL, locked_until = NULL, updated_at = now()
WHERE locked_by = $1 AND status = 'pending'`;

function errorJson(error: { code: string; reason: string }): string {
  return JSON.stringify({ code: String(error?.code ?? ""), reason: String(error?.reason ?? "") });
}

/** `onStored`: the events stored, after the commit (see afterCommit) */
export async function completeAction(
  db: Db,
  id: string,
  instance: string,
  result: unknown,
  events: IngestItem[],
  attempt?: AttemptRecord,
  onStored?: (events: StoredEvent[]) => void,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(COMPLETE, [id, instance, safeJson(result)]);
    if (rowCount === 0) return false;
    if (attempt) await recordAttempt(tx, id, attempt);
    if (events.length > 0) await ingestWith(tx, events, undefined, onStored);
    return true;
  });
}

export async function retryAction(
  db: Db,
  id: string,
  instance: string,
  retryAt: number,
  error: { code: string; reason: string },
  attempt?: AttemptRecord,
): Promise<boolean> {
  const params = [id, instance, tsParam(retryAt), errorJson(error)];
  if (!attempt) return (await db.query(RETRY, params)).rowCount > 0;
  const { rows } = await db.query<{ n: number }>(RETRY_RECORDED, [...params, ...attemptParams(attempt), safeJson(attempt.calls)]);
  if (rows[0]?.n !== 1) return false;
  await trimAttempts(db, id, attempt.attempt);
  return true;
}

export async function deadLetterAction(
  db: Db,
  id: string,
  instance: string,
  error: { code: string; reason: string },
  events: IngestItem[],
  attempt?: AttemptRecord,
  onStored?: (events: StoredEvent[]) => void,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query(DEAD_LETTER, [id, instance, errorJson(error)]);
    if (rowCount === 0) return false;
    if (attempt) await recordAttempt(tx, id, attempt);
    if (events.length > 0) await ingestWith(tx, events, undefined, onStored);
    return true;
  });
}

export async function releaseClaims(db: Db, instance: string): Promise<number> {
  return (await db.query(RELEASE, [instance])).rowCount;
}
