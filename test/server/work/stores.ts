/**
 * The stores the workers' integration tests run on: the in-memory fake always, and the SQL store on in-memory
 * PGlite once src/store/sql/index.ts exists (`openDatabase` / `migrate` / `createSqlStore`).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ServerStore } from "../../../src/store/server-types.js";
import { createFakeStore } from "./fake-store.js";

export interface StoreFactory {
  name: string;
  open(): Promise<ServerStore>;
}

const SQL_INDEX = new URL("../../../src/store/sql/index.ts", import.meta.url);

interface SqlModule {
  openDatabase(opts: unknown): Promise<unknown>;
  migrate(db: unknown): Promise<unknown>;
  createSqlStore(db: unknown, ...rest: unknown[]): ServerStore | Promise<ServerStore>;
}

async function openSql(): Promise<ServerStore> {
  const mod = (await import(/* @vite-ignore */ SQL_INDEX.href)) as SqlModule;
  const db = await mod.openDatabase({ url: "memory://" });
  await mod.migrate(db);
  return await mod.createSqlStore(db);
}

export const storeFactories: StoreFactory[] = [
  { name: "fake store", open: async () => createFakeStore() },
  ...(existsSync(fileURLToPath(SQL_INDEX)) ? [{ name: "SQL store on PGlite", open: openSql }] : []),
];
