import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpSchema, migrate, MIGRATIONS, type Migration } from "../../../src/store/sql/index.js";
import { FACTORIES, errorOf, label, type TestDb } from "./helpers.js";

const GOLDEN = fileURLToPath(new URL("./schema.golden.txt", import.meta.url));

describe.each(FACTORIES)("schema and migrations on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await f.open({ migrate: false });
    });
    afterAll(() => t?.cleanup());

    it("the migrated schema equals the committed golden dump (the same on PGlite and PostgreSQL)", async () => {
      const first = await migrate(t.db);
      expect(first.applied).toEqual(MIGRATIONS.map((m) => m.id));
      const dump = await dumpSchema(t.db);
      if (process.env.HOOKLINE_UPDATE_GOLDEN === "1" && f.name === "pglite") writeFileSync(GOLDEN, dump);
      expect(dump).toBe(readFileSync(GOLDEN, "utf8"));
    });

    it("migrating again applies nothing and changes nothing", async () => {
      const before = await dumpSchema(t.db);
      expect(await migrate(t.db)).toEqual({ applied: [], version: MIGRATIONS.length });
      expect(await dumpSchema(t.db)).toBe(before);
    });

    it("a database migrated by another build (same id, other name) is refused with HOOKLINE_DB_MIGRATION_MISMATCH", async () => {
      const renamed: Migration[] = [{ ...MIGRATIONS[0]!, name: "something-else" }];
      const err = await errorOf(migrate(t.db, renamed));
      expect(err.code).toBe("HOOKLINE_DB_MIGRATION_MISMATCH");
    });

    it("a failing migration leaves no trace: its statements and its record roll back together", async () => {
      const broken: Migration = {
        id: MIGRATIONS.length + 1,
        name: "broken",
        statements: ["CREATE TABLE half_done (x int)", "SELECT no_such_function()"],
      };
      await expect(migrate(t.db, [...MIGRATIONS, broken])).rejects.toThrow();
      const tables = await t.db.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'`,
      );
      expect(tables.rowCount).toBe(0);
      expect((await t.db.query(`SELECT max(id) AS v FROM hookline_migrations`)).rows[0]).toEqual({ v: MIGRATIONS.length });
    });

    it("a migration list with a gap is a programming error, caught before touching the database", async () => {
      await expect(migrate(t.db, [{ ...MIGRATIONS[0]!, id: 2 }])).rejects.toThrow(/out of order/);
    });
  });
});

describe.runIf(FACTORIES[1]!.available)("migrations on postgres: several instances starting at once", () => {
  it("three instances migrating a fresh database concurrently: one applies, the others find nothing to do", async () => {
    const t = await FACTORIES[1]!.open({ migrate: false });
    try {
      const pools = [t.db, await t.another(), await t.another()];
      const results = await Promise.all(pools.map((db) => migrate(db)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
      expect(results.every((r) => r.version === MIGRATIONS.length)).toBe(true);
      expect(await dumpSchema(t.db)).toBe(readFileSync(GOLDEN, "utf8"));
    } finally {
      await t.cleanup();
    }
  });
});
