/**
 * The stores the workers' integration tests run on: the in-memory fake (same semantics, easy to break on
 * purpose), H1's SQL store on in-memory PGlite (real PostgreSQL compiled to WASM, one connection), and on a real
 * PostgreSQL when HOOKLINE_TEST_DATABASE_URL is set (a schema of its own per test file, dropped after).
 * Databases are slow to open, so one serves a whole test file: each `open()` empties every table but the
 * migrations' bookkeeping.
 */
import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore, migrate, type Db } from "../../../src/store/sql/index.js";
import { openPglite, openPostgres } from "../../../src/adapters/index.js";
import { createFakeStore } from "./fake-store.js";

const PG_URL = process.env.HOOKLINE_TEST_DATABASE_URL;

export interface StoreFactory {
  name: string;
  available: boolean;
  open(): Promise<ServerStore>;
  /** a second store on the same data, as another server instance would open it (its own pool on PostgreSQL) */
  another(first: ServerStore): Promise<ServerStore>;
}

export function label(f: StoreFactory): string {
  return f.available ? f.name : `${f.name} (skipped: HOOKLINE_TEST_DATABASE_URL is not set)`;
}

const EMPTY_TABLES = `
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'hookline_migrations' LOOP
    EXECUTE format('TRUNCATE TABLE %I RESTART IDENTITY CASCADE', t);
  END LOOP;
END $$`;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** the database outlives the test: closing the store does not close it */
const keep = (db: Db): ServerStore => ({ ...createSqlStore(db), close: async () => {} });

function sqlFactory(name: string, available: boolean, openDb: () => Promise<{ db: Db; another(): Promise<Db> }>): StoreFactory {
  let shared: Promise<{ db: Db; another(): Promise<Db> }> | null = null;
  return {
    name,
    available,
    async open() {
      shared ??= openDb().then(async (o) => {
        await migrate(o.db);
        return o;
      });
      const { db } = await shared;
      await db.query(EMPTY_TABLES);
      return keep(db);
    },
    async another() {
      return keep(await (await shared!).another());
    },
  };
}

const pglite = sqlFactory("SQL store on PGlite", true, async () => {
  const db = await openPglite(undefined);
  cleanups.push(() => db.close());
  // one connection: a second instance shares it (PGlite queues transactions, SKIP LOCKED never skips)
  return { db, another: async () => db };
});

const postgres = sqlFactory("SQL store on PostgreSQL", !!PG_URL, async () => {
  const schema = `hookline_work_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = await openPostgres(PG_URL!, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  cleanups.push(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });
  const u = new URL(PG_URL!);
  u.searchParams.set("options", `-c search_path=${schema}`);
  const open = async () => {
    const db = await openPostgres(u.toString(), { max: 4 });
    cleanups.push(() => db.close());
    return db;
  };
  return { db: await open(), another: open };
});

export const storeFactories: StoreFactory[] = [
  { name: "fake store", available: true, open: async () => createFakeStore(), another: async (first) => first },
  pglite,
  postgres,
];
