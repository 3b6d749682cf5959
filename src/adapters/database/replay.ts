/**
 * Replay (docs/database.md "Replay"): the captured changes of a time range, read again from the log (delivered
 * rows stay there for `retention`), to go through the automations once more. The dry run counts what a replay
 * would send, per table and operation; the replay reads the range in log order, in batches. Changes not
 * delivered yet are left out: the reader delivers them anyway.
 */
import type { Db } from "../../store/sql/db.js";
import { readerSql, type LogOp, type LogRow } from "../../database/index.js";
import { tsParam } from "../../store/sql/values.js";
import { readRegistry } from "./registry.js";

export interface ReplayRange {
  /** epoch ms, included */
  from: number;
  /** epoch ms, excluded */
  to: number;
}

export interface ReplayCount {
  schema: string;
  table: string;
  op: string;
  /** delivered changes a replay sends */
  changes: number;
  /** changes in the range not delivered yet (a replay leaves them to the reader) */
  undelivered: number;
  /** ISO capture times of the first and last change */
  first: string;
  last: string;
}

export async function countReplay(db: Db, cs: string, range: ReplayRange): Promise<ReplayCount[]> {
  const names = new Map((await readRegistry(db, cs)).map((r) => [r.id, r]));
  const { rows } = await db.query<{ table_id: number; op: string; n: string; undelivered: string; first: number; last: number }>(
    readerSql(cs).countRange,
    [tsParam(range.from), tsParam(range.to)],
  );
  return rows.map((r) => ({
    schema: names.get(r.table_id)?.schema ?? "?",
    table: names.get(r.table_id)?.table ?? "?",
    op: r.op,
    changes: Number(r.n) - Number(r.undelivered),
    undelivered: Number(r.undelivered),
    first: new Date(r.first).toISOString(),
    last: new Date(r.last).toISOString(),
  }));
}

/** The delivered changes of the range in log order, `batch` at a time, each with its table's registry id. */
export async function* readReplay(
  db: Db,
  cs: string,
  range: ReplayRange,
  batch: number,
): AsyncGenerator<{ tableId: number; row: LogRow }[]> {
  const sql = readerSql(cs).readRange;
  let after = "0";
  for (;;) {
    const { rows } = await db.query<{
      id: string;
      index: number | null;
      table_id: number;
      op: LogOp;
      old_row: string | null;
      new_row: string | null;
      txid: string;
      captured_at: number;
      session: string | null;
      key: (string | null)[];
    }>(sql, [tsParam(range.from), tsParam(range.to), after, batch]);
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      tableId: r.table_id,
      row: {
        id: r.id,
        index: r.index,
        op: r.op,
        oldRow: r.old_row,
        newRow: r.new_row,
        txid: r.txid,
        capturedAt: r.captured_at,
        session: r.session,
        key: r.key,
      },
    }));
    after = rows[rows.length - 1]!.id;
    if (rows.length < batch) return;
  }
}
