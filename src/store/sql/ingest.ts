/**
 * ingest: store events once (idempotent on id) and queue them for their scopes, in ONE statement (so one
 * round trip, and atomic on its own or inside a caller's transaction: evaluation, completion, pause).
 */
import type { HooklineEvent } from "../../events/event-schema.js";
import { parseIsoTime } from "../../events/event-schema.js";
import { RESOURCE_ID } from "../../events/labels.js";
import { withOrigin } from "../../events/origin.js";
import type { IngestItem, IngestResult, StoredEvent } from "../server-types.js";
import { prepared, type Db, type Prepared } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { INDEX_KEY_MAX, indexKey, isExactKey } from "./index-key.js";
import { relatedKeys } from "./related-keys.js";
import { tsParam } from "./values.js";

/**
 * $1: the events' indexed fields, `[{ ord, id, name, occurred, resource_id, follows, related }]` (`related`: the
 * event's keys in the related-resource index, related-keys.ts, written for the events stored now); $3 … $(n+2): the events' JSON
 * texts, one text parameter each (sent as they are: no second JSON encoding of a 20 KB payload into a string,
 * no unescaping or validation on the server: each is JSON by construction, see migration 004). $2: the queue,
 * `[{ scope, id }]`.
 * Scopes get their row first (the evaluation lock lives there), but only scopes with no row in our snapshot
 * try to insert one: `INSERT … ON CONFLICT` on an existing key waits for any open transaction that updated
 * that row, i.e. every ingest would wait for the scope's running evaluation (which saves its state there).
 * `ON CONFLICT DO NOTHING` drops events stored before, and only events stored NOW are queued. `ORDER BY ord`
 * gives input order to seq.
 */
function ingestSql(n: number): string {
  const bodies = Array.from({ length: n }, (_, i) => `(${i}, $${i + 3}::text)`).join(",");
  return `
WITH new_scopes AS (
  INSERT INTO scopes (key, updated)
  SELECT DISTINCT q.scope, now()
  FROM json_to_recordset($2::json) AS q(scope text, id text)
  WHERE NOT EXISTS (SELECT 1 FROM scopes s WHERE s.key = q.scope)
  ORDER BY q.scope
  ON CONFLICT (key) DO NOTHING
),
stored AS (
  INSERT INTO events (id, name, occurred, resource_id, follows, received, body)
  SELECT e.id, e.name, e.occurred, e.resource_id, e.follows, now(), b.body
  FROM json_to_recordset($1::json) AS e(ord integer, id text, name text, occurred timestamptz, resource_id text, follows text)
  JOIN (VALUES ${bodies}) AS b(ord, body) ON b.ord = e.ord
  ORDER BY e.ord
  ON CONFLICT (id) DO NOTHING
  RETURNING id, seq, received
),
queued AS (
  INSERT INTO pending (scope, seq)
  SELECT q.scope, stored.seq
  FROM json_to_recordset($2::json) AS q(scope text, id text)
  JOIN stored ON stored.id = q.id
  ORDER BY q.scope, stored.seq
  ON CONFLICT DO NOTHING
),
related AS (
  INSERT INTO event_related (key, seq)
  SELECT k.key::bigint, stored.seq
  FROM json_to_recordset($1::json) AS e(id text, related json)
  JOIN stored ON stored.id = e.id
  CROSS JOIN LATERAL json_array_elements_text(e.related) AS k(key)
)
SELECT id, seq, received FROM stored`;
}

/** a row stored now */
interface StoredRow {
  id: string;
  seq: string;
  received: number;
}

/** events per statement: 2 + this many parameters (PostgreSQL's limit is 65,535) */
export const MAX_EVENTS_PER_STATEMENT = 1000;

/**
 * the statement per batch size (group commit makes the same few sizes recur); batches of up to this many events
 * run as prepared statements (one per size and connection: planning this statement cost PostgreSQL more than
 * running it for a small batch), larger ones as plain text
 */
export const MAX_PREPARED_SIZE = 64;
const SQL_BY_SIZE = new Map<number, string | Prepared>();
const MAX_CACHED_SIZES = MAX_EVENTS_PER_STATEMENT;

function ingestSqlFor(n: number): string | Prepared {
  let sql = SQL_BY_SIZE.get(n);
  if (sql === undefined) {
    sql = n <= MAX_PREPARED_SIZE ? prepared(`ingest_${n}`, ingestSql(n)) : ingestSql(n);
    if (SQL_BY_SIZE.size < MAX_CACHED_SIZES) SQL_BY_SIZE.set(n, sql);
  }
  return sql;
}

function badEvent(index: number, what: string): SqlStoreError {
  return new SqlStoreError(
    "HOOKLINE_STORE_BAD_EVENT",
    `event #${index + 1} cannot be stored: ${what}. Validate events with validateEvent() before ingesting them.`,
  );
}

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z */
const YEAR_0 = -62167219200000;
const END_OF_YEAR_9999 = 253402300799999;

function occurredParam(event: HooklineEvent, index: number): string {
  const ms = typeof event.occurred === "string" ? parseIsoTime(event.occurred) : Number.NaN;
  // keep to the four-digit years that ISO strings write plainly (and PostgreSQL reads back identically)
  if (!Number.isFinite(ms) || ms < YEAR_0 || ms > END_OF_YEAR_9999) {
    throw badEvent(index, `"occurred" is not a time between years 0000 and 9999 (${JSON.stringify(event.occurred)})`);
  }
  return tsParam(ms);
}

/**
 * Stores `items` through `db` (a pool or an open transaction). `onStored(event, json, scopes)`: called for each
 * event stored now, with its JSON text and how many scopes it was queued for, once every statement is done;
 * `onCommitted(events)`: then once with the events stored now, in storage sequence order (the live feed's push).
 * Pass `onStored` only when `db` is not a transaction (then "done" means committed); inside a caller's
 * transaction pass `onCommitted` from `afterCommit`, which holds the events until the transaction committed.
 */
export async function ingestWith(
  db: Db,
  items: readonly IngestItem[],
  onStored?: (event: HooklineEvent, json: string, scopes: number) => void,
  onCommitted?: (events: StoredEvent[]) => void,
): Promise<IngestResult> {
  const events: {
    ord: number;
    id: string;
    name: string;
    occurred: string;
    resource_id: string;
    follows: string | null;
    related: string[];
  }[] = [];
  const bodies: string[] = [];
  const queues: { scope: string; id: string }[][] = [];
  const firstIds = new Set<string>();
  const firsts: HooklineEvent[] = [];
  items.forEach((item, index) => {
    const given = item?.event;
    if (!given || typeof given.id !== "string" || given.id.length === 0) throw badEvent(index, "it has no id");
    if (!item.origin || typeof item.origin.kind !== "string") throw badEvent(index, "it has no origin");
    // the origin is hookline's to set: the event as stored carries exactly this one
    const e = withOrigin(given, item.origin);
    if (!isExactKey(e.id)) throw badEvent(index, `its id is over ${INDEX_KEY_MAX} characters or holds NUL / lone surrogates`);
    if (typeof e.event !== "string") throw badEvent(index, "it has no name");
    if (!Array.isArray(item.scopes)) throw badEvent(index, "its scopes are not a list");
    const occurred = occurredParam(e, index);
    if (firstIds.has(e.id)) return;
    firstIds.add(e.id);
    firsts.push(e);
    events.push({
      ord: events.length % MAX_EVENTS_PER_STATEMENT,
      id: e.id,
      name: indexKey(e.event),
      occurred,
      resource_id: indexKey(String(e.resource?.[RESOURCE_ID] ?? "")),
      follows: typeof e.follows === "string" && isExactKey(e.follows) ? e.follows : null,
      related: relatedKeys(e.related),
    });
    const json = e === given ? item.json : undefined;
    bodies.push(typeof json === "string" ? json : JSON.stringify(e));
    queues.push([...new Set(item.scopes)].map((scope) => ({ scope, id: e.id })));
  });
  if (events.length === 0) return { inserted: [], duplicates: [] };
  const statement = (tx: Db, from: number) => {
    const to = Math.min(events.length, from + MAX_EVENTS_PER_STATEMENT);
    const params = [JSON.stringify(events.slice(from, to)), JSON.stringify(queues.slice(from, to).flat()), ...bodies.slice(from, to)];
    return tx.query<StoredRow>(ingestSqlFor(to - from), params);
  };
  // one statement (atomic by itself), or, for a very large batch, one transaction of several (joins the caller's)
  const rows =
    events.length <= MAX_EVENTS_PER_STATEMENT
      ? (await statement(db, 0)).rows
      : await db.transaction(async (tx) => {
          const all: StoredRow[] = [];
          for (let from = 0; from < events.length; from += MAX_EVENTS_PER_STATEMENT) all.push(...(await statement(tx, from)).rows);
          return all;
        });
  const stored = new Set(rows.map((r) => r.id));
  if (onStored) {
    firsts.forEach((e, i) => {
      if (stored.has(e.id)) onStored(e, bodies[i]!, queues[i]!.length);
    });
  }
  if (onCommitted && rows.length > 0) {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: StoredEvent[] = [];
    // firsts are in input order, and input order is seq order (ORDER BY ord)
    for (const e of firsts) {
      const r = byId.get(e.id);
      if (r) out.push({ seq: String(r.seq), received: Number(r.received), event: e });
    }
    onCommitted(out);
  }
  // in input order: the first occurrence of an id stored now is inserted, every other occurrence a duplicate
  const inserted: string[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const id = item.event.id;
    if (!seen.has(id) && stored.has(id)) inserted.push(id);
    else duplicates.push(id);
    seen.add(id);
  }
  return { inserted, duplicates };
}

/**
 * Runs `write` (one transaction that may store events through `ingestWith(tx, …, collect)`), then hands what it
 * stored to `onCommitted` once the transaction committed: what a rolled-back (or retried) attempt stored is never
 * announced. How every write of events, not only ingest, reaches the live feed.
 */
export async function afterCommit<T>(
  onCommitted: ((events: StoredEvent[]) => void) | undefined,
  write: (collect: ((events: StoredEvent[]) => void) | undefined) => Promise<T>,
): Promise<T> {
  if (!onCommitted) return write(undefined);
  const stored: StoredEvent[] = [];
  const out = await write((events) => stored.push(...events));
  if (stored.length > 0) onCommitted(stored);
  return out;
}
