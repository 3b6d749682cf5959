/**
 * Every store write of events announces them after its commit (the live feed's push, src/store/sql/ingest.ts
 * afterCommit): ingest, an evaluation's events, a pause; once each, with their storage sequences; and a write
 * that rolls back announces nothing (nothing uncommitted ever reaches a feed).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { StoredEvent } from "../../../src/store/server-types.js";
import { afterCommit, ingestWith } from "../../../src/store/sql/ingest.js";
import { createSqlStore } from "../../../src/store/sql/sql-store.js";
import { consume, ev, FACTORIES, item, label, T0, type TestDb } from "./helpers.js";

const opened: TestDb[] = [];
afterAll(async () => {
  for (const t of opened) await t.cleanup();
});

for (const f of FACTORIES) {
  describe.runIf(f.available)(`events stored, announced after commit (${label(f)})`, () => {
    it("ingest, an evaluation's events and a pause are each announced once, after their commit, with their sequences", async () => {
      const t = await f.open();
      opened.push(t);
      const announced: StoredEvent[][] = [];
      const store = createSqlStore(t.db, { onEventsStored: (events) => announced.push(events) });
      await store.ingest([item(ev(1, "acme.order.created"))]);
      await store.evaluateScope("server", T0, 10, (w) => consume(w, { events: [item(ev(2, "hookline.automation.triggered"))] }));
      await store.setPause(
        { scope: "server", automation: "a", paused: true, until: null, by: "api", at: T0 },
        item(ev(3, "hookline.automation.paused")),
      );
      expect(announced.map((batch) => batch.map((s) => s.event.event))).toEqual([
        ["acme.order.created"],
        ["hookline.automation.triggered"],
        ["hookline.automation.paused"],
      ]);
      const seqs = announced.flat().map((s) => BigInt(s.seq));
      expect(seqs.every((q, i) => i === 0 || q > seqs[i - 1]!)).toBe(true);
    });

    it("a transaction that stored events and then rolled back announces nothing", async () => {
      const t = await f.open();
      opened.push(t);
      const announced: StoredEvent[][] = [];
      const failed = afterCommit(
        (events) => announced.push(events),
        (collect) =>
          t.db.transaction(async (tx) => {
            await ingestWith(tx, [item(ev(4, "acme.order.created"))], undefined, collect);
            throw new Error("rolled back after the insert");
          }),
      );
      await expect(failed).rejects.toThrow("rolled back after the insert");
      expect(announced).toEqual([]);
      expect((await t.db.query("SELECT 1 FROM events")).rowCount).toBe(0);
    });
  });
}
