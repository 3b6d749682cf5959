/**
 * The pipelined reader (docs/database.md "Delivery"): on PostgreSQL one lane transaction delivers several
 * batches, each read after the last log id of the one before while that one is stored, and marks them; the
 * marks commit together. So the batches are consecutive (no change twice, none skipped, log order), and a
 * failure in any batch leaves every batch of the transaction undelivered: the re-read hands the same changes
 * with the same ids (the store drops them as duplicates). PGlite delivers one batch per call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaptureReader, installCapture, readRegistry, type CaptureReader } from "../../../src/adapters/database/index.js";
import type { LogRow } from "../../../src/database/index.js";
import { ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const SOURCE = "sources:\n  - name: shop\n    tables:\n      - table: orders\n";
const undelivered = async (t: TestDb) =>
  Number(
    (await t.db.query<{ n: string }>("SELECT coalesce(sum(changes), 0) AS n FROM hookline_capture.log WHERE delivered_at IS NULL")).rows[0]!
      .n,
  );

describe.each(ENGINES)("pipelined reader on %s", (kind) => {
  let t: TestDb;
  let reader: CaptureReader;
  let lane: number;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.query("CREATE TABLE public.orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new')");
    await installCapture(t.db, sourceOf(SOURCE), newId);
    lane = (await readRegistry(t.db, "hookline_capture"))[0]!.id;
    reader = createCaptureReader(t.db, "hookline_capture");
  });
  afterAll(async () => t?.close());

  const deliverLane = (batches: number, deliver: (rows: LogRow[], batch: number) => Promise<void>) => {
    let batch = 0;
    return reader.deliverLane({
      tableId: lane,
      keyColumns: ["id"],
      limit: 100,
      instance: "test",
      deleteDelivered: false,
      batches,
      deliver: (rows) => deliver(rows, ++batch),
    });
  };

  it("a failure in a later batch of the transaction leaves every batch undelivered; the re-read repeats the same ids", async () => {
    // single-row statements (one log row each) and a 250-row statement (three chunk rows) mixed
    for (let i = 1; i <= 120; i++) await t.db.query("INSERT INTO orders (id) VALUES ($1)", [i]);
    await t.db.query("INSERT INTO orders (id) SELECT g FROM generate_series(1000, 1249) g");
    await t.db.query("UPDATE orders SET status = 'paid' WHERE id <= 30");
    const total = 120 + 250 + 30;
    const first: LogRow[] = [];
    const failed = await deliverLane(8, async (rows, batch) => {
      // PGlite delivers one batch per call: its first fails
      if (batch === (kind === "pglite" ? 1 : 3)) throw new Error("the store is down");
      first.push(...rows);
    }).catch((err: Error) => err.message);
    expect(failed).toBe("the store is down");
    expect(await undelivered(t)).toBe(total);
    const got: LogRow[] = [];
    const sizes: number[] = [];
    for (;;) {
      const n = await deliverLane(8, async (rows) => {
        got.push(...rows);
        sizes.push(rows.length);
      });
      if (!n) break;
    }
    // PostgreSQL: one transaction delivered batch after batch; PGlite: one batch per call
    expect(sizes.length).toBeGreaterThan(2);
    expect(got.length).toBe(total);
    expect(got.slice(0, first.length)).toEqual(first);
    // consecutive and in log order: each change once, and (log id, place in the chunk) increasing
    const order = got.map((r) => [BigInt(r.id), r.index ?? -1] as const);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
    expect(got.filter((r) => r.op === "INSERT").map((r) => Number(r.key[0]))).toEqual([
      ...Array.from({ length: 120 }, (_, i) => i + 1),
      ...Array.from({ length: 250 }, (_, i) => 1000 + i),
    ]);
    expect(await undelivered(t)).toBe(0);
  });

  it("a transaction delivers at most `batches` batches, each of whole log rows", async () => {
    await t.db.query("INSERT INTO orders (id) SELECT g FROM generate_series(2000, 2999) g");
    const sizes: number[] = [];
    const n = await deliverLane(3, async (rows) => void sizes.push(rows.length));
    expect(sizes).toEqual(kind === "pglite" ? [100] : [100, 100, 100]);
    expect(n).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(await undelivered(t)).toBe(1000 - n!);
  });
});
