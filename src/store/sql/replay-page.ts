/**
 * replayPage: a what-if replay's read (docs/what-if.md). The events after a storage sequence, in storage order,
 * answered as ONE JSON array text built by the database from the bodies as stored: the thread that reads the
 * store (the server's event loop, which also serves ingest) neither parses nor copies events one by one; the
 * replay's worker thread parses the page. Pages follow the sequence's own index (no range filter: the replay
 * checks the range itself, see src/adapters/what-if/what-if-runner.ts).
 */
import type { ReplayPage } from "../server-types.js";
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { isStorageSeq } from "./event-cursor.js";

/** the most events one replay page holds */
export const MAX_REPLAY_PAGE = 5_000;

const PAGE = `
SELECT count(*)::int AS count, max(seq) AS last, coalesce(string_agg(body::text, ',' ORDER BY seq), '') AS bodies
FROM (SELECT seq, body FROM events WHERE ($1::bigint IS NULL OR seq > $1) ORDER BY seq LIMIT $2) AS page`;

export async function replayPage(db: Db, after: string | null, limit: number): Promise<ReplayPage> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REPLAY_PAGE)
    throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", `limit must be an integer from 1 to ${MAX_REPLAY_PAGE} (got ${limit})`);
  if (after !== null && !isStorageSeq(after))
    throw new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", `"after" must be a storage sequence (got ${JSON.stringify(after.slice(0, 40))})`);
  const { rows } = await db.query<{ count: number; last: string | null; bodies: string }>(PAGE, [after, limit]);
  const row = rows[0]!;
  return { json: `[${row.bodies}]`, count: row.count, last: row.last };
}
