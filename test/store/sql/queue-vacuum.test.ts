import { describe, expect, it } from "vitest";
import type { Db } from "../../../src/store/sql/index.js";
import { createSqlStore } from "../../../src/store/sql/index.js";
import { createQueueVacuum } from "../../../src/store/sql/queue-vacuum.js";
import { until } from "../../server/work/helpers.js";
import { consume, ev, FACTORIES, item, label, T0 } from "./helpers.js";

/** a Db whose queries are recorded and answered by `answer` (a promise the test may hold open) */
function fakeDb(answer: () => Promise<unknown> = () => Promise.resolve()): Db & { sql: string[] } {
  const sql: string[] = [];
  const db: Db & { sql: string[] } = {
    kind: "postgres",
    sql,
    query: async (q) => {
      sql.push(typeof q === "string" ? q : q.text);
      await answer();
      return { rows: [], rowCount: 0 };
    },
    transaction: (fn) => fn(db),
    close: async () => {},
  };
  return db;
}

describe("the queue vacuum: the store vacuums `pending` itself after every N consumed rows", () => {
  it("vacuums once N rows were consumed, not before, and counts again from zero", async () => {
    const db = fakeDb();
    const vacuum = createQueueVacuum(db, 10);
    vacuum.consumed(4);
    vacuum.consumed(5);
    expect(db.sql).toEqual([]);
    vacuum.consumed(1);
    await vacuum.idle();
    expect(db.sql).toEqual(["VACUUM (SKIP_LOCKED, TRUNCATE false) pending"]);
    vacuum.consumed(9);
    await vacuum.idle();
    expect(db.sql).toHaveLength(1);
  });

  it("runs one vacuum at a time: rows consumed meanwhile do not start another", async () => {
    let finish!: () => void;
    const db = fakeDb(() => new Promise<void>((resolve) => (finish = resolve)));
    const vacuum = createQueueVacuum(db, 1);
    vacuum.consumed(1);
    vacuum.consumed(5);
    vacuum.consumed(5);
    expect(db.sql).toHaveLength(1);
    finish();
    await vacuum.idle();
    vacuum.consumed(1);
    expect(db.sql).toHaveLength(2);
  });

  it("a failed vacuum is not an error of the evaluation (autovacuum does the work then) and the next one runs", async () => {
    let fail = true;
    const db = fakeDb(() => (fail ? Promise.reject(new Error("must be owner of table pending")) : Promise.resolve()));
    const vacuum = createQueueVacuum(db, 1);
    vacuum.consumed(1);
    await vacuum.idle();
    fail = false;
    vacuum.consumed(1);
    await vacuum.idle();
    expect(db.sql).toHaveLength(2);
  });
});

describe.each(FACTORIES)("the queue vacuum on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    it("evaluations that consumed N queue rows vacuum the table (the statement is valid on this database)", async () => {
      const t = await f.open();
      try {
        const store = createSqlStore(t.db, { queueVacuumEvery: 3 });
        const vacuums = async () =>
          Number(
            (
              await t.db.query<{ n: string }>(
                `SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = 'pending' AND schemaname = current_schema()`,
              )
            ).rows[0]?.n ?? 0,
          );
        await store.ingest([1, 2, 3, 4].map((k) => item(ev(k))));
        const before = await vacuums();
        await store.evaluateScope("server", T0, 2, consume); // 2 consumed: not yet
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await vacuums()).toBe(before);
        await store.evaluateScope("server", T0, 10, consume); // 4 in all: vacuumed in the background
        await until(async () => (await vacuums()) !== before, "the background vacuum");
        expect(await vacuums()).toBe(before + 1);
      } finally {
        await t.cleanup();
      }
    });
  });
});
