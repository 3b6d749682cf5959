import { describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { consume, ev, FACTORIES, firing, item, label, outboxItem, T0, useStore, type TestDb } from "./helpers.js";

const DAY = 86_400_000;
const OLD = T0 - 40 * DAY;
const CUTOFF = T0 - 30 * DAY;

describe.each(FACTORIES)("retention (prune) on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    const ids = async (sql: string) => (await t.db.query<{ id: string }>(sql)).rows.map((r) => r.id).sort();
    const age = (table: string, column: string, ms: number, where = "") =>
      t.db.query(`UPDATE ${table} SET ${column} = to_timestamp(${ms / 1000}) ${where}`);

    it("deletes events received before the cutoff that no scope still has to evaluate; keeps recent and still-pending ones", async () => {
      const [oldDone, oldPending, recent] = [ev(1), ev(2), ev(3)];
      await store.ingest([item(oldDone, ["repo:o/a"]), item(oldPending, ["repo:o/b"]), item(recent, ["repo:o/a"])]);
      await store.evaluateScope("repo:o/a", T0, 10, (w) => consume(w)); // oldDone and recent are evaluated
      await age("events", "received", OLD, `WHERE id IN ('${oldDone.id}', '${oldPending.id}')`);
      await age("events", "received", T0, `WHERE id = '${recent.id}'`);
      expect(await store.prune(CUTOFF, 100)).toEqual({ events: 1, firings: 0, outbox: 0 });
      expect(await ids("SELECT id FROM events")).toEqual([oldPending.id, recent.id].sort());
      // once evaluated, the old pending one goes too
      await store.evaluateScope("repo:o/b", T0, 10, (w) => consume(w));
      expect((await store.prune(CUTOFF, 100)).events).toBe(1);
      expect(await ids("SELECT id FROM events")).toEqual([recent.id]);
    });

    it("deletes at most `limit` events per call, oldest first; a pruned id can be stored again", async () => {
      const events = [ev(1), ev(2), ev(3), ev(4), ev(5)];
      await store.ingest(events.map((e) => item(e, [])));
      await age("events", "received", OLD);
      expect((await store.prune(CUTOFF, 2)).events).toBe(2);
      expect(await ids("SELECT id FROM events")).toEqual(
        events
          .slice(2)
          .map((e) => e.id)
          .sort(),
      );
      expect((await store.prune(CUTOFF, 2)).events).toBe(2);
      expect((await store.prune(CUTOFF, 2)).events).toBe(1);
      expect((await store.prune(CUTOFF, 2)).events).toBe(0);
      expect((await store.ingest([item(events[0]!, [])])).inserted).toEqual([events[0]!.id]);
    });

    it("deletes old firings and finished outbox rows; pending (unfinished) actions stay whatever their age", async () => {
      await store.ingest([item(ev(1))]);
      await store.evaluateScope("server", T0, 10, (w) =>
        consume(w, {
          firings: [firing("f-old"), firing("f-new")],
          outbox: [outboxItem("done"), outboxItem("dead", "server", 1), outboxItem("waiting")],
        }),
      );
      const claimed = await store.claimActions("i1", T0, 10, 60_000);
      expect(claimed.map((r) => r.id).sort()).toEqual(["dead", "done", "waiting"]);
      expect(await store.completeAction("done", "i1", T0, { ok: true }, [])).toBe(true);
      expect(await store.deadLetterAction("dead", "i1", T0, { code: "X", reason: "gave up" }, [])).toBe(true);
      await age("firings", "recorded", OLD, "WHERE id = 'f-old'");
      await age("outbox", "updated_at", OLD);
      expect(await store.prune(CUTOFF, 100)).toMatchObject({ firings: 1, outbox: 2 });
      expect(await ids("SELECT id FROM firings")).toEqual(["f-new"]);
      expect(await ids("SELECT id FROM outbox")).toEqual(["waiting"]);
    });

    it("a bad limit or time is refused with HOOKLINE_STORE_BAD_QUERY", async () => {
      for (const [before, limit] of [
        [CUTOFF, 0],
        [CUTOFF, 1.5],
        [Number.NaN, 10],
      ] as const) {
        await expect(store.prune(before, limit)).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
      }
    });
  });
});
