import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { errorOf, ev, FACTORIES, item, label, queuedIds, useStore, type TestDb } from "./helpers.js";

describe.each(FACTORIES)("ingest on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    const pendingOf = (scope: string) => queuedIds(t.db, scope);

    it("stores each event once and queues it for every scope given", async () => {
      const a = ev(1);
      const r = await store.ingest([item(a, ["server", "repo:o/r"])]);
      expect(r).toEqual({ inserted: [a.id], duplicates: [] });
      expect(await pendingOf("server")).toEqual([a.id]);
      expect(await pendingOf("repo:o/r")).toEqual([a.id]);
      const page = await store.listEvents({ limit: 10 });
      expect(page.events.map((e) => e.event)).toEqual([a]);
      expect(typeof page.events[0]!.seq).toBe("string");
      expect(Number.isFinite(page.events[0]!.received)).toBe(true);
    });

    it("a duplicate id (stored before) is reported and queues nothing, not even for a new scope", async () => {
      const a = ev(1);
      await store.ingest([item(a, ["server"])]);
      const again = await store.ingest([item({ ...a, payload: { changed: true } }, ["server", "repo:o/r"])]);
      expect(again).toEqual({ inserted: [], duplicates: [a.id] });
      expect(await pendingOf("repo:o/r")).toEqual([]);
      expect((await store.listEvents({ limit: 10 })).events[0]!.event.payload).toEqual({ key: 1 });
    });

    it("a duplicate within one batch is reported, stored once and queued once", async () => {
      const a = ev(1);
      const b = ev(2);
      const r = await store.ingest([item(a), item(b), item(a, ["repo:o/r"]), item(a)]);
      expect(r).toEqual({ inserted: [a.id, b.id], duplicates: [a.id, a.id] });
      expect(await pendingOf("server")).toEqual([a.id, b.id]);
      expect(await pendingOf("repo:o/r")).toEqual([]);
    });

    it("a repeated scope in one item queues the event once", async () => {
      const a = ev(1);
      await store.ingest([item(a, ["server", "server"])]);
      expect(await pendingOf("server")).toEqual([a.id]);
    });

    it("storage sequence follows input order within a batch", async () => {
      const events = [ev(5), ev(3), ev(9), ev(1)];
      await store.ingest(events.map((e) => item(e)));
      expect(await pendingOf("server")).toEqual(events.map((e) => e.id));
    });

    it("an event with no scope is stored for the feed only", async () => {
      const a = ev(1);
      expect((await store.ingest([item(a, [])])).inserted).toEqual([a.id]);
      expect(await store.scopesWithWork(Date.now(), 10)).toEqual([]);
    });

    it("one transaction: a failure in the database mid-batch stores nothing", async () => {
      // a NUL character cannot be PostgreSQL text: the second item's scope fails inside the statement
      const err = await errorOf(store.ingest([item(ev(1)), item(ev(2), ["bad\u0000scope"]), item(ev(3))]));
      expect(err.message.length).toBeGreaterThan(0);
      expect((await store.listEvents({ limit: 10 })).events).toEqual([]);
      expect((await t.db.query(`SELECT count(*) AS n FROM pending`)).rows[0]).toEqual({ n: "0" });
      expect(await store.listScopes()).toEqual([]);
    });

    it("an event without id or with an unparseable time is refused before anything is written (HOOKLINE_STORE_BAD_EVENT)", async () => {
      for (const bad of [
        { ...ev(2), id: "" },
        { ...ev(2), occurred: "yesterday" },
        { ...ev(2), occurred: "+275760-09-13T00:00:00.000Z" },
        { ...ev(2), id: "x".repeat(600) },
      ]) {
        const err = await errorOf(store.ingest([item(ev(1)), item(bad)]));
        expect(err.code).toBe("HOOKLINE_STORE_BAD_EVENT");
      }
      expect((await store.listEvents({ limit: 10 })).events).toEqual([]);
    });

    it("an empty batch does nothing", async () => {
      expect(await store.ingest([])).toEqual({ inserted: [], duplicates: [] });
    });

    it("hostile JSON round-trips exactly: NUL, lone surrogates, escapes, quotes, deep nesting, unicode", async () => {
      let deep: unknown = "bottom";
      for (let i = 0; i < 200; i++) deep = { d: deep };
      const payload = {
        nul: "a\u0000b",
        lone: "\ud800 and \udfff",
        pair: "😀",
        escaped: "\\u0000 is not NUL",
        quotes: `'; DROP TABLE events; --"`,
        controls: "\b\f\n\r\t\u001f",
        numbers: [0, -0.5, 1e21, 123456789012345, -1],
        empty: {},
        list: [],
        deep,
      };
      const a = ev(1, "test.thing.happened", {
        payload,
        related: [{ "prefect.resource.id": "x\u0000y", "prefect.resource.role": "ro'le" }],
      });
      await store.ingest([item(a)]);
      const back = (await store.listEvents({ limit: 1 })).events[0]!.event;
      expect(back).toEqual(JSON.parse(JSON.stringify(a)));
      expect(JSON.stringify(back)).toBe(JSON.stringify(a));
    });

    it("a payload near the 1.5 MB event limit is stored and read back whole", async () => {
      const a = ev(1, "test.thing.big", { payload: { blob: "é".repeat(700_000), list: Array.from({ length: 1000 }, (_, i) => ({ i })) } });
      expect((await store.ingest([item(a)])).inserted).toEqual([a.id]);
      expect((await store.listEvents({ limit: 1 })).events[0]!.event).toEqual(a);
    });

    it("a name or resource id too long for an index entry is stored and found exactly (4-byte characters)", async () => {
      const longName = `test.${"😀".repeat(1000)}.happened`;
      const longResource = `r.${"😀".repeat(2000)}`;
      const a = ev(1, longName, { resource: { "prefect.resource.id": longResource } });
      const twin = ev(2, `test.${"😀".repeat(1000)}.other`, { resource: { "prefect.resource.id": `${longResource}x` } });
      await store.ingest([item(a), item(twin)]);
      expect((await store.listEvents({ name: longName, limit: 10 })).events.map((e) => e.event.id)).toEqual([a.id]);
      expect((await store.listEvents({ resource: longResource, limit: 10 })).events.map((e) => e.event.id)).toEqual([a.id]);
    });

    it("SQL in names, resource ids and payloads is data", async () => {
      const name = `x'); DELETE FROM events; --.a.b`;
      const a = ev(1, name, { resource: { "prefect.resource.id": "' OR 1=1 --" } });
      await store.ingest([item(a), item(ev(2))]);
      expect((await store.listEvents({ name, limit: 10 })).events.map((e) => e.event.id)).toEqual([a.id]);
      expect((await store.listEvents({ resource: "' OR 1=1 --", limit: 10 })).events.map((e) => e.event.id)).toEqual([a.id]);
      expect((await store.listEvents({ name: "%", limit: 10 })).events).toEqual([]);
      expect((await store.listEvents({ name: "x'); DELETE*", limit: 10 })).events.map((e) => e.event.id)).toEqual([a.id]);
      expect((await store.listEvents({ limit: 10 })).events).toHaveLength(2);
    });
  });
});

describe.runIf(FACTORIES[1]!.available)("ingest on postgres from several instances", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await FACTORIES[1]!.open();
  });
  afterAll(() => t?.cleanup());

  it("the same deliveries ingested concurrently, in opposite orders, are stored and queued exactly once (deadlock victims retried)", async () => {
    const { createSqlStore } = await import("../../../src/store/sql/index.js");
    const stores = [createSqlStore(t.db), createSqlStore(await t.another()), createSqlStore(await t.another())];
    const events = Array.from({ length: 40 }, (_, i) => ev(`dup${i}`));
    const batches = stores.flatMap((store, n) =>
      Array.from({ length: 4 }, (_, k) => {
        const order = (n + k) % 2 === 0 ? events : [...events].reverse();
        return store.ingest(order.map((e) => item(e, ["server", "repo:o/r"])));
      }),
    );
    const results = await Promise.all(batches);
    const inserted = results.flatMap((r) => r.inserted);
    expect([...inserted].sort()).toEqual(events.map((e) => e.id).sort());
    expect(results.reduce((n, r) => n + r.duplicates.length, 0)).toBe(events.length * (batches.length - 1));
    const pending = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM pending`);
    expect(pending.rows[0]!.n).toBe(String(events.length * 2));
  });
});
