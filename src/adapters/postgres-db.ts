/**
 * PostgreSQL adapter on a `pg` pool. A transaction holds one pooled client from BEGIN to COMMIT/ROLLBACK.
 */
import pg from "pg";
import type { Db, Prepared, QueryResult } from "../store/sql/db.js";
import { SqlStoreError, redactUrl } from "../store/sql/errors.js";
import { OID, parseTimestamptz } from "../store/sql/values.js";

const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === OID.INT8) return (text: string) => text;
    if (oid === OID.TIMESTAMPTZ) return (text: string) => parseTimestamptz(text);
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  },
} as pg.CustomTypesConfig;

interface Client {
  query(sql: string | pg.QueryConfig, params?: unknown[]): Promise<pg.QueryResult>;
}

async function run<T>(client: Client, sql: string | Prepared, params?: readonly unknown[]): Promise<QueryResult<T>> {
  const values = params as unknown[] | undefined;
  const r = typeof sql === "string" ? await client.query(sql, values) : await client.query({ name: sql.name, text: sql.text, values });
  return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
}

function clientDb(client: pg.PoolClient): Db {
  const db: Db = {
    kind: "postgres",
    query: (sql, params) => run(client, sql, params),
    transaction: (fn) => fn(db),
    close: async () => {},
  };
  return db;
}

/** Turns a connection failure into an error that names the fix; other errors pass through. */
export function connectionError(url: string, cause: unknown): unknown {
  const err = cause as { code?: string; message?: string };
  const where = redactUrl(url);
  const code = err?.code ?? "";
  if (
    ["ECONNREFUSED", "ENOENT", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH"].includes(code) ||
    /timeout|terminated/i.test(err?.message ?? "")
  ) {
    return new SqlStoreError(
      "HOOKLINE_DB_UNREACHABLE",
      `cannot reach PostgreSQL at ${where} (${code || err?.message}): is PostgreSQL running? check DATABASE_URL (host, port), or unset it to use the embedded database.`,
      { cause },
    );
  }
  if (code === "28P01" || code === "28000") {
    return new SqlStoreError(
      "HOOKLINE_DB_AUTH",
      `PostgreSQL refused the login for ${where}: check the user and password in DATABASE_URL.`,
      { cause },
    );
  }
  if (code === "3D000") {
    return new SqlStoreError(
      "HOOKLINE_DB_NOT_FOUND",
      `${err.message} (${where}): create it (e.g. \`createdb <name>\`) or fix the database name in DATABASE_URL.`,
      { cause },
    );
  }
  return cause;
}

/**
 * TOAST compression: lz4 where the server has it (PostgreSQL >= 14 built --with-lz4, as Debian's and the official
 * images are), pglz otherwise. Measured on a 20 KB event body: ~120 µs of server CPU per row with lz4 against
 * ~300 µs with pglz (bench/README.md). A session setting, not a schema change: the schema stays the same on
 * PGlite (no lz4) and PostgreSQL, and values written before keep their compression (both are read alike).
 */
const LZ4_AVAILABLE = `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`;

/** `url` with `-c default_toast_compression=lz4` added to its startup `options` (null: not a URL we can edit) */
function withLz4(url: string): string | null {
  try {
    const u = new URL(url);
    const options = u.searchParams.get("options");
    u.searchParams.set("options", `${options ? `${options} ` : ""}-c default_toast_compression=lz4`);
    return u.toString();
  } catch {
    return null;
  }
}

/** Opens a pool and checks the database answers (fails fast with HOOKLINE_DB_* codes). */
export async function openPostgres(url: string, options: { max?: number; connectionTimeoutMs?: number } = {}): Promise<Db> {
  const open = (connectionString: string) => {
    const p = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      types: typeParsers,
    });
    // an idle client that dies (server restart) must not crash the process; the next query reports it
    p.on("error", () => {});
    return p;
  };
  let pool = open(url);
  try {
    const lz4 = (await pool.query<{ lz4: boolean }>(LZ4_AVAILABLE)).rows[0]?.lz4 === true;
    const lz4Url = lz4 ? withLz4(url) : null;
    if (lz4Url !== null) {
      // every connection compresses large values (a 20 KB event body, a scope's state) with lz4, set at connection
      // start so no query ever runs before it
      await pool.end();
      pool = open(lz4Url);
      await pool.query("SELECT 1");
    }
  } catch (cause) {
    await pool.end().catch(() => {});
    throw connectionError(url, cause);
  }
  return {
    kind: "postgres",
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await fn(clientDb(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true; // the connection is unusable: destroy it instead of returning it to the pool
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
