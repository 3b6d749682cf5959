/**
 * PGlite adapter: PostgreSQL in WASM inside this process. One connection; PGlite queues queries and
 * transactions itself, so concurrent callers simply wait their turn (SKIP LOCKED never skips here).
 * A data folder must be used by one process at a time.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
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

/**
 * PostgreSQL's page cache inside the WASM heap. PGlite's default (128 MB, PostgreSQL's) grows the heap past its
 * initial 128 MB; 32 MB keeps it there, and the page cache of the OS still holds the data folder (bench/README.md).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=64MB"];

/**
 * Creates a new data folder (PostgreSQL's initdb) in a short-lived child process. Run in this process, initdb's
 * memory (about 450 MB of WASM heap and buffers) stays in the server's RSS for its whole life: the server idled
 * at 870 MB instead of under 300 MB.
 */
function initInChild(dataDir: string): Promise<void> {
  const pglite = import.meta.resolve("@electric-sql/pglite");
  const code = `const { PGlite } = await import(process.argv[1]); const pg = await PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) }); await pg.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code, pglite, dataDir, JSON.stringify(PGLITE_START_PARAMS)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited ${code}: ${err.trim()}`))));
  });
}

/** Opens PGlite in `dataDir` (created when missing), or in memory when undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  let pg: PGlite;
  try {
    if (dataDir !== undefined && !dataDir.includes("://")) {
      // PGlite's NodeFS creates only the last folder: `.hookline/data` on a fresh clone needs `.hookline` first
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      if (!existsSync(join(dataDir, "PG_VERSION"))) await initInChild(dataDir);
    }
    pg = await PGlite.create(dataDir, { parsers, startParams: PGLITE_START_PARAMS });
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
