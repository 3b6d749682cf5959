/**
 * Rig for the capture tests: a PostgreSQL database of the test's own (CREATE DATABASE on
 * HOOKLINE_TEST_DATABASE_URL, dropped afterwards) or an in-memory PGlite, opened through the Db port, and
 * database.yaml sources built from YAML text (so the tests use the loader users do).
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "../../../src/adapters/index.js";
import { createCaptureReader, readRegistry } from "../../../src/adapters/database/index.js";
import { loadDatabaseConfig, translateChange, type CapturedTable, type DatabaseSource, type LogRow } from "../../../src/database/index.js";
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

/** every undelivered change of every table, delivered through the reader, translated */
export async function drain(db: Db, source: DatabaseSource, limit = 1000) {
  const reader = createCaptureReader(db, source.captureSchema);
  const registry = await readRegistry(db, source.captureSchema);
  const meta = (await db.query<{ install_id: string }>(`SELECT install_id::text FROM ${source.captureSchema}.meta`)).rows[0]!;
  const out: { row: LogRow; event: ReturnType<typeof translateChange>["event"] }[] = [];
  for (const id of await reader.lanesWithWork()) {
    const r = registry.find((x) => x.id === id)!;
    const table: CapturedTable = {
      id,
      schema: r.schema,
      table: r.table,
      keyColumns: r.keyColumns,
      triggerName: r.triggerName,
      config: source.tables.find((t) => t.table === r.table) ?? null,
    };
    for (;;) {
      const n = await reader.deliverLane({
        tableId: id,
        keyColumns: r.keyColumns,
        limit,
        instance: "test",
        deleteDelivered: false,
        deliver: async (rows) => {
          for (const row of rows)
            out.push({
              row,
              event: translateChange(
                { source: source.name, installId: meta.install_id, maxImageBytes: source.maxImageBytes, scopes: source.scopes },
                table,
                row,
              ).event,
            });
        },
      });
      if (!n) break;
    }
  }
  return out;
}
