import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxItem, ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore } from "../../../src/store/sql/index.js";
import { consume, ev, FACTORIES, item, label, outboxItem, T0, useStore, type TestDb } from "./helpers.js";

const LOCK = 30_000;
const ERR = { code: "HOOKLINE_TEST", reason: "503 from the target" };

/** queues outbox rows through an evaluation at `now` (their first attempt is due at once) */
async function queue(store: ServerStore, items: OutboxItem[], now = T0): Promise<void> {
  await store.ingest([item(ev(`queue-${items[0]!.id}`))]);
  await store.evaluateScope("server", now, 10, (w) => consume(w, { outbox: items }));
}

describe.each(FACTORIES)("outbox claims on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    it("claims due rows oldest first, at most `limit`, and a live claim is not claimed again", async () => {
      await queue(store, [outboxItem("a"), outboxItem("b"), outboxItem("c")]);
      const first = await store.claimActions("i1", T0, 2, LOCK);
      expect(first.map((r) => r.id)).toEqual(["a", "b"]);
      expect(first[0]).toMatchObject({ attempts: 0, status: "pending", maxAttempts: 3, createdAt: T0, lastError: null, scope: "server" });
      expect((await store.claimActions("i2", T0 + 1, 10, LOCK)).map((r) => r.id)).toEqual(["c"]);
      expect(await store.claimActions("i2", T0 + LOCK - 1, 10, LOCK)).toEqual([]);
    });

    it("a row not yet due is not claimed", async () => {
      await queue(store, [outboxItem("a")], T0 + 10_000);
      expect(await store.claimActions("i1", T0 + 9_999, 10, LOCK)).toEqual([]);
      expect(await store.claimActions("i1", T0 + 10_000, 10, LOCK)).toHaveLength(1);
    });

    it("an expired claim (a crashed instance) is taken back; the crashed instance's late completion is then lost", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("crashed", T0, 10, LOCK);
      expect(await store.claimActions("i2", T0 + LOCK - 1, 10, LOCK)).toEqual([]);
      expect((await store.claimActions("i2", T0 + LOCK, 10, LOCK)).map((r) => r.id)).toEqual(["a"]);
      expect(await store.completeAction("a", "crashed", T0 + LOCK + 1, { ok: 1 }, [item(ev("late"))])).toBe(false);
      expect((await store.listEvents({ name: "test.thing.happened", limit: 10 })).events.map((e) => e.event.id)).not.toContain(
        ev("late").id,
      );
      expect(await store.completeAction("a", "i2", T0 + LOCK + 2, { ok: 2 }, [])).toBe(true);
      expect((await store.getOutbox("a"))?.status).toBe("done");
    });

    it("an expired claim that no one took over still belongs to its instance (finishing beats running twice)", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("slow", T0, 10, LOCK);
      expect(await store.completeAction("a", "slow", T0 + 10 * LOCK, null, [])).toBe(true);
    });

    it("complete stores its events atomically; a second complete (or another instance's) returns false", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("i1", T0, 10, LOCK);
      expect(await store.completeAction("a", "i2", T0, null, [])).toBe(false);
      const executed = ev("executed", "hookline.action.executed");
      expect(await store.completeAction("a", "i1", T0 + 5, { status: 200 }, [item(executed, ["server"])])).toBe(true);
      expect(await store.completeAction("a", "i1", T0 + 6, { status: 200 }, [])).toBe(false);
      expect((await store.listEvents({ name: "hookline.action.*", limit: 10 })).events.map((e) => e.event)).toEqual([executed]);
      expect(await store.scopesWithWork(T0, 10)).toEqual(["server"]);
      expect(await store.claimActions("i1", T0 + LOCK * 10, 10, LOCK)).toEqual([]);
    });

    it("retry counts the attempt, keeps the error, releases the claim and schedules the row at retryAt", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("i1", T0, 10, LOCK);
      expect(await store.retryAction("a", "i2", T0 + 1000, ERR)).toBe(false);
      expect(await store.retryAction("a", "i1", T0 + 1000, ERR)).toBe(true);
      expect(await store.retryAction("a", "i1", T0 + 2000, ERR)).toBe(false); // the claim went with the retry
      expect(await store.getOutbox("a")).toMatchObject({ attempts: 1, status: "pending", lastError: ERR });
      expect(await store.claimActions("i2", T0 + 999, 10, LOCK)).toEqual([]);
      const again = await store.claimActions("i2", T0 + 1000, 10, LOCK);
      expect(again.map((r) => [r.id, r.attempts])).toEqual([["a", 1]]);
    });

    it("dead-letter is terminal, counts the attempt and stores the failure event; a lost claim changes nothing", async () => {
      await queue(store, [outboxItem("a"), outboxItem("b")]);
      await store.claimActions("i1", T0, 10, LOCK);
      const failed = ev("failed", "hookline.action.failed");
      expect(await store.deadLetterAction("a", "i2", T0, ERR, [item(failed)])).toBe(false);
      expect((await store.listEvents({ name: "hookline.action.failed", limit: 10 })).events).toEqual([]);
      expect(await store.deadLetterAction("a", "i1", T0, ERR, [item(failed)])).toBe(true);
      expect(await store.getOutbox("a")).toMatchObject({ status: "dead", attempts: 1, lastError: ERR });
      expect((await store.listEvents({ name: "hookline.action.failed", limit: 10 })).events.map((e) => e.event.id)).toEqual([failed.id]);
      expect(await store.claimActions("i1", T0 + LOCK * 10, 10, LOCK)).toEqual([expect.objectContaining({ id: "b" })]);
    });

    it("releaseClaims frees an instance's live claims for immediate re-claim, and only its own", async () => {
      await queue(store, [outboxItem("a"), outboxItem("b"), outboxItem("c")]);
      await store.claimActions("i1", T0, 2, LOCK);
      await store.claimActions("i2", T0, 1, LOCK);
      expect(await store.releaseClaims("i1")).toBe(2);
      expect(await store.releaseClaims("i1")).toBe(0);
      expect((await store.claimActions("i3", T0 + 1, 10, LOCK)).map((r) => r.id)).toEqual(["a", "b"]);
      expect(await store.completeAction("c", "i2", T0 + 2, null, [])).toBe(true);
    });

    it("outboxStats counts by status with the oldest pending creation time", async () => {
      expect(await store.outboxStats(T0)).toEqual({ pending: 0, oldestPendingCreatedAt: null, dead: 0, done: 0 });
      await queue(store, [outboxItem("a"), outboxItem("b")], T0);
      await store.ingest([item(ev("later"))]);
      await store.evaluateScope("server", T0 + 500, 10, (w) => consume(w, { outbox: [outboxItem("c")] }));
      await store.claimActions("i1", T0 + 500, 2, LOCK);
      await store.completeAction("a", "i1", T0 + 600, null, []);
      await store.deadLetterAction("b", "i1", T0 + 600, ERR, []);
      expect(await store.outboxStats(T0 + 700)).toEqual({ pending: 1, oldestPendingCreatedAt: T0 + 500, dead: 1, done: 1 });
    });

    it("a result that is not JSON (circular, BigInt) is recorded as unserializable, not lost", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("i1", T0, 10, LOCK);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(await store.completeAction("a", "i1", T0, circular, [])).toBe(true);
      const row = (await t.db.query<{ result: unknown }>(`SELECT result FROM outbox WHERE id = 'a'`)).rows[0]!;
      expect(row.result).toMatchObject({ unserializable: expect.any(String) });
    });

    it("getOutbox of an unknown id is null; hostile ids are data", async () => {
      expect(await store.getOutbox("x' OR '1'='1")).toBeNull();
      expect(await store.releaseClaims("' OR 1=1 --")).toBe(0);
    });
  });
});

describe.runIf(FACTORIES[1]!.available)("outbox claims on postgres with several instances", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await FACTORIES[1]!.open();
  });
  afterAll(() => t?.cleanup());

  it("FOR UPDATE SKIP LOCKED: three instances claiming concurrently never claim the same row", async () => {
    const stores = [createSqlStore(t.db), createSqlStore(await t.another()), createSqlStore(await t.another())];
    const items = Array.from({ length: 90 }, (_, i) => outboxItem(`row-${String(i).padStart(3, "0")}`));
    await stores[0]!.ingest([item(ev("q"))]);
    await stores[0]!.evaluateScope("server", T0, 10, (w) => consume(w, { outbox: items }));
    const claimedBy = new Map<string, string[]>();
    await Promise.all(
      stores.map(async (store, n) => {
        for (;;) {
          const rows = await store.claimActions(`i${n}`, T0, 4, LOCK);
          if (rows.length === 0) return;
          for (const r of rows) {
            claimedBy.set(r.id, [...(claimedBy.get(r.id) ?? []), `i${n}`]);
            expect(await store.completeAction(r.id, `i${n}`, T0, null, [])).toBe(true);
          }
        }
      }),
    );
    expect(claimedBy.size).toBe(90);
    expect([...claimedBy.values()].every((by) => by.length === 1)).toBe(true);
    expect(await stores[0]!.outboxStats(T0)).toMatchObject({ pending: 0, done: 90 });
  });
});
