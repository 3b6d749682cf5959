/**
 * A partitioned table is captured by row triggers for every operation (a write straight into a partition fires
 * no statement trigger of the parent; src/database/capture-sql.ts): a multi-row INSERT through the parent, a
 * write straight into a partition, an UPDATE and a DELETE are each
 * logged once per row, in order, with every column. An UPDATE that moves a row to another partition is, for
 * PostgreSQL's row triggers, a DELETE from the old partition and an INSERT into the new one (no UPDATE trigger
 * fires): the capture logs exactly that, in that order, in the update's transaction. On PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCapture } from "../../../src/adapters/database/index.js";
import { drain, ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const READINGS = [
  `CREATE TABLE public.readings (id bigint, region text NOT NULL, value numeric, PRIMARY KEY (id, region)) PARTITION BY LIST (region)`,
  `CREATE TABLE public.readings_eu PARTITION OF public.readings FOR VALUES IN ('eu')`,
  `CREATE TABLE public.readings_us PARTITION OF public.readings FOR VALUES IN ('us')`,
];
const SOURCE = "sources:\n  - name: lab\n    tables:\n      - table: readings\n";

describe.each(ENGINES)("partitioned capture on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    for (const statement of READINGS) await t.db.query(statement);
  });
  afterAll(async () => t?.close());

  it("every change of a partitioned table, through the parent or straight into a partition, is logged once per row in order", async () => {
    const source = sourceOf(SOURCE);
    await installCapture(t.db, source, newId);
    await t.db.query(`INSERT INTO public.readings VALUES (1, 'eu', 1.5), (2, 'us', 2.5), (3, 'eu', 3.5)`);
    await t.db.query(`INSERT INTO public.readings_us VALUES (4, 'us', 4.5)`);
    await t.db.query(`UPDATE public.readings SET value = 9 WHERE id = 1`);
    await t.db.query(`DELETE FROM public.readings WHERE id IN (2, 4)`);
    const logged = await t.db.query<{ op: string; changes: number }>(`SELECT op, changes FROM hookline_capture.log ORDER BY id`);
    expect(logged.rows.map((r) => `${r.op}:${r.changes}`)).toEqual([
      "INSERT:1",
      "INSERT:1",
      "INSERT:1",
      "INSERT:1",
      "UPDATE:1",
      "DELETE:1",
      "DELETE:1",
    ]);
    const got = await drain(t.db, source);
    expect(got.map((g) => [g.event.event, g.row.key.join("/")])).toEqual([
      ["postgres.public.readings.inserted", "1/eu"],
      ["postgres.public.readings.inserted", "2/us"],
      ["postgres.public.readings.inserted", "3/eu"],
      ["postgres.public.readings.inserted", "4/us"],
      ["postgres.public.readings.updated", "1/eu"],
      ["postgres.public.readings.deleted", "2/us"],
      ["postgres.public.readings.deleted", "4/us"],
    ]);
    expect((got[4]!.event.payload.event as { data: unknown }).data).toEqual({
      old: { id: 1, region: "eu", value: 1.5 },
      new: { id: 1, region: "eu", value: 9 },
    });
  });

  it("an UPDATE that moves a row to another partition is logged as its DELETE then its INSERT, not as an UPDATE", async () => {
    const source = sourceOf(SOURCE);
    await installCapture(t.db, source, newId);
    await t.db.query(`INSERT INTO public.readings VALUES (10, 'eu', 1)`);
    await drain(t.db, source);
    await t.db.query(`UPDATE public.readings SET region = 'us', value = 2 WHERE id = 10`);
    const logged = await t.db.query<{ op: string; txid: string }>(
      `SELECT op, txid FROM hookline_capture.log WHERE delivered_at IS NULL ORDER BY id`,
    );
    expect(logged.rows.map((r) => r.op)).toEqual(["DELETE", "INSERT"]);
    expect(logged.rows[0]!.txid).toBe(logged.rows[1]!.txid);
    const got = await drain(t.db, source);
    expect(got.map((g) => [g.event.event, g.row.key.join("/"), (g.event.payload.event as { data: unknown }).data])).toEqual([
      ["postgres.public.readings.deleted", "10/eu", { old: { id: 10, region: "eu", value: 1 }, new: null }],
      ["postgres.public.readings.inserted", "10/us", { old: null, new: { id: 10, region: "us", value: 2 } }],
    ]);
  });
});
