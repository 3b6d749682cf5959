/**
 * Issue 15's "done when", on real PostgreSQL through the real `hookline serve`: a user adds one table of an
 * existing database to database.yaml, inserts a row, and sees the event in the feed and the webhook called with
 * Hasura's payload; the absence alert fires for an order that never ships and resolves when it ships. Also: the
 * column filters hold end to end, `manual` invokes a row through the API, and a replay (dry run first) sends a time range through the automations again.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cleanupDirs, killChildren, pgDatabase, PG_URL, slowTarget, startChild, waitFor } from "../durability/harness.js";
import { API_AUTH, captured, databaseConfig, databaseEvents, ORDERS_SQL, sources } from "./rig.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const database = `sources:
  - name: shop
    url_env: SHOP_DATABASE_URL
    install: true
    poll_interval: 0.05s
    tables:
      - table: orders
        operations: [insert, update, delete, manual]
        update_columns: [status]
        exclude_columns: [secret]
        labels: [status]
`;

const automations = (target: string) => `automations:
  - name: order-to-billing
    description: Hasura's payload to an existing receiver
    trigger:
      expect: postgres.public.orders.inserted
    actions:
      - type: call-webhook
        url: ${target}/hasura
        body: "{{ event.payload }}"

  - name: order-not-shipped
    trigger:
      posture: Proactive
      after: postgres.public.orders.inserted
      expect: postgres.public.orders.updated
      match:
        postgres.row.status: [new, shipped]
      for_each: prefect.resource.id
      within: 10s
    actions:
      - type: call-webhook
        url: ${target}/late
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }
    actions_on_resolve:
      - type: call-webhook
        url: ${target}/shipped
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }
`;

describe.skipIf(!PG_URL)("database change events through hookline serve (PostgreSQL)", () => {
  it("an inserted row is an event in the feed and the webhook gets Hasura's payload; the absence alert fires and resolves; filters, manual and replay hold", async () => {
    const shop = await pgDatabase();
    const store = await pgDatabase();
    const target = await slowTarget(0);
    await shop.query(ORDERS_SQL);
    const child = await startChild({
      configDir: databaseConfig({ database, automations: automations(target.url) }),
      databaseUrl: store.url,
      env: { SHOP_DATABASE_URL: shop.url },
      bin: true,
    });
    try {
      await captured(child.url);
      await shop.query(`INSERT INTO orders (id, customer, total, secret) VALUES (42, 'Zoë', 12.50, 'hunter2')`);

      // the feed
      const [inserted] = await waitFor("the inserted event", async () => {
        const e = await databaseEvents(child.url);
        return e.length > 0 && e;
      });
      expect(inserted).toMatchObject({
        event: "postgres.public.orders.inserted",
        resource: {
          "prefect.resource.id": "postgres.shop.public.orders.42",
          "postgres.source": "shop",
          "postgres.table": "orders",
          "postgres.row.status": "new",
        },
      });

      // the webhook: Hasura's body (what a Hasura receiver reads), the excluded column left out
      const hit = await waitFor("the webhook call", () => target.hits.find((h) => h.path === "/hasura"));
      const body = JSON.parse(hit.body) as Record<string, any>;
      expect(body).toMatchObject({
        id: inserted!.id,
        trigger: { name: "public_orders" },
        table: { schema: "public", name: "orders" },
        event: { op: "INSERT", data: { old: null, new: { id: 42, status: "new", customer: "Zoë", total: 12.5, note: null } } },
        delivery_info: { max_retries: 0, current_retry: 0 },
      });
      expect(body.event.data.new).not.toHaveProperty("secret");
      expect(typeof body.created_at).toBe("string");

      // no shipment within 10 s: the absence alert fires; shipping resolves it
      const late = await waitFor("the absence alert", () => target.hits.find((h) => h.path === "/late"));
      expect(JSON.parse(late.body)).toEqual({ order: "postgres.shop.public.orders.42" });
      // an update of a column outside update_columns is not captured
      await shop.query(`UPDATE orders SET note = 'gift wrap' WHERE id = 42`);
      await shop.query(`UPDATE orders SET status = 'shipped' WHERE id = 42`);
      const shipped = await waitFor("the resolve action", () => target.hits.find((h) => h.path === "/shipped"));
      expect(JSON.parse(shipped.body)).toEqual({ order: "postgres.shop.public.orders.42" });

      // manual: the API logs the current row as an invoked change
      const res = await fetch(`${child.url}/api/database/sources/shop/invoke`, {
        method: "POST",
        headers: { "content-type": "application/json", ...API_AUTH },
        body: JSON.stringify({ table: "orders", key: { id: "42" } }),
      });
      expect(res.status).toBe(202);
      const { event_id } = (await res.json()) as { event_id: string };
      const events = await waitFor("the invoked event", async () => {
        const e = await databaseEvents(child.url);
        return e.some((x) => x.id === event_id) && e;
      });
      expect(events.map((e) => e.event)).toEqual([
        "postgres.public.orders.inserted",
        "postgres.public.orders.updated",
        "postgres.public.orders.invoked",
      ]);
      expect(events[1]!.resource).toMatchObject({ "postgres.row.status": "shipped", "postgres.old.status": "new" });

      const missing = await fetch(`${child.url}/api/database/sources/shop/invoke`, {
        method: "POST",
        headers: { "content-type": "application/json", ...API_AUTH },
        body: JSON.stringify({ table: "orders", key: { id: "7" } }),
      });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("HOOKLINE_DB_ROW_NOT_FOUND");

      // replay: a dry run counts, the replay sends the changes through the automations again as new events
      const replay = async (body: Record<string, unknown>) => {
        const r = await fetch(`${child.url}/api/database/sources/shop/replay`, {
          method: "POST",
          headers: { "content-type": "application/json", ...API_AUTH },
          body: JSON.stringify({
            from: new Date(Date.now() - 3_600_000).toISOString(),
            to: new Date(Date.now() + 60_000).toISOString(),
            ...body,
          }),
        });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      const dry = await replay({});
      expect(dry).toMatchObject({ status: 200, body: { dry_run: true, changes: 3 } });
      expect(await databaseEvents(child.url)).toHaveLength(3);
      const done = await replay({ dry_run: false, id: "replay-1" });
      expect(done).toMatchObject({ status: 202, body: { dry_run: false, id: "replay-1", changes: 3, inserted: 3, duplicates: 0 } });
      expect(await replay({ dry_run: false, id: "replay-1" })).toMatchObject({ body: { inserted: 0, duplicates: 3 } });
      const replayed = (await databaseEvents(child.url)).slice(3);
      expect(replayed.map((e) => [e.event, (e.payload as { hookline: { replay: { id: string } } }).hookline.replay.id])).toEqual([
        ["postgres.public.orders.inserted", "replay-1"],
        ["postgres.public.orders.updated", "replay-1"],
        ["postgres.public.orders.invoked", "replay-1"],
      ]);
      await waitFor("the replayed insert through the automation", () => target.hits.filter((h) => h.path === "/hasura").length === 2);

      const [view] = await sources(child.url);
      expect(view).toMatchObject({ name: "shop", error: null, status: { installed: true } });
      expect((await child.stop()).code).toBe(0);
    } finally {
      await killChildren();
      await target.close();
      await shop.drop();
      await store.drop();
    }
  });
});
