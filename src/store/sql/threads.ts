/** Slack threads per (scope, key): the message later notifications of the same thing update. */
import type { Db } from "./db.js";
import { tsParam } from "./values.js";

const GET_THREAD = `SELECT channel, ts FROM threads WHERE scope = $1 AND key = $2`;

const SET_THREAD = `
INSERT INTO threads (scope, key, channel, ts, updated)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (scope, key) DO UPDATE
SET channel = EXCLUDED.channel, ts = EXCLUDED.ts, updated = EXCLUDED.updated`;

export async function getThread(db: Db, scope: string, key: string): Promise<{ channel: string; ts: string } | null> {
  const row = (await db.query<{ channel: string; ts: string }>(GET_THREAD, [scope, key])).rows[0];
  return row ? { channel: row.channel, ts: row.ts } : null;
}

export async function setThread(db: Db, scope: string, key: string, thread: { channel: string; ts: string }, now: number): Promise<void> {
  await db.query(SET_THREAD, [scope, key, thread.channel, thread.ts, tsParam(now)]);
}
