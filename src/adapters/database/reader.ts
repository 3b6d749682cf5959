/**
 * Reading the capture log (the I/O half of delivery; the server's loop in bots/server/work/database-reader.ts
 * drives it). One lane per captured table: a reader locks the table's registry row (`FOR NO KEY UPDATE SKIP
 * LOCKED`: another instance skips it at once and takes another table), reads the oldest undelivered changes in
 * log order, hands them to `deliver` (which stores them as events and resolves once they are committed), marks
 * them delivered and commits. A crash anywhere before that commit leaves them undelivered: the next read hands
 * the same rows again, which become the same event ids, which the store drops as duplicates. So each change is
 * stored once, and a table's changes are stored in log order (a row's changes are logged in commit order: its
 * row lock serialises the writers), whatever the number of instances.
 *
 * Pipelined (bench/README.md): in one transaction a reader delivers up to `batches` batches of a lane, reading
 * batch N+1 (the log rows after batch N's last id) while batch N is stored, and marking batch N once it is
 * stored; the marks commit together at the end. A crash before that commit hands all of them again (the same
 * event ids: duplicates the store drops), so the guarantee is the same; the store is never idle waiting for a
 * read.
 *
 * On PGlite (one process, one connection) there is no lock to take, and no transaction may stay open while the
 * same database stores the events: read, deliver, mark, in that order, give the same guarantee.
 */
import type { Db } from "../../store/sql/db.js";
import { invokeSql, readerSql, type LogOp, type LogRow, type TablePlan } from "../../database/index.js";
import { tsParam } from "../../store/sql/values.js";
import { DatabaseSourceError } from "./errors.js";

const OPS = new Set<string>(["INSERT", "UPDATE", "DELETE", "MANUAL"]);

interface LogRecord {
  id: string;
  index: number | null;
  op: string;
  old_row: string | null;
  new_row: string | null;
  txid: string;
  captured_at: number;
  session: string | null;
  key: (string | null)[];
}

function toLogRow(r: LogRecord, table: number): LogRow {
  if (!OPS.has(r.op)) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_BAD_LOG_ROW",
      `log row ${r.id} of table ${table} has the operation ${JSON.stringify(r.op)}: only hookline's triggers may write the log`,
    );
  }
  return {
    id: r.id,
    index: r.index,
    op: r.op as LogOp,
    oldRow: r.old_row,
    newRow: r.new_row,
    txid: r.txid,
    capturedAt: r.captured_at,
    session: r.session,
    key: r.key,
  };
}

export interface LaneRead {
  /** the registry id of the table */
  tableId: number;
  keyColumns: string[];
  limit: number;
  /** recorded as `delivered_by` */
  instance: string;
  /** delete delivered rows at once (retention 0) instead of marking them */
  deleteDelivered: boolean;
  /** stores the rows as events; resolves once they are committed */
  deliver(rows: LogRow[]): Promise<void>;
  /** most batches of `limit` changes in one transaction (PostgreSQL; default BATCHES_PER_TRANSACTION) */
  batches?: number;
}

/**
 * batches a lane's transaction delivers at most: enough to keep the store busy through a backlog, few enough
 * that a crash re-reads little and a stopping server waits for little (4,000 changes at the default batch_size)
 */
export const BATCHES_PER_TRANSACTION = 8;

export interface BacklogRow {
  tableId: number;
  /** undelivered changes, counted up to BACKLOG_COUNT_LIMIT */
  backlog: number;
  /** epoch ms of the oldest undelivered change, null when none */
  oldest: number | null;
}

export const BACKLOG_COUNT_LIMIT = 10_000_000;

export interface CaptureReader {
  /** tables with undelivered changes */
  lanesWithWork(): Promise<number[]>;
  /** delivers up to `limit` changes of one table; null when another reader holds it */
  deliverLane(read: LaneRead): Promise<number | null>;
  /** deletes up to `limit` delivered rows captured and delivered before `before` (epoch ms); returns how many */
  prune(before: number, limit: number): Promise<number>;
  backlog(): Promise<BacklogRow[]>;
  /** `manual`: logs the current row with this key as a MANUAL change; its log id, or null when no row has the key */
  invoke(tableId: number, plan: Pick<TablePlan, "schema" | "table" | "keyColumns" | "imageColumns">, key: string[]): Promise<string | null>;
}

export function createCaptureReader(db: Db, captureSchema: string): CaptureReader {
  const sql = readerSql(captureSchema);
  const read = (q: Db, r: LaneRead, after: string) => q.query<LogRecord>(sql.readLane, [r.tableId, r.keyColumns, r.limit, after]);
  // a log row holding a chunk of changes is marked once, after all of them are stored
  const mark = (q: Db, r: LaneRead, rows: LogRecord[]) => {
    const ids = [...new Set(rows.map((x) => x.id))];
    return r.deleteDelivered ? q.query(sql.deleteDelivered, [r.tableId, ids]) : q.query(sql.markDelivered, [r.tableId, ids, r.instance]);
  };

  return {
    async lanesWithWork() {
      return (await db.query<{ id: number }>(sql.lanesWithWork)).rows.map((r) => r.id);
    },
    async deliverLane(r) {
      if (db.kind === "pglite") {
        const rows = (await read(db, r, "0")).rows;
        if (rows.length === 0) return 0;
        await r.deliver(rows.map((x) => toLogRow(x, r.tableId)));
        await mark(db, r, rows);
        return rows.length;
      }
      const batches = Math.max(1, r.batches ?? BATCHES_PER_TRANSACTION);
      return db.transaction(async (tx) => {
        if ((await tx.query(sql.lockLane, [r.tableId])).rows.length === 0) return null;
        let rows = (await read(tx, r, "0")).rows;
        let total = 0;
        for (let batch = 1; rows.length > 0; batch++) {
          total += rows.length;
          const stored = r.deliver(rows.map((x) => toLogRow(x, r.tableId)));
          // the next batch is read on the source while this one is stored (rows come in log order: the last id is the highest)
          const next = batch < batches && rows.length >= r.limit ? read(tx, r, rows[rows.length - 1]!.id) : null;
          next?.catch(() => {}); // a failed delivery below is the error to report; the read's own failure surfaces at its await
          try {
            await stored;
          } catch (err) {
            await next?.catch(() => {});
            throw err;
          }
          await mark(tx, r, rows);
          rows = next ? (await next).rows : [];
        }
        return total;
      });
    },
    async prune(before, limit) {
      return (await db.query(sql.prune, [tsParam(before), limit])).rowCount;
    },
    async backlog() {
      const { rows } = await db.query<{ id: number; backlog: string; oldest: number | null }>(sql.backlog, [BACKLOG_COUNT_LIMIT]);
      return rows.map((r) => ({ tableId: r.id, backlog: Number(r.backlog), oldest: r.oldest }));
    },
    async invoke(tableId, plan, key) {
      const { rows } = await db.query<{ id: string }>(invokeSql(captureSchema, tableId, plan), key);
      return rows[0]?.id ?? null;
    },
  };
}
