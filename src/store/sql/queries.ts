/** Read-only questions for the API and metrics: firings, scope state, scopes, the outbox. */
import type { EngineState, Firing } from "../../engine/types.js";
import type { OutboxRow, OutboxStats } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { OUTBOX_COLUMNS, toOutboxRow, type OutboxDbRow } from "./outbox-rows.js";

/** newest first: by firing time, then by recording order */
const FIRINGS_OF_SCOPE = `
SELECT body FROM firings
WHERE scope = $1
ORDER BY at DESC, seq DESC
LIMIT $2`;

const FIRINGS_OF_AUTOMATION = `
SELECT body FROM firings
WHERE scope = $1 AND automation = $2
ORDER BY at DESC, seq DESC
LIMIT $3`;

const SCOPE_STATE = `SELECT state, config_version, next_deadline FROM scopes WHERE key = $1`;
const ALL_SCOPES = `SELECT key FROM scopes ORDER BY key`;

/** counts per status; the oldest pending row's age comes from created_at */
const OUTBOX_STATS = `
SELECT status, count(*) AS n, min(created_at) AS oldest
FROM outbox
GROUP BY status`;

const OUTBOX_BY_ID = `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`;

export const MAX_FIRINGS_PAGE = 500;

export async function listFirings(db: Db, scope: string, automation: string | null, limit: number): Promise<Firing[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FIRINGS_PAGE) {
    throw new SqlStoreError(
      "HOOKLINE_STORE_BAD_QUERY",
      `listFirings: limit must be an integer from 1 to ${MAX_FIRINGS_PAGE} (got ${limit})`,
    );
  }
  const { rows } =
    automation === null
      ? await db.query<{ body: Firing }>(FIRINGS_OF_SCOPE, [scope, limit])
      : await db.query<{ body: Firing }>(FIRINGS_OF_AUTOMATION, [scope, automation, limit]);
  return rows.map((r) => r.body);
}

export async function scopeState(
  db: Db,
  scope: string,
): Promise<{ state: EngineState | null; configVersion: string | null; nextDeadline: number | null } | null> {
  const row = (
    await db.query<{ state: EngineState | null; config_version: string | null; next_deadline: number | null }>(SCOPE_STATE, [scope])
  ).rows[0];
  return row ? { state: row.state, configVersion: row.config_version, nextDeadline: row.next_deadline } : null;
}

export async function listScopes(db: Db): Promise<string[]> {
  return (await db.query<{ key: string }>(ALL_SCOPES)).rows.map((r) => r.key);
}

export async function outboxStats(db: Db): Promise<OutboxStats> {
  const stats: OutboxStats = { pending: 0, oldestPendingCreatedAt: null, dead: 0, done: 0 };
  for (const r of (await db.query<{ status: string; n: string; oldest: number | null }>(OUTBOX_STATS)).rows) {
    if (r.status === "pending") {
      stats.pending = Number(r.n);
      stats.oldestPendingCreatedAt = r.oldest;
    } else if (r.status === "done") stats.done = Number(r.n);
    else if (r.status === "dead") stats.dead = Number(r.n);
  }
  return stats;
}

export async function getOutbox(db: Db, id: string): Promise<OutboxRow | null> {
  const row = (await db.query<OutboxDbRow>(OUTBOX_BY_ID, [id])).rows[0];
  return row ? toOutboxRow(row) : null;
}
