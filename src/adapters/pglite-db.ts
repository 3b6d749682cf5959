/**
 * PGlite adapter: PostgreSQL in WASM inside this process. One connection; PGlite queues queries and
 * transactions itself, so concurrent callers simply wait their turn (SKIP LOCKED never skips here).
 * A data folder must be used by one process at a time.
 */
import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Db, Prepared, QueryResult } from "../store/sql/db.js";
import { SqlStoreError } from "../store/sql/errors.js";
import { OID, parseTimestamptz } from "../store/sql/values.js";

const parsers = {
  [OID.INT8]: (text: string) => text,
  [OID.TIMESTAMPTZ]: (text: string) => parseTimestamptz(text),
};

type Queryable = Pick<Transaction, "query">;

async function run<T>(target: Queryable, sql: string | Prepared, params?: readonly unknown[]): Promise<QueryResult<T>> {
  const r = await target.query<T>(typeof sql === "string" ? sql : sql.text, params as unknown[] | undefined);
  return { rows: r.rows, rowCount: r.rowCount ?? r.affectedRows ?? r.rows.length };
}

function txDb(tx: Transaction): Db {
  const db: Db = {
    kind: "pglite",
    query: (sql, params) => run(tx, sql, params),
    transaction: (fn) => fn(db),
    close: async () => {},
  };
  return db;
}

/** Opens PGlite in `dataDir` (created when missing), or in memory when undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  let pg: PGlite;
  try {
    // PGlite's NodeFS creates only the last folder: `.hookline/data` on a fresh clone needs `.hookline` first
    if (dataDir !== undefined && !dataDir.includes("://")) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    pg = await PGlite.create(dataDir, { parsers });
  } catch (cause) {
    throw new SqlStoreError(
      "HOOKLINE_DB_DATA_DIR",
      `cannot open the embedded database in "${dataDir}": ${(cause as Error)?.message ?? cause}. ` +
        "Check that the folder is writable and not used by another hookline process, or pick another --data-dir.",
      { cause },
    );
  }
  return {
    kind: "pglite",
    query: (sql, params) => run(pg, sql, params),
    transaction: (fn) => pg.transaction((tx) => fn(txDb(tx))),
    close: () => pg.close(),
  };
}
