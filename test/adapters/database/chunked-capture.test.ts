/**
 * Capture layout 2 (docs/database.md "Delivery"): an INSERT or DELETE statement is logged as one log row per
 * 100 changed rows, and the reader expands it again, so a multi-row statement keeps every row's change, its
 * columns and the statement's order, each change with an id of its own that a re-read repeats; a read never
 * takes part of a log row. And a capture installed by layout 1 upgrades in place: its logged changes keep their
 * event ids, nothing is lost or repeated across the upgrade. On PGlite and on PostgreSQL.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureStatus, createCaptureReader, installCapture, readRegistry } from "../../../src/adapters/database/index.js";
import { CAPTURE_VERSION, CHUNK_ROWS, changeEventId, type LogRow } from "../../../src/database/index.js";
import { drain, ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const ORDERS = `CREATE TABLE public.orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new', customer text,
  total numeric(12,2), note text)`;
const SOURCE = "sources:\n  - name: shop\n    tables:\n      - table: orders\n        labels: [status]\n";
const LAYOUT_1 = readFileSync(new URL("./fixtures/capture-layout-1.sql", import.meta.url), "utf8").split(/^;;$/m);
const LAYOUT_1_INSTALL_ID = "3f1d2c4b-5a6e-4f70-8a9b-0c1d2e3f4a5b";

const ids = (got: Awaited<ReturnType<typeof drain>>) => got.map((g) => g.event.resource["prefect.resource.id"]);
const logRows = async (t: TestDb) =>
  (await t.db.query<{ op: string; changes: number }>("SELECT op, changes FROM hookline_capture.log WHERE delivered_at IS NULL ORDER BY id"))
    .rows;

describe.each(ENGINES)("chunked capture on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.query(ORDERS);
  });
  afterAll(async () => t?.close());

  it("a capture of layout 1 upgrades in place: its logged changes keep their event ids, later ones are chunked, nothing is lost", async () => {
    for (const statement of LAYOUT_1) await t.db.query(statement);
    await t.db.query("INSERT INTO orders (id, customer) VALUES (1, 'ada'), (2, 'bob')");
    await t.db.query("UPDATE orders SET status = 'paid' WHERE id = 1");
    const source = sourceOf(SOURCE);
    const report = await installCapture(t.db, source, newId);
    expect(report).toMatchObject({ fromVersion: 1, version: CAPTURE_VERSION, installId: LAYOUT_1_INSTALL_ID });
    expect(report.tables).toEqual([{ schema: "public", table: "orders", action: "updated" }]);
    expect((await installCapture(t.db, source, newId)).tables[0]!.action).toBe("unchanged");
    expect((await captureStatus(t.db, source)).tables[0]!.drift).toEqual([]);
    // layout 1's functions had a SET search_path clause; the replaced ones have none (capture-security.test.ts)
    const configured = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_proc WHERE pronamespace = 'hookline_capture'::regnamespace AND proconfig IS NOT NULL",
    );
    expect(configured.rows[0]!.n).toBe(0);
    await t.db.query("INSERT INTO orders (id, customer) VALUES (3, 'cy'), (4, 'di')");
    await t.db.query("UPDATE orders SET status = 'paid' WHERE id = 3");
    expect(await logRows(t)).toEqual([
      { op: "INSERT", changes: 1 },
      { op: "INSERT", changes: 1 },
      { op: "UPDATE", changes: 1 },
      { op: "INSERTS", changes: 2 },
      { op: "UPDATE", changes: 1 },
    ]);
    const got = await drain(t.db, source);
    expect(got.map((g) => [g.event.event, g.event.resource["prefect.resource.id"], g.event.resource["postgres.row.status"]])).toEqual([
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.1", "new"],
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.2", "new"],
      ["postgres.public.orders.updated", "postgres.shop.public.orders.1", "paid"],
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.3", "new"],
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.4", "new"],
      ["postgres.public.orders.updated", "postgres.shop.public.orders.3", "paid"],
    ]);
    // layout 1's rows: the id of layout 1 (the log row id alone), so a change stored before the upgrade is a duplicate
    expect(got.slice(0, 3).map((g) => g.event.id)).toEqual(
      got.slice(0, 3).map((g) => changeEventId("shop", LAYOUT_1_INSTALL_ID, g.row.id)),
    );
    expect(got.slice(3, 5).map((g) => [g.row.index, g.event.payload.hookline])).toEqual([
      [0, expect.objectContaining({ log_id: got[3]!.row.id, log_index: 0 })],
      [1, expect.objectContaining({ log_id: got[3]!.row.id, log_index: 1 })],
    ]);
    expect(new Set(got.map((g) => g.event.id)).size).toBe(got.length);
    expect(await drain(t.db, source)).toEqual([]);
  });

  it("a multi-row INSERT and DELETE are logged 100 rows to a log row and delivered as one change per row, in statement order, with every column", async () => {
    const source = sourceOf(SOURCE);
    await installCapture(t.db, source, newId);
    await t.db.query(
      "INSERT INTO orders (id, customer, total, note) SELECT g, 'c' || g, g / 4.0, CASE WHEN g % 2 = 0 THEN 'Zoë \"' || g END FROM generate_series(1000, 1249) g",
    );
    await t.db.query("DELETE FROM orders WHERE id BETWEEN 1000 AND 1249");
    const rows = await logRows(t);
    expect(rows.map((r) => `${r.op}:${r.changes}`)).toEqual([
      "INSERTS:100",
      "INSERTS:100",
      "INSERTS:50",
      "DELETES:100",
      "DELETES:100",
      "DELETES:50",
    ]);
    expect(CHUNK_ROWS).toBe(100);
    const got = await drain(t.db, source);
    const keys = Array.from({ length: 250 }, (_, i) => `postgres.shop.public.orders.${1000 + i}`);
    expect(ids(got)).toEqual([...keys, ...keys]);
    expect(got.slice(0, 250).every((g) => g.event.event === "postgres.public.orders.inserted")).toBe(true);
    expect(got.slice(250).every((g) => g.event.event === "postgres.public.orders.deleted")).toBe(true);
    const data = (i: number) => (got[i]!.event.payload.event as { op: string; data: { old: unknown; new: unknown } }).data;
    expect(data(1)).toEqual({ old: null, new: { id: 1001, status: "new", customer: "c1001", total: 250.25, note: null } });
    expect(data(250 + 248)).toEqual({ old: { id: 1248, status: "new", customer: "c1248", total: 312, note: 'Zoë "1248' }, new: null });
    expect(new Set(got.map((g) => g.event.id)).size).toBe(500);
  });

  it("a one-row INSERT or DELETE statement is logged as one change, as a row trigger logs it; a statement changing no row logs nothing", async () => {
    const source = sourceOf(SOURCE);
    await installCapture(t.db, source, newId);
    await t.db.query("INSERT INTO orders (id, customer) VALUES (3000, 'eve')");
    await t.db.query("INSERT INTO orders (id) SELECT g FROM generate_series(1, 0) g");
    await t.db.query("DELETE FROM orders WHERE id = 3000");
    await t.db.query("DELETE FROM orders WHERE id = -1");
    expect((await logRows(t)).map((r) => `${r.op}:${r.changes}`)).toEqual(["INSERT:1", "DELETE:1"]);
    const got = await drain(t.db, source);
    expect(got.map((g) => [g.event.event, g.row.index, (g.event.payload.event as { data: unknown }).data])).toEqual([
      ["postgres.public.orders.inserted", null, { old: null, new: { id: 3000, status: "new", customer: "eve", total: null, note: null } }],
      ["postgres.public.orders.deleted", null, { old: { id: 3000, status: "new", customer: "eve", total: null, note: null }, new: null }],
    ]);
  });

  it("a read takes whole log rows: a crash before the mark gives the same changes with the same ids again", async () => {
    const source = sourceOf(SOURCE);
    await installCapture(t.db, source, newId);
    await t.db.query("INSERT INTO orders (id) SELECT g FROM generate_series(2000, 2249) g");
    const lane = (await readRegistry(t.db, "hookline_capture"))[0]!.id;
    const reader = createCaptureReader(t.db, "hookline_capture");
    const read = async (limit: number, fail: boolean) => {
      let seen: LogRow[] = [];
      const n = await reader
        .deliverLane({
          tableId: lane,
          keyColumns: ["id"],
          limit,
          instance: "test",
          deleteDelivered: false,
          batches: 1,
          deliver: async (rows) => {
            seen = rows;
            if (fail) throw new Error("crash before the mark");
          },
        })
        .catch(() => null);
      return { n, seen };
    };
    const crashed = await read(150, true);
    // 150 asked: the first log row (100) and the second (the changes before it, 100, are fewer than 150), never half a row
    expect(crashed.seen.length).toBe(200);
    const again = await read(150, false);
    expect(again.n).toBe(200);
    expect(again.seen).toEqual(crashed.seen);
    expect((await read(1, false)).seen.map((r) => [r.key[0], r.index])).toEqual(
      Array.from({ length: 50 }, (_, i) => [String(2200 + i), i]),
    );
    expect((await reader.backlog())[0]!.backlog).toBe(0);
  });
});

describe.each(ENGINES)("capture layout 3 on %s", (kind) => {
  it("the log's images are compressed with lz4 where this PostgreSQL has it, else with the default; the install succeeds either way", async () => {
    const t = await openTestDb(kind);
    try {
      await t.db.query(ORDERS);
      // the setting's values list lz4 only where PostgreSQL was built with it
      const lz4 =
        (
          await t.db.query<{ lz4: boolean }>(
            "SELECT coalesce('lz4' = ANY (enumvals), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'",
          )
        ).rows[0]?.lz4 === true;
      const report = await installCapture(t.db, sourceOf(SOURCE), newId);
      expect(report.version).toBe(3);
      const { rows } = await t.db.query<{ attname: string; attcompression: string }>(
        `SELECT attname, attcompression::text AS attcompression FROM pg_attribute
         WHERE attrelid = 'hookline_capture.log'::regclass AND attname IN ('old_row', 'new_row') ORDER BY attname`,
      );
      expect(rows).toEqual(["new_row", "old_row"].map((attname) => ({ attname, attcompression: lz4 ? "l" : "" })));
      await t.db.query("INSERT INTO orders (id, note) SELECT g, repeat('z', 200) FROM generate_series(1, 150) g");
      expect((await drain(t.db, sourceOf(SOURCE))).map((g) => g.row.key[0])).toEqual(Array.from({ length: 150 }, (_, i) => String(i + 1)));
    } finally {
      await t.close();
    }
  });
});
