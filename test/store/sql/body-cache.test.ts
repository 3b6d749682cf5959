import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HooklineEvent } from "../../../src/events/event-schema.js";
import type { ScopeWork } from "../../../src/store/server-types.js";
import { createBodyCache } from "../../../src/store/sql/body-cache.js";
import { createSqlStore, type Db } from "../../../src/store/sql/index.js";
import { ingestWith, type IngestItemWithJson } from "../../../src/store/sql/ingest.js";
import { FACTORIES, T0, consume, ev, item, label, reset, type TestDb } from "./helpers.js";

describe("body cache (bounded, newest text wins)", () => {
  it("keeps at most maxChars characters, dropping the oldest entries first", () => {
    const cache = createBodyCache(10);
    cache.put("a", "1234");
    cache.put("b", "5678");
    cache.put("c", "90");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["1234", "5678", "90"]);
    cache.put("d", "xyz");
    expect(cache.get("a")).toBeUndefined();
    expect([cache.get("b"), cache.get("c"), cache.get("d")]).toEqual(["5678", "90", "xyz"]);
    expect(cache.size).toBe(3);
  });

  it("an id stored again (after its row was deleted) takes the new text; a text over the bound is not kept", () => {
    const cache = createBodyCache(10);
    cache.put("a", "old");
    cache.put("a", "new!");
    expect(cache.get("a")).toBe("new!");
    cache.put("b", "x".repeat(11));
    expect(cache.get("b")).toBeUndefined();
    cache.put("a", "y".repeat(11));
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

/** the Db with every statement's text recorded (the pool's and its transactions') */
function recording(db: Db, log: string[]): Db {
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    query: (sql, params) => (log.push(sql), inner.query(sql, params)),
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  });
  return wrap(db);
}

const readsBodies = (sql: string) => /SELECT id, body::text AS body\s+FROM events/.test(sql);

describe.each(FACTORIES)("evaluation bodies come from the cache, misses from the database, on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await f.open();
    });
    afterAll(() => t?.cleanup());
    beforeEach(() => reset(t.db));

    const grab = async (store: ReturnType<typeof createSqlStore>) => {
      let work: ScopeWork | undefined;
      await store.evaluateScope("server", T0, 100, (w) => ((work = w), consume(w)));
      return work!.events.map((e) => e);
    };

    it("events this instance stored are not read back; those another instance stored are, in one query; the events are the same either way", async () => {
      const log: string[] = [];
      const mine = createSqlStore(recording(t.db, log));
      const other = createSqlStore(t.db); // a second instance: its own cache
      const events: HooklineEvent[] = [ev(1), ev(2, "test.other.thing", { payload: { nested: { list: [1, "two", null] } } }), ev(3), ev(4), ev(5)];
      await mine.ingest([item(events[0]!), item(events[1]!)]);
      await other.ingest([item(events[2]!), item(events[3]!)]);
      await mine.ingest([item(events[4]!)]);
      log.length = 0;
      expect(await grab(mine)).toEqual(events);
      const reads = log.filter(readsBodies);
      expect(reads).toHaveLength(1);
    });

    it("with the cache off (bodyCacheChars 0) every body is read; with everything cached none is", async () => {
      const log: string[] = [];
      const uncached = createSqlStore(recording(t.db, log), { bodyCacheChars: 0 });
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
      // over one statement's worth: several statements in one transaction; the last event's text is not JSON
      const items: IngestItemWithJson[] = Array.from({ length: 1001 }, (_, i) => item(ev(i + 1)));
      items[1000] = { ...items[1000]!, json: "{not json" };
      await expect(ingestWith(t.db, items, (id) => stored.push(id))).rejects.toThrow();
      expect(stored).toEqual([]);
      expect(Number((await t.db.query<{ n: string }>("SELECT count(*) AS n FROM events")).rows[0]!.n)).toBe(0);
      // and the good case reports every stored event once, duplicates not
      await ingestWith(t.db, [item(ev(1)), item(ev(1)), item(ev(2))], (id) => stored.push(id));
      await ingestWith(t.db, [item(ev(2))], (id) => stored.push(id));
      expect(stored).toEqual([ev(1).id, ev(2).id]);
    });
  });
});
