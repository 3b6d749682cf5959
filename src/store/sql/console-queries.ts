/**
 * The console's read questions and its one write (issue 16), beside the ServerStore port because only the
 * server's HTTP API asks them: one event by id with what it caused (the firings whose triggering event it is,
 * and their actions in the outbox), the outbox as a delivery log with keyset paging, and redelivery of a failed
 * or dead action (one more attempt, recorded as `hookline.action.redelivered` in the same transaction), and a
 * delivery's attempts (`outbox_attempts`, newest first).
 */
import type { HooklineEvent } from "../../events/event-schema.js";
import type { Firing } from "../../engine/types.js";
import type { AttemptRecord, IngestItem, OutboxItem, StoredEvent } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { afterCommit, ingestWith } from "./ingest.js";
import { tsParam } from "./values.js";

export type DeliveryState = "pending" | "running" | "failed" | "succeeded" | "dead";
export const DELIVERY_STATES: readonly DeliveryState[] = ["pending", "running", "failed", "succeeded", "dead"];

export interface Delivery {
  id: string;
  scope: string;
  state: DeliveryState;
  attempts: number;
  maxAttempts: number;
  invocation: OutboxItem["invocation"];
  /** epoch ms */
  createdAt: number;
  updatedAt: number;
  nextAttemptAt: number;
  lastError: { code: string; reason: string } | null;
  result: unknown;
}

export interface DeliveryQuery {
  state?: DeliveryState;
  scope?: string;
  automation?: string;
  limit: number;
  /** opaque cursor from the previous page */
  before?: string;
}

/** how far after an event its firings are looked for (a proactive firing names the last event it saw) */
export const CAUSED_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** actions per firing looked up (their keys are `<firing id>:<index>`) */
const MAX_ACTIONS = 50;

const EVENT_BY_ID = `SELECT seq, received, body::json AS body FROM events WHERE id = $1`;

/** firings at or after the event (reactive firings carry its time exactly), newest last */
const FIRINGS_AFTER = `
SELECT scope, body FROM firings
WHERE at >= $1 AND at < $2 AND body::json -> 'triggering_event' ->> 'id' = $3
ORDER BY at, seq
LIMIT 100`;

const COLUMNS = `id, scope, payload, status, attempts, max_attempts, next_attempt_at, created_at, updated_at, last_error, result,
  locked_until`;

const OUTBOX_BY_KEYS = `SELECT ${COLUMNS} FROM outbox WHERE id = ANY($1::text[]) ORDER BY created_at, id`;

/** $1 now; state / scope / automation filters; $5/$6 the cursor (created_at, id); $7 limit */
const DELIVERIES = `
SELECT ${COLUMNS} FROM outbox
WHERE ($2::text IS NULL OR CASE
        WHEN status = 'done' THEN 'succeeded'
        WHEN status = 'dead' THEN 'dead'
        WHEN locked_until > $1 THEN 'running'
        WHEN attempts > 0 THEN 'failed'
        ELSE 'pending' END = $2)
  AND ($3::text IS NULL OR scope = $3)
  AND ($4::text IS NULL OR payload -> 'automation' ->> 'name' = $4)
  AND ($5::timestamptz IS NULL OR (created_at, id) < ($5, $6))
ORDER BY created_at DESC, id DESC
LIMIT $7`;

/** a dead row, or a failed one waiting for its retry (not claimed now): one more attempt, due now */
const REDELIVER = `
UPDATE outbox
SET status = 'pending', max_attempts = GREATEST(max_attempts, attempts + 1), next_attempt_at = $2,
    locked_by = NULL, locked_until = NULL, updated_at = $2
WHERE id = $1 AND (status = 'dead' OR (status = 'pending' AND attempts > 0 AND (locked_until IS NULL OR locked_until <= $2)))
RETURNING ${COLUMNS}`;

const ATTEMPTS = `
SELECT attempt, started_at, finished_at, duration_ms, outcome, error, calls FROM outbox_attempts
WHERE outbox_id = $1 ORDER BY attempt DESC LIMIT 100`;

interface AttemptRow {
  attempt: number;
  started_at: number;
  finished_at: number;
  duration_ms: number;
  outcome: AttemptRecord["outcome"];
  error: AttemptRecord["error"];
  calls: unknown[];
}

interface Row {
  id: string;
  scope: string;
  payload: OutboxItem["invocation"];
  status: "pending" | "done" | "dead";
  attempts: number;
  max_attempts: number;
  next_attempt_at: number;
  created_at: number;
  updated_at: number;
  last_error: { code: string; reason: string } | null;
  result: unknown;
  locked_until: number | null;
}

function stateOf(r: Row, now: number): DeliveryState {
  if (r.status === "done") return "succeeded";
  if (r.status === "dead") return "dead";
  if (r.locked_until !== null && r.locked_until > now) return "running";
  return r.attempts > 0 ? "failed" : "pending";
}

function toDelivery(r: Row, now: number): Delivery {
  return {
    id: r.id,
    scope: r.scope,
    state: stateOf(r, now),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    invocation: r.payload,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    result: r.result,
  };
}

function badCursor(): SqlStoreError {
  return new SqlStoreError(
    "HOOKLINE_STORE_BAD_CURSOR",
    "the paging cursor is not valid: pass the `next` value of the previous page unchanged, or omit it to start over.",
  );
}

/** cursor = base64url of `<created_at ms>:<id>` */
const encode = (r: Row) => Buffer.from(`${r.created_at}:${r.id}`, "utf8").toString("base64url");
function decode(cursor: string): { at: string; id: string } {
  if (cursor.length > 1200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  const m = /^(\d{1,16}):(.+)$/s.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m || Number(m[1]) > 8.64e15) throw badCursor();
  return { at: tsParam(Number(m[1])), id: m[2]! };
}

export interface ConsoleQueries {
  getEvent(id: string): Promise<StoredEvent | null>;
  /** firings whose triggering event is `event` (occurred at `occurred`), each with its actions' deliveries */
  causedBy(eventId: string, occurred: number, now: number): Promise<{ scope: string; firing: Firing; deliveries: Delivery[] }[]>;
  listDeliveries(query: DeliveryQuery, now: number): Promise<{ deliveries: Delivery[]; next: string | null }>;
  getDelivery(id: string, now: number): Promise<Delivery | null>;
  /** the delivery's recorded attempts, newest first (the last few: record-attempt.ts) */
  getAttempts(id: string): Promise<AttemptRecord[]>;
  /** null: no such row, or not failed/dead (running, waiting for its first attempt, succeeded) */
  redeliver(id: string, now: number, event: (d: Delivery) => IngestItem): Promise<Delivery | null>;
}

/** `onEventsStored`: the redelivery's event after its commit (the live feed's push, as for every write of events) */
export function createConsoleQueries(db: Db, onEventsStored?: (events: StoredEvent[]) => void): ConsoleQueries {
  const byKeys = async (keys: string[], now: number) => (await db.query<Row>(OUTBOX_BY_KEYS, [keys])).rows.map((r) => toDelivery(r, now));
  return {
    async getEvent(id) {
      const row = (await db.query<{ seq: string; received: number; body: HooklineEvent }>(EVENT_BY_ID, [id])).rows[0];
      return row ? { seq: row.seq, received: row.received, event: row.body } : null;
    },
    async causedBy(eventId, occurred, now) {
      const { rows } = await db.query<{ scope: string; body: Firing }>(FIRINGS_AFTER, [
        tsParam(occurred),
        tsParam(occurred + CAUSED_WINDOW_MS),
        eventId,
      ]);
      const out = [];
      for (const r of rows) {
        const keys = Array.from({ length: MAX_ACTIONS }, (_, i) => `${r.body.id}:${i}`);
        out.push({ scope: r.scope, firing: r.body, deliveries: await byKeys(keys, now) });
      }
      return out;
    },
    async listDeliveries(q, now) {
      const cursor = q.before === undefined ? null : decode(q.before);
      const { rows } = await db.query<Row>(DELIVERIES, [
        tsParam(now),
        q.state ?? null,
        q.scope ?? null,
        q.automation ?? null,
        cursor?.at ?? null,
        cursor?.id ?? null,
        q.limit + 1,
      ]);
      const page = rows.slice(0, q.limit);
      return { deliveries: page.map((r) => toDelivery(r, now)), next: rows.length > q.limit ? encode(page[page.length - 1]!) : null };
    },
    async getDelivery(id, now) {
      return (await byKeys([id], now))[0] ?? null;
    },
    async getAttempts(id) {
      const { rows } = await db.query<AttemptRow>(ATTEMPTS, [id]);
      return rows.map((r) => ({
        attempt: r.attempt,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        durationMs: r.duration_ms,
        outcome: r.outcome,
        error: r.error,
        calls: Array.isArray(r.calls) ? r.calls : [],
      }));
    },
    redeliver(id, now, event) {
      return afterCommit(onEventsStored, (collect) =>
        db.transaction(async (tx) => {
          const row = (await tx.query<Row>(REDELIVER, [id, tsParam(now)])).rows[0];
          if (!row) return null;
          const d = toDelivery(row, now);
          await ingestWith(tx, [event(d)], undefined, collect);
          return d;
        }),
      );
    },
  };
}
