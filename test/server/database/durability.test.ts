/**
 * Delivery of captured changes survives crashes and shares the log (issue 15 item 4), on real PostgreSQL
 * through real `hookline serve` processes:
 * - kill -9 during a 10,000-row burst, more changes while hookline is down, then up again: every change is
 *   stored exactly once, each row's changes in commit order (the source is hookline's own database here);
 * - two instances on one store and one source database: each change stored once, and no instance ever stores
 *   a change another one stored (their duplicate counters stay at 0).
 */
import { afterAll, describe, expect, it } from "vitest";
import { cleanupDirs, killChildren, pgDatabase, PG_URL, startChild, waitFor, type ApiEvent } from "../durability/harness.js";
import { captured, databaseConfig, databaseEvents, ingestedCounts } from "./rig.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const TABLE = `CREATE SCHEMA shop;
CREATE TABLE shop.orders (id bigint PRIMARY KEY, status text NOT NULL, c1 text, c2 int, c3 numeric, c4 boolean, c5 timestamptz, c6 jsonb, c7 text, c8 bigint)`;

const insertBatch = (from: number, n: number) =>
  `INSERT INTO shop.orders (id, status, c1, c2, c3, c4, c5, c6, c7, c8)
   SELECT g, 'new', 'row ' || g, g % 1000, g / 7.0, g % 2 = 0, now(), jsonb_build_object('g', g), repeat('x', 50), g * 1000
   FROM generate_series(${from}, ${from + n - 1}) g`;

/** for each resource, the statuses of its events in stored order; and whether log positions ascend per resource */
function perRow(events: ApiEvent[]) {
  const statuses = new Map<string, string[]>();
  const lastLog = new Map<string, bigint>();
  let ordered = true;
  for (const e of events) {
    const id = e.resource["prefect.resource.id"]!;
    const p = e.payload as { event: { data: { new: { status: string } } }; hookline: { log_id: string; log_index?: number } };
    // the log row, then the change's place in it (a statement's rows share a log row, 100 at a time)
    const log = BigInt(p.hookline.log_id) * 1000n + BigInt(p.hookline.log_index ?? 0);
    if ((lastLog.get(id) ?? -1n) >= log) ordered = false;
    lastLog.set(id, log);
    statuses.set(id, [...(statuses.get(id) ?? []), p.event.data.new.status]);
  }
  return { statuses, ordered };
}

describe.skipIf(!PG_URL)("database delivery durability (PostgreSQL)", () => {
  it("kill -9 during a 10,000-row burst, changes while down, restart: every change stored once, each row's in order", async () => {
    const db = await pgDatabase();
    await db.query(TABLE);
    const dir = databaseConfig({
      database: `sources:
  - name: own
    install: true
    poll_interval: 0.05s
    batch_size: 500
    tables:
      - { schema: shop, table: orders }
`,
    });
    try {
      let child = await startChild({ configDir: dir, databaseUrl: db.url, bin: true });
      await captured(child.url);
      // the burst: 100 transactions of 100 rows, hookline reading meanwhile
      const burst = (async () => {
        for (let i = 0; i < 100; i++) await db.query(insertBatch(1 + i * 100, 100));
      })();
      await waitFor("part of the burst delivered", async () => {
        const [r] = await db.query<{ n: string }>(
          `SELECT coalesce(sum(changes), 0) AS n FROM hookline_capture.log WHERE delivered_at IS NOT NULL`,
        );
        return Number(r!.n) >= 1500;
      });
      await child.crash();
      await burst;
      // while hookline is down: three updates of rows 1..100, in order, each its own transaction
      for (const status of ["paid", "packed", "shipped"]) await db.query(`UPDATE shop.orders SET status = $1 WHERE id <= 100`, [status]);
      const [pending] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM hookline_capture.log WHERE delivered_at IS NULL`);
      expect(Number(pending!.n)).toBeGreaterThan(0);

      child = await startChild({ configDir: dir, databaseUrl: db.url, bin: true });
      const events = await waitFor(
        "every change stored",
        async () => {
          const e = await databaseEvents(child.url);
          return e.length >= 10_300 && e;
        },
        120_000,
      );
      expect(events.length).toBe(10_300);
      expect(new Set(events.map((e) => e.id)).size).toBe(10_300);
      const { statuses, ordered } = perRow(events);
      expect(ordered).toBe(true);
      expect(statuses.size).toBe(10_000);
      expect(statuses.get("postgres.own.shop.orders.1")).toEqual(["new", "paid", "packed", "shipped"]);
      expect(statuses.get("postgres.own.shop.orders.10000")).toEqual(["new"]);
      const [left] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM hookline_capture.log WHERE delivered_at IS NULL`);
      expect(Number(left!.n)).toBe(0);
      expect((await child.stop()).code).toBe(0);
    } finally {
      await killChildren();
      await db.drop();
    }
  }, 180_000);

  it("two instances share one log: each change stored once, none stored by both", async () => {
    const shop = await pgDatabase();
    const store = await pgDatabase();
    await shop.query(TABLE);
    await shop.query(`CREATE TABLE shop.payments (id bigint PRIMARY KEY, status text NOT NULL)`);
    const dir = databaseConfig({
      database: `sources:
  - name: shop
    url_env: SHOP_DATABASE_URL
    install: true
    poll_interval: 0.05s
    batch_size: 200
    tables:
      - { schema: shop, table: orders }
      - { schema: shop, table: payments }
`,
    });
    const start = () => startChild({ configDir: dir, databaseUrl: store.url, env: { SHOP_DATABASE_URL: shop.url }, bin: true });
    try {
      const a = await start();
      await captured(a.url);
      const b = await start();
      for (let i = 0; i < 20; i++) {
        await shop.query(insertBatch(1 + i * 100, 100));
        await shop.query(`INSERT INTO shop.payments (id, status) SELECT g, 'due' FROM generate_series(${1 + i * 100}, ${100 + i * 100}) g`);
      }
      await shop.query(`UPDATE shop.payments SET status = 'paid'`);
      const events = await waitFor(
        "every change stored",
        async () => {
          const e = await databaseEvents(a.url);
          return e.length >= 6_000 && e;
        },
        60_000,
      );
      expect(events.length).toBe(6_000);
      expect(new Set(events.map((e) => e.id)).size).toBe(6_000);
      expect(perRow(events).ordered).toBe(true);
      const [ca, cb] = [await ingestedCounts(a.url), await ingestedCounts(b.url)];
      expect(ca.inserted + cb.inserted).toBe(6_000);
      expect(ca.duplicate + cb.duplicate).toBe(0);
      expect((await a.stop()).code).toBe(0);
      expect((await b.stop()).code).toBe(0);
    } finally {
      await killChildren();
      await shop.drop();
      await store.drop();
    }
  }, 120_000);
});
