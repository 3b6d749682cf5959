/**
 * The small database port the SQL store runs on. Its two adapters live in src/adapters: embedded PGlite
 * (PostgreSQL compiled to WASM, one connection, no setup) and PostgreSQL through a `pg` pool. The store's SQL is
 * the same on both.
 *
 * Values (both adapters): `int8` → decimal string, `timestamptz` → epoch ms, `json`/`jsonb` → parsed; see
 * values.ts.
 */
export interface QueryResult<T> {
  rows: T[];
  /** rows returned by a SELECT, or changed by INSERT/UPDATE/DELETE */
  rowCount: number;
}

/**
 * A statement the PostgreSQL adapter prepares once per connection under `name` (parse and plan once; after five
 * executions PostgreSQL keeps a generic plan when it is no worse): for the hot statements of ingest, evaluation
 * and the outbox, whose planning cost more PostgreSQL CPU than their execution (bench/README.md). One name, one
 * text, for the life of the process. PGlite runs the text.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

export function prepared(name: string, text: string): Prepared {
  return { name: `hookline_${name}`, text };
}

export interface Db {
  readonly kind: "pglite" | "postgres";
  /** One statement, `$1`-style parameters. */
  query<T = Record<string, unknown>>(sql: string | Prepared, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /**
   * Runs `fn` in one transaction (READ COMMITTED) on one connection: committed when `fn` resolves, rolled back
   * when it throws (the error propagates). Inside, use ONLY `tx` (on PGlite a query on the outer Db would wait
   * for the transaction to end). `tx.transaction(f)` joins the open transaction.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Closes the pool / the embedded database. A no-op on a transaction's `tx`. */
  close(): Promise<void>;
}
