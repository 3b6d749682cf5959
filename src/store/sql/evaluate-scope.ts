/**
 * The evaluator's side of the store: which scopes have work, and one scope's evaluation as a transaction that
 * holds the scope's row lock, so two instances never evaluate the same scope at once.
 */
import type { EngineState } from "../../engine/types.js";
import type { HooklineEvent } from "../../events/event-schema.js";
import type { EvaluationResult, ScopeWork, StoredEvent } from "../server-types.js";
import type { EventCache } from "./event-cache.js";
import { prepared, type Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { ingestWith } from "./ingest.js";
import { tsParam, tsParamOrNull } from "./values.js";

/*
 * `pending` is a queue: its rows come and go thousands of times a second. The store vacuums it often
 * (queue-vacuum.ts) so that it stays a few pages; the queries below still read it through its key (scope, seq)
 * only, in key order with a LIMIT or by `= ANY(array)`, and join `events` by seq one row at a time (OFFSET 0 keeps
 * the lateral subquery a parameterised index lookup: a hash join would read all of `events` while it is small,
 * which is when a prepared statement's plan is made).
 */

/**
 * Scopes with pending events or a due deadline. "Oldest work first": a scope's work is as old as its oldest
 * pending event's arrival, or its deadline when that is due; ties by key so the order is stable. The scopes
 * with pending events come from the queue's key, one index probe per such scope (a loose index scan: the next
 * scope after the last one found), so a poll costs the same with ten scopes or ten thousand.
 */
const SCOPES_WITH_WORK = prepared(
  "scopes_with_work",
  `
WITH RECURSIVE queued AS (
  (SELECT scope, seq FROM pending ORDER BY scope, seq LIMIT 1)
  UNION ALL
  SELECT next.scope, next.seq
  FROM queued q
  CROSS JOIN LATERAL (SELECT p.scope, p.seq FROM pending p WHERE p.scope > q.scope ORDER BY p.scope, p.seq LIMIT 1) next
),
work AS (
  SELECT q.scope AS key, (SELECT e.received FROM events e WHERE e.seq = q.seq) AS since FROM queued q
  UNION ALL
  SELECT s.key, s.next_deadline FROM scopes s WHERE s.next_deadline <= $1
)
SELECT key
FROM work
GROUP BY key
ORDER BY min(since), key
LIMIT $2`,
);

/**
 * The scope lock. NO KEY UPDATE: it excludes other evaluations of the scope; ingest never locks the scope row
 * (it only inserts a missing one), so it never waits for an evaluation. SKIP LOCKED: a second evaluator gets no
 * row and moves on at once.
 */
const LOCK_SCOPE = prepared(
  "lock_scope",
  `
SELECT state, config_version, next_deadline
FROM scopes
WHERE key = $1
FOR NO KEY UPDATE SKIP LOCKED`,
);

/**
 * the scope's pending events, oldest storage sequence first, without their bodies (the evaluation takes them
 * from the event cache, and reads only the ones it misses: EVENT_BODIES)
 */
const PENDING_EVENTS = prepared(
  "pending_events",
  `
SELECT p.seq, e.id AS event_id, e.follows,
  -- the leader is stored and not (or no longer) queued for this scope: this scope will never see it again
  (e.follows IS NOT NULL AND EXISTS (
    SELECT 1 FROM events l
    WHERE l.id = e.follows AND NOT EXISTS (SELECT 1 FROM pending lp WHERE lp.scope = $1 AND lp.seq = l.seq)
  )) AS leader_settled
FROM (SELECT seq FROM pending WHERE scope = $1 ORDER BY seq LIMIT $2) p
CROSS JOIN LATERAL (SELECT id, follows FROM events WHERE seq = p.seq OFFSET 0) e
ORDER BY p.seq`,
);

/** bodies as text, parsed only when the evaluation reads them (a scope with no automations parses none) */
const EVENT_BODIES = prepared(
  "event_bodies",
  `
SELECT id, body
FROM events
WHERE id = ANY (ARRAY(SELECT json_array_elements_text($1::json)))`,
);

/** automations paused at `now`: a pause whose `until` has passed no longer holds */
const PAUSED_NOW = prepared(
  "paused_now",
  `
SELECT automation
FROM pauses
WHERE scope = $1 AND paused AND (paused_until IS NULL OR paused_until > $2)
ORDER BY automation`,
);

const SAVE_SCOPE = prepared(
  "save_scope",
  `
UPDATE scopes
SET state = $2::json, config_version = $3, next_deadline = $4, updated = $5
WHERE key = $1`,
);

/** firing ids are deterministic: a firing recorded before is not recorded twice */
const INSERT_FIRINGS = prepared(
  "insert_firings",
  `
INSERT INTO firings (scope, id, automation, state, at, recorded, body)
SELECT $1, f.id, f.automation, f.state, f.at, $2, f.body::json
FROM json_to_recordset($3::json) AS f(ord integer, id text, automation text, state text, at timestamptz, body text)
ORDER BY f.ord
ON CONFLICT (scope, id) DO NOTHING`,
);

/** the outbox id is the action's idempotency key: a key queued before is ignored */
const INSERT_OUTBOX = prepared(
  "insert_outbox",
  `
INSERT INTO outbox (id, scope, payload, max_attempts, next_attempt_at, created_at, updated_at)
SELECT o.id, o.scope, o.payload::json, o.max_attempts, $1, $1, now()
FROM json_to_recordset($2::json) AS o(ord integer, id text, scope text, payload text, max_attempts integer)
ORDER BY o.ord
ON CONFLICT (id) DO NOTHING`,
);

/**
 * exactly the pending rows handed out (not "seq <= last": a concurrent ingest may commit a lower seq later);
 * $2 is an array literal of their seqs (decimal strings from the database)
 */
const DELETE_HANDED_OUT = prepared(
  "delete_handed_out",
  `
DELETE FROM pending
WHERE scope = $1 AND seq = ANY ($2::bigint[])`,
);

export async function scopesWithWork(db: Db, now: number, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(SCOPES_WITH_WORK, [tsParam(now), Math.max(0, Math.floor(limit))]);
  return rows.map((r) => r.key);
}

interface ScopeRow {
  state: EngineState | null;
  config_version: string | null;
  next_deadline: number | null;
}

function finiteOrNull(ms: number | null | undefined): number | null {
  return typeof ms === "number" && Number.isFinite(ms) && ms <= 8.64e15 && ms >= -8.64e15 ? ms : null;
}

/**
 * An array of `events`, where a string is an event's stored JSON, parsed the first time it is read (then kept):
 * its length costs nothing, so an evaluation that only consumes the events (no automations in the scope) parses
 * none of them.
 */
function lazyEvents(items: (HooklineEvent | string)[]): HooklineEvent[] {
  const events = new Array<HooklineEvent>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (typeof item !== "string") {
      events[i] = item;
      continue;
    }
    Object.defineProperty(events, i, {
      enumerable: true,
      configurable: true,
      get() {
        const event = JSON.parse(item) as HooklineEvent;
        Object.defineProperty(events, i, { value: event, enumerable: true, configurable: true, writable: true });
        return event;
      },
    });
  }
  return events;
}

/** the events `ids`, in order: from the cache, else their JSON text read (the misses in one query) */
async function eventsOf(tx: Db, ids: string[], cache: EventCache | undefined): Promise<(HooklineEvent | string)[]> {
  const cached = ids.map((id) => cache?.take(id));
  const missing = ids.filter((_, i) => cached[i] === undefined);
  if (missing.length === 0) return cached as HooklineEvent[];
  const read = new Map(
    (await tx.query<{ id: string; body: string }>(EVENT_BODIES, [JSON.stringify(missing)])).rows.map((r) => [r.id, r.body] as const),
  );
  return ids.map((id, i) => {
    const found = cached[i] ?? read.get(id);
    if (found === undefined)
      throw new SqlStoreError(
        "HOOKLINE_STORE_CORRUPT",
        `pending event ${id} has no stored body: the database was changed outside hookline`,
      );
    return found;
  });
}

export async function evaluateScopeWith(
  tx: Db,
  scope: string,
  now: number,
  limit: number,
  evaluate: (work: ScopeWork) => EvaluationResult,
  cache?: EventCache,
  onConsumed?: (pendingRowsDeleted: number) => void,
  /** the events the evaluation stored (firings' events), once the caller's transaction committed (see afterCommit) */
  onStored?: (events: StoredEvent[]) => void,
): Promise<boolean> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", `evaluateScope: limit must be an integer >= 1 (got ${limit})`);
  }
  const locked = (await tx.query<ScopeRow>(LOCK_SCOPE, [scope])).rows[0];
  if (!locked) return false; // another instance holds it, or the scope has no row (never had work)
  const pending = (
    await tx.query<{ seq: string; event_id: string; leader_settled: boolean; follows: string | null }>(PENDING_EVENTS, [scope, limit])
  ).rows;
  const due = locked.next_deadline !== null && locked.next_deadline <= now;
  if (pending.length === 0 && !due) return false;
  const paused = (await tx.query<{ automation: string }>(PAUSED_NOW, [scope, tsParam(now)])).rows.map((r) => r.automation);
  const events = await eventsOf(
    tx,
    pending.map((p) => p.event_id),
    cache,
  );

  // evaluate is synchronous and pure; if it throws, nothing has been written and the transaction rolls back
  const result = evaluate({
    scope,
    state: locked.state,
    configVersion: locked.config_version,
    paused,
    events: lazyEvents(events),
    settledLeaders: new Set(pending.filter((p) => p.leader_settled && p.follows !== null).map((p) => p.follows!)),
  });

  await tx.query(SAVE_SCOPE, [
    scope,
    JSON.stringify(result.state ?? null),
    result.configVersion ?? null,
    tsParamOrNull(finiteOrNull(result.nextDeadline)),
    tsParam(now),
  ]);
  if (result.firings.length > 0) {
    const firings = result.firings.map((f, ord) => ({
      ord,
      id: f.id,
      automation: f.automation,
      state: f.state,
      at: f.at,
      body: JSON.stringify(f),
    }));
    await tx.query(INSERT_FIRINGS, [scope, tsParam(now), JSON.stringify(firings)]);
  }
  if (result.outbox.length > 0) {
    const rows = result.outbox.map((o, ord) => ({
      ord,
      id: o.id,
      scope: o.scope,
      payload: JSON.stringify(o.invocation),
      max_attempts: Math.max(1, Math.floor(o.maxAttempts)),
    }));
    await tx.query(INSERT_OUTBOX, [tsParam(now), JSON.stringify(rows)]);
  }
  if (result.events.length > 0) await ingestWith(tx, result.events, undefined, onStored);
  if (pending.length > 0) await tx.query(DELETE_HANDED_OUT, [scope, `{${pending.map((p) => p.seq).join(",")}}`]);
  onConsumed?.(pending.length);
  return true;
}
