/**
 * Rig for the capture tests: a PostgreSQL database of the test's own (CREATE DATABASE on
 * HOOKLINE_TEST_DATABASE_URL, dropped afterwards) or an in-memory PGlite, opened through the Db port, and
 * database.yaml sources built from YAML text (so the tests use the loader users do).
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "../../../src/adapters/index.js";
import { loadDatabaseConfig, type DatabaseSource } from "../../../src/database/index.js";
import type { Db } from "../../../src/store/sql/db.js";
import { pgDatabase, PG_URL } from "../../server/durability/harness.js";

export { PG_URL };

export interface TestDb {
  kind: "postgres" | "pglite";
  db: Db;
  /** postgres only */
  url?: string;
  close(): Promise<void>;
}

export async function openTestDb(kind: "postgres" | "pglite"): Promise<TestDb> {
  if (kind === "pglite") {
    const db = await openDatabase({});
    return { kind, db, close: () => db.close() };
  }
  const pg = await pgDatabase();
  const db = await openDatabase({ url: pg.url, max: 6 });
  return {
    kind,
    db,
    url: pg.url,
    close: async () => {
      await db.close();
      await pg.drop();
    },
  };
}

/** The one source of a database.yaml text (throws on problems). */
export function sourceOf(yaml: string): DatabaseSource {
  const r = loadDatabaseConfig(yaml, "database.yaml");
  const errors = r.problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || !r.config) throw new Error(JSON.stringify(errors));
  return r.config.sources[0]!;
}

export const newId = () => randomUUID();

/** the engines to run a test on: PGlite always, PostgreSQL when HOOKLINE_TEST_DATABASE_URL is set */
export const ENGINES: ("pglite" | "postgres")[] = PG_URL ? ["pglite", "postgres"] : ["pglite"];
