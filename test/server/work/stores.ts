/**
 * The stores the workers' integration tests run on: the in-memory fake (same semantics, easy to break on
 * purpose) and H1's SQL store on in-memory PGlite (real PostgreSQL compiled to WASM). PGlite starts slowly, so
 * one database serves a whole test file: each `open()` empties every table but the migrations' bookkeeping.
 */
import { afterAll } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore, migrate, openDatabase, type Db } from "../../../src/store/sql/index.js";
import { createFakeStore } from "./fake-store.js";

export interface StoreFactory {
  name: string;
  open(): Promise<ServerStore>;
}

const EMPTY_TABLES = `
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'hookline_migrations' LOOP
    EXECUTE format('TRUNCATE TABLE %I RESTART IDENTITY CASCADE', t);
  END LOOP;
END $$`;

let shared: Promise<Db> | null = null;
afterAll(async () => {
  if (shared) await (await shared).close();
  shared = null;
});

async function openSql(): Promise<ServerStore> {
  shared ??= openDatabase({}).then(async (db) => {
    await migrate(db);
    return db;
  });
  const db = await shared;
  await db.query(EMPTY_TABLES);
  // the database outlives the test: closing the store does not close it
  return { ...createSqlStore(db), close: async () => {} };
}

export const storeFactories: StoreFactory[] = [
  { name: "fake store", open: async () => createFakeStore() },
  { name: "SQL store on PGlite", open: openSql },
];
