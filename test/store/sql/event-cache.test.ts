import { describe, expect, it } from "vitest";
import type { HooklineEvent } from "../../../src/events/event-schema.js";
import type { IngestItem, ScopeWork } from "../../../src/store/server-types.js";
import { createEventCache } from "../../../src/store/sql/event-cache.js";
import { createSqlStore, type Db } from "../../../src/store/sql/index.js";
import { ingestWith } from "../../../src/store/sql/ingest.js";
import { FACTORIES, T0, consume, ev, item, label, useStore, type TestDb } from "./helpers.js";

const e = (id: string): HooklineEvent => ({ ...ev(id), id });

describe("event cache (kept for its readers, bounded, newest wins)", () => {
  it("an event is handed to each of its readers, then leaves", () => {
    const cache = createEventCache(100);
    const a = e("a");
    cache.put(a, "1234", 2);
    expect(cache.take("a")).toBe(a);
    expect(cache.size).toBe(1);
    expect(cache.take("a")).toBe(a);
    expect(cache.size).toBe(0);
    expect(cache.take("a")).toBeUndefined();
  });

  it("keeps at most maxChars characters of JSON, dropping the oldest entries first", () => {
    const cache = createEventCache(10);
    cache.put(e("a"), "1234", 1);
    cache.put(e("b"), "5678", 1);
    cache.put(e("c"), "90", 1);
    expect(cache.size).toBe(3);
    cache.put(e("d"), "xyz", 1);
    expect(cache.take("a")).toBeUndefined();
    expect(["b", "c", "d"].map((id) => cache.take(id)?.id)).toEqual(["b", "c", "d"]);
  });

  it("an id stored again (after its row was deleted) takes the new event; too large or readerless events are not kept", () => {
    const cache = createEventCache(10);
    const [old, fresh] = [e("a"), { ...e("a"), event: "test.again" }];
    cache.put(old, "old", 1);
    cache.put(fresh, "new!", 1);
    expect(cache.take("a")).toBe(fresh);
    cache.put(e("b"), "x".repeat(11), 1);
    cache.put(e("c"), "{}", 0);
    expect(cache.size).toBe(0);
  });
});

/** the Db with every statement's text recorded (the pool's and its transactions') */
function recording(db: Db, log: string[]): Db {
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    query: (sql, params) => (log.push(typeof sql === "string" ? sql : sql.text), inner.query(sql, params)),
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}

const readsBodies = (sql: string) => /SELECT id, body\s+FROM events/.test(sql);

describe.each(FACTORIES)("evaluated events come from the cache, misses from the database, on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    useStore(f, (opened) => (t = opened));

    const grab = async (store: ReturnType<typeof createSqlStore>) => {
      let work: ScopeWork | undefined;
      await store.evaluateScope("server", T0, 100, (w) => ((work = w), consume(w)));
      return work!.events.map((e) => e);
    };

    it("events this instance stored are not read back; those another instance stored are, in one query; the events are the same either way", async () => {
      const log: string[] = [];
      const mine = createSqlStore(recording(t.db, log));
      const other = createSqlStore(t.db); // a second instance: its own cache
      const events: HooklineEvent[] = [
        ev(1),
        ev(2, "test.other.thing", { payload: { nested: { list: [1, "two", null] } } }),
        ev(3),
        ev(4),
        ev(5),
      ];
      await mine.ingest([item(events[0]!), item(events[1]!)]);
      await other.ingest([item(events[2]!), item(events[3]!)]);
      await mine.ingest([item(events[4]!)]);
      log.length = 0;
      expect(await grab(mine)).toEqual(events);
      const reads = log.filter(readsBodies);
      expect(reads).toHaveLength(1);
    });

    it("an event queued for two scopes is served from memory to both evaluations; a retried evaluation reads it back", async () => {
      const log: string[] = [];
      const store = createSqlStore(recording(t.db, log));
      const event = ev(7);
      await store.ingest([item(event, ["server", "repo:o/r"])]);
      log.length = 0;
      for (const scope of ["server", "repo:o/r"]) {
        let seen: HooklineEvent[] = [];
        await store.evaluateScope(scope, T0, 10, (w) => ((seen = [...w.events]), consume(w)));
        expect(seen).toEqual([event]);
      }
      expect(log.filter(readsBodies)).toEqual([]);
      // a rolled-back evaluation took its events from memory: the next attempt reads them from the database
      await store.ingest([item(ev(8), ["server"])]);
      await expect(
        store.evaluateScope("server", T0, 10, () => {
          throw new Error("engine failed");
        }),
      ).rejects.toThrow("engine failed");
      let again: HooklineEvent[] = [];
      await store.evaluateScope("server", T0, 10, (w) => ((again = [...w.events]), consume(w)));
      expect(again).toEqual([ev(8)]);
      expect(log.filter(readsBodies)).toHaveLength(1);
    });

    it("with the cache off (eventCacheChars 0) every body is read; with everything cached none is", async () => {
      const log: string[] = [];
      const uncached = createSqlStore(recording(t.db, log), { eventCacheChars: 0 });
      await uncached.ingest([item(ev(1)), item(ev(2))]);
      log.length = 0;
      expect((await grab(uncached)).map((e) => e.id)).toEqual([ev(1).id, ev(2).id]);
      expect(log.filter(readsBodies)).toHaveLength(1);

      const cachedLog: string[] = [];
      const cached = createSqlStore(recording(t.db, cachedLog));
      await cached.ingest([item(ev(3)), item(ev(4))]);
      cachedLog.length = 0;
      expect((await grab(cached)).map((e) => e.id)).toEqual([ev(3).id, ev(4).id]);
      expect(cachedLog.filter(readsBodies)).toEqual([]);
    });

    it("a batch that fails as a whole reports nothing as stored (so nothing is cached)", async () => {
      const stored: string[] = [];
      // over one statement's worth: several statements in one transaction; the last one fails in the database
      // (a NUL character, which PostgreSQL's text refuses)
      const items: IngestItem[] = Array.from({ length: 1001 }, (_, i) => item(ev(i + 1)));
      items[1000] = { ...items[1000]!, json: '{"nul":"\u0000"}' }; // the TS escape is a real NUL character
      await expect(ingestWith(t.db, items, (event) => stored.push(event.id))).rejects.toThrow();
      expect(stored).toEqual([]);
      expect(Number((await t.db.query<{ n: string }>("SELECT count(*) AS n FROM events")).rows[0]!.n)).toBe(0);
      // and the good case reports every stored event once, duplicates not
      await ingestWith(t.db, [item(ev(1)), item(ev(1)), item(ev(2), ["server", "repo:o/r", "server"])], (event, _json, scopes) =>
        stored.push(`${event.id}:${scopes}`),
      );
      await ingestWith(t.db, [item(ev(2))], (event) => stored.push(event.id));
      expect(stored).toEqual([`${ev(1).id}:1`, `${ev(2).id}:2`]);
    });
  });
});
