/** Run-time pause flags: set (with its event, atomically) and list. */
import type { IngestItem, PauseRecord, StoredEvent } from "../server-types.js";
import type { Db } from "./db.js";
import { ingestWith } from "./ingest.js";
import { tsParam, tsParamOrNull } from "./values.js";

const UPSERT_PAUSE = `
INSERT INTO pauses (scope, automation, paused, paused_until, changed_by, changed_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (scope, automation) DO UPDATE
SET paused = EXCLUDED.paused, paused_until = EXCLUDED.paused_until,
    changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at`;

const PAUSES_OF_SCOPE = `
SELECT automation, paused, paused_until, changed_by, changed_at
FROM pauses
WHERE scope = $1
ORDER BY automation`;

/** `onStored`: the pause's event, after the commit (see afterCommit) */
export async function setPause(db: Db, record: PauseRecord, event: IngestItem, onStored?: (events: StoredEvent[]) => void): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(UPSERT_PAUSE, [
      record.scope,
      record.automation,
      record.paused,
      record.paused ? tsParamOrNull(record.until) : null,
      record.by,
      tsParam(record.at),
    ]);
    await ingestWith(tx, [event], undefined, onStored);
  });
}

/** Every pause record of the scope; `paused` is false for one whose `until` is not after `now` (it expired). */
export async function listPauses(db: Db, scope: string, now: number): Promise<PauseRecord[]> {
  const { rows } = await db.query<{
    automation: string;
    paused: boolean;
    paused_until: number | null;
    changed_by: string;
    changed_at: number;
  }>(PAUSES_OF_SCOPE, [scope]);
  return rows.map((r) => ({
    scope,
    automation: r.automation,
    paused: r.paused && (r.paused_until === null || r.paused_until > now),
    until: r.paused_until,
    by: r.changed_by,
    at: r.changed_at,
  }));
}
