/**
 * The capture inside the source database (issue 15 items 2 and 7): every operation is logged in the writer's
 * transaction (a rollback logs nothing), column filters hold, hostile names and values are captured intact,
 * and install / upgrade / uninstall are idempotent. On PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCaptureReader,
  installCapture,
  readRegistry,
  uninstallCapture,
  captureStatus,
} from "../../../src/adapters/database/index.js";
import { validateEvent } from "../../../src/events/index.js";
import { CAPTURE_VERSION } from "../../../src/database/index.js";
import { drain, ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const ORDERS = `CREATE TABLE public.orders (
  id bigserial PRIMARY KEY, status text NOT NULL DEFAULT 'new', customer text, total numeric(12,2), secret text,
  doc jsonb, raw bytea, note text, updated_at timestamptz)`;

const yaml = (tables: string, extra = "") => `sources:\n  - name: shop\n${extra}    tables:\n${tables}`;

describe.each(ENGINES)("capture on %s", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.query(ORDERS);
  });
  afterAll(async () => t?.close());

  it("install is idempotent: the second install changes nothing and takes no table lock", async () => {
    const source = sourceOf(yaml("      - table: orders\n"));
    const first = await installCapture(t.db, source, newId);
    expect(first).toMatchObject({
      fromVersion: 0,
      version: CAPTURE_VERSION,
      tables: [{ schema: "public", table: "orders", action: "installed" }],
    });
    const again = await installCapture(t.db, source, newId);
    expect(again).toMatchObject({ fromVersion: CAPTURE_VERSION, installId: first.installId, tables: [{ action: "unchanged" }] });
    const status = await captureStatus(t.db, source);
    expect(status).toMatchObject({ installed: true, version: CAPTURE_VERSION, owner: "shop", backlog: 0 });
    expect(status.tables).toEqual([
      expect.objectContaining({ table: "orders", captured: true, triggers: ["insert", "update", "delete"], drift: [] }),
    ]);
  });

  it("inserts, updates and deletes are captured in order, each with Hasura's op and images; a no-op update is not", async () => {
    const source = sourceOf(yaml("      - table: orders\n        labels: [status]\n"));
    await installCapture(t.db, source, newId);
    await t.db.transaction(async (tx) => {
      await tx.query("INSERT INTO orders (id, customer, total) VALUES (1, 'ada', 12.50), (2, 'bob', 3)");
      await tx.query("UPDATE orders SET status = 'paid' WHERE id = 1");
    });
    await t.db.query("UPDATE orders SET status = status WHERE id = 2");
    await t.db.query("DELETE FROM orders WHERE id = 2");
    const got = await drain(t.db, source);
    expect(got.map((g) => [g.event.event, g.event.resource["prefect.resource.id"], g.event.resource["postgres.row.status"]])).toEqual([
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.1", "new"],
      ["postgres.public.orders.inserted", "postgres.shop.public.orders.2", "new"],
      ["postgres.public.orders.updated", "postgres.shop.public.orders.1", "paid"],
      ["postgres.public.orders.deleted", "postgres.shop.public.orders.2", "new"],
    ]);
    const update = got[2]!.event.payload.event as { op: string; data: { old: Record<string, unknown>; new: Record<string, unknown> } };
    expect(update.op).toBe("UPDATE");
    expect([update.data.old.status, update.data.new.status, update.data.new.total]).toEqual(["new", "paid", 12.5]);
    expect(got[0]!.row.txid).toBe(got[2]!.row.txid);
    expect(await drain(t.db, source)).toEqual([]);
  });

  it("hostile values (1 MB text, JSON, bytea, NULLs, unicode, quotes) are captured intact and become a valid event under the size rule", async () => {
    const source = sourceOf(yaml("      - table: orders\n        labels: [customer, doc]\n"));
    await installCapture(t.db, source, newId);
    const doc = { 'a"b': ["tab\tand \\u0001", 1e308, "Zoë 🚀"], nested: { "}{": null } };
    await t.db.query(
      "INSERT INTO orders (id, customer, total, doc, raw, note, secret) VALUES (500, $1, 99999999.99, $2::jsonb, '\\x00ff10'::bytea, $3, NULL)",
      ["'); DROP TABLE orders; -- 🚀 Zoë \u202e", `${JSON.stringify(doc).slice(0, -1)},"big":12345678901234567890}`, "x".repeat(1_048_576)],
    );
    const [got] = await drain(t.db, source);
    const event = got!.event;
    expect(validateEvent(event).ok).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(source.maxImageBytes * 2 + 64 * 1024);
    const data = (event.payload.event as { data: { new: Record<string, unknown> } }).data.new;
    expect(data.customer).toBe("'); DROP TABLE orders; -- 🚀 Zoë \u202e");
    expect(data.raw).toBe("\\x00ff10");
    expect(data.secret).toBeNull();
    expect(data.total).toBe(99999999.99);
    expect((data.doc as Record<string, unknown>).big).toBe("12345678901234567890");
    expect((data.doc as Record<string, unknown>)['a"b']).toEqual(["tab\tand \\u0001", 1e308, "Zoë 🚀"]);
    expect((data.note as string).length).toBe(1024);
    expect(event.payload.hookline).toMatchObject({ truncated: [{ image: "new", column: "note", bytes: 1_048_578 }] });
    expect(event.resource["postgres.row.customer"]).toBe("'); DROP TABLE orders; -- 🚀 Zoë \u202e");
    expect(event.event).toBe("postgres.public.orders.inserted");
    await t.db.query("DELETE FROM orders WHERE id = 500");
    await drain(t.db, source);
  });

  it("a rolled back transaction logs nothing", async () => {
    const source = sourceOf(yaml("      - table: orders\n"));
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query("INSERT INTO orders (id) VALUES (10)");
        await tx.query("UPDATE orders SET status = 'x' WHERE id = 1");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await drain(t.db, source)).toEqual([]);
  });

  it("columns, exclude_columns and update_columns: secrets never reach the log, other updates are not captured", async () => {
    const source = sourceOf(
      yaml("      - table: orders\n        exclude_columns: [secret]\n        update_columns: [status]\n        labels: [customer]\n"),
    );
    const report = await installCapture(t.db, source, newId);
    expect(report.tables).toEqual([{ schema: "public", table: "orders", action: "updated" }]);
    await t.db.query("INSERT INTO orders (id, customer, secret) VALUES (20, 'cy', 'hunter2')");
    await t.db.query("UPDATE orders SET note = 'only a note' WHERE id = 20");
    await t.db.query("UPDATE orders SET status = 'shipped', secret = 'other' WHERE id = 20");
    const got = await drain(t.db, source);
    expect(got.map((g) => g.event.event)).toEqual(["postgres.public.orders.inserted", "postgres.public.orders.updated"]);
    const logged = await t.db.query<{ t: string }>(
      "SELECT coalesce(old_row::text, '') || coalesce(new_row::text, '') AS t FROM hookline_capture.log",
    );
    expect(logged.rows.some((r) => r.t.includes("hunter2") || r.t.includes("other"))).toBe(false);
    expect(Object.keys((got[1]!.event.payload.event as { data: { new: object } }).data.new)).not.toContain("secret");

    const only = sourceOf(yaml("      - table: orders\n        columns: [status]\n"));
    await installCapture(t.db, only, newId);
    await t.db.query("UPDATE orders SET status = 'done' WHERE id = 20");
    const [one] = await drain(t.db, only);
    expect((one!.event.payload.event as { data: { new: object } }).data.new).toEqual({ id: 20, status: "done" });
  });

  it("status reports drift: a config the install did not apply, a missing trigger", async () => {
    const source = sourceOf(yaml("      - table: orders\n        operations: [insert, update]\n"));
    const status = await captureStatus(t.db, source);
    expect(status.tables[0]!.drift).toEqual([
      "captured with another configuration (or the table, or hookline's capture SQL, changed): run `hookline db install --source shop`",
    ]);
    await installCapture(t.db, source, newId);
    await t.db.query('DROP TRIGGER "hookline_capture_update" ON orders');
    expect((await captureStatus(t.db, source)).tables[0]!.drift).toEqual([
      "the update trigger is missing: run `hookline db install --source shop`",
    ]);
    expect((await installCapture(t.db, source, newId)).tables[0]!.action).toBe("updated");
    expect((await captureStatus(t.db, source)).tables[0]!.drift).toEqual([]);
  });

  it("an install with a problem changes nothing and lists every problem with the fix", async () => {
    const bad = sourceOf(
      yaml("      - table: orders\n        operations: [insert]\n      - table: nope\n      - table: orders_v\n        schema: public\n"),
    );
    await t.db.query("CREATE VIEW orders_v AS SELECT * FROM orders");
    const err = await installCapture(t.db, bad, newId).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "HOOKLINE_DB_INSTALL_FAILED",
      problems: [
        "table public.nope does not exist in the source database: create it, or fix `schema`/`table` in database.yaml",
        "public.orders_v is a view: only tables can be captured",
      ],
    });
    const status = await captureStatus(t.db, sourceOf(yaml("      - table: orders\n        operations: [insert, update]\n")));
    expect(status.tables[0]!.triggers).toEqual(["insert", "update"]);
  });

  it("a table removed from the config stops being captured; its undelivered changes are still delivered", async () => {
    await t.db.query("CREATE TABLE items (order_id bigint, n int, sku text, PRIMARY KEY (order_id, n))");
    const both = sourceOf(yaml("      - table: orders\n      - table: items\n"));
    await installCapture(t.db, both, newId);
    await t.db.query("INSERT INTO items VALUES (1, 1, 'a'), (1, 2, 'b')");
    const onlyOrders = sourceOf(yaml("      - table: orders\n"));
    const report = await installCapture(t.db, onlyOrders, newId);
    expect(report.tables).toContainEqual({ schema: "public", table: "items", action: "removed" });
    await t.db.query("INSERT INTO items VALUES (1, 3, 'c')");
    const got = await drain(t.db, onlyOrders);
    expect(got.map((g) => g.event.resource["prefect.resource.id"])).toEqual([
      "postgres.shop.public.items.1,1",
      "postgres.shop.public.items.1,2",
    ]);
    expect((await captureStatus(t.db, onlyOrders)).tables.map((x) => x.table)).toEqual(["orders"]);
  });

  it("manual: the current row, logged like a change (in order with the row's others); an unknown key logs nothing", async () => {
    const source = sourceOf(yaml("      - table: orders\n        operations: [manual, update]\n        columns: [status]\n"));
    await installCapture(t.db, source, newId);
    const reg = (await readRegistry(t.db, "hookline_capture")).find((r) => r.table === "orders")!;
    const reader = createCaptureReader(t.db, "hookline_capture");
    const plan = { schema: "public", table: "orders", keyColumns: ["id"], imageColumns: ["id", "status"] };
    expect(await reader.invoke(reg.id, plan, ["1"])).toMatch(/^\d+$/);
    expect(await reader.invoke(reg.id, plan, ["999999"])).toBeNull();
    const [got] = await drain(t.db, source);
    expect(got!.event.event).toBe("postgres.public.orders.invoked");
    expect((got!.event.payload.event as { op: string; data: unknown }).op).toBe("MANUAL");
    expect((got!.event.payload.event as { data: unknown }).data).toEqual({ old: null, new: { id: 1, status: "paid" } });
  });

  it("uninstall keeps a log with undelivered changes (unless forced), then removes everything; again is a no-op", async () => {
    const source = sourceOf(yaml("      - table: orders\n"));
    await installCapture(t.db, source, newId);
    await t.db.query("INSERT INTO orders (id) VALUES (30)");
    const kept = await uninstallCapture(t.db, source);
    expect(kept).toMatchObject({ wasInstalled: true, undelivered: 1, schemaDropped: false, tables: ["public.orders"] });
    await t.db.query("INSERT INTO orders (id) VALUES (31)");
    expect((await drain(t.db, source)).map((g) => g.event.resource["prefect.resource.id"])).toEqual(["postgres.shop.public.orders.30"]);
    expect(await uninstallCapture(t.db, source)).toMatchObject({ undelivered: 0, schemaDropped: true });
    expect(await uninstallCapture(t.db, source)).toMatchObject({ wasInstalled: false, schemaDropped: false });
    const again = await installCapture(t.db, source, newId);
    expect(again.fromVersion).toBe(0);
    await uninstallCapture(t.db, source, { force: true });
  });

  it("a capture schema of another source is refused, with the fix", async () => {
    await installCapture(t.db, sourceOf(yaml("      - table: orders\n")), newId);
    const other = sourceOf("sources:\n  - name: other\n    tables:\n      - table: orders\n");
    await expect(installCapture(t.db, other, newId)).rejects.toMatchObject({ code: "HOOKLINE_DB_CAPTURE_OWNED" });
    await uninstallCapture(t.db, sourceOf(yaml("      - table: orders\n")), { force: true });
  });
});
