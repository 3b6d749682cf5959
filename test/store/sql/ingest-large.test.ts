/**
 * Ingest of more events than one statement carries (each event's JSON is its own parameter, and PostgreSQL
 * takes at most 65,535): split into statements of one transaction, same result as one statement.
 */
import { describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { MAX_EVENTS_PER_STATEMENT, MAX_PREPARED_SIZE } from "../../../src/store/sql/ingest.js";
import { ev, FACTORIES, item, label, queuedIds, useStore, type TestDb } from "./helpers.js";

describe.each(FACTORIES)("large ingest on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    it("a batch over one statement's size stores and queues every event once, in input order", async () => {
      const n = 2 * MAX_EVENTS_PER_STATEMENT + 7;
      const events = Array.from({ length: n }, (_, i) => ev(i + 1));
      // a duplicate inside the batch, across the statement boundary, and one stored before
      await store.ingest([item(events[5]!)]);
      const batch = [...events.map((e) => item(e, ["server", "repo:o/r"])), item(events[MAX_EVENTS_PER_STATEMENT + 3]!)];
      const r = await store.ingest(batch);
      expect(r.inserted).toEqual(events.filter((_, i) => i !== 5).map((e) => e.id));
      expect(r.duplicates).toEqual([events[5]!.id, events[MAX_EVENTS_PER_STATEMENT + 3]!.id]);
      expect(await queuedIds(t.db, "repo:o/r")).toEqual(events.filter((_, i) => i !== 5).map((e) => e.id));
      const stored = await t.db.query<{ id: string }>(`SELECT id FROM events ORDER BY seq`);
      expect(stored.rows.map((s) => s.id)).toEqual([events[5]!.id, ...events.filter((_, i) => i !== 5).map((e) => e.id)]);
    });

    it("batches on both sides of the prepared-statement size, again and again on the same connections, store every event once", async () => {
      let key = 0;
      for (const size of [1, 2, MAX_PREPARED_SIZE, MAX_PREPARED_SIZE + 1, 1, MAX_PREPARED_SIZE, 2, MAX_PREPARED_SIZE + 1, 1, 1, 1, 1, 1]) {
        const events = Array.from({ length: size }, () => ev(++key));
        expect((await store.ingest(events.map((e) => item(e, ["repo:o/r"])))).inserted).toHaveLength(size);
      }
      expect(await queuedIds(t.db, "repo:o/r")).toHaveLength(key);
    });

    it("an event whose payload holds NUL, quotes, backslashes and lone surrogates is stored verbatim", async () => {
      const e = { ...ev(1), payload: { text: 'a\u0000b "q" \\ \ud800 x', nested: { deep: ["\u001f"] } } };
      expect((await store.ingest([item(e)])).inserted).toEqual([e.id]);
      const page = await store.listEvents({ limit: 1 });
      expect(page.events[0]!.event.payload).toEqual(e.payload);
    });
  });
});
