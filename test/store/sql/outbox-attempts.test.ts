/**
 * The delivery log's attempts (`outbox_attempts`, migration 007) on PGlite and PostgreSQL: each finishing call
 * records its attempt in the same transaction, a lost claim records nothing, the log keeps the last
 * ATTEMPTS_KEPT attempts of an action, and retention takes an action's attempts with it.
 */
import { describe, expect, it } from "vitest";
import type { AttemptRecord, OutboxItem, ServerStore } from "../../../src/store/server-types.js";
import { createConsoleQueries } from "../../../src/store/sql/console-queries.js";
import { ATTEMPTS_KEPT } from "../../../src/store/sql/record-attempt.js";
import { consume, ev, FACTORIES, item, label, outboxItem, T0, useStore, type TestDb } from "./helpers.js";

const LOCK = 30_000;
const ERR = { code: "HOOKLINE_ACTION_HTTP_STATUS", reason: "500 from the target" };

async function queue(store: ServerStore, items: OutboxItem[], now = T0): Promise<void> {
  await store.ingest([item(ev(`queue-${items[0]!.id}`))]);
  await store.evaluateScope("server", now, 10, (w) => consume(w, { outbox: items }));
}

const call = (status: number) => ({
  request: { method: "POST", url: "http://127.0.0.1:1/h", headers: {}, body_bytes: 2 },
  response: { status, headers: { "content-type": "text/plain" }, body: `answer ${status}`, body_bytes: 10 },
});

function record(n: number, outcome: AttemptRecord["outcome"], status: number, at: number): AttemptRecord {
  return {
    attempt: n,
    startedAt: at,
    finishedAt: at + 25,
    durationMs: 25.4,
    outcome,
    error: outcome === "succeeded" ? null : ERR,
    calls: [call(status)],
  };
}

describe.each(FACTORIES)("delivery attempts on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    it("a failed attempt then a successful one are both recorded, newest first, with timings, outcome, error and calls", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("i1", T0, 10, LOCK);
      expect(await store.retryAction("a", "i1", T0 + 100, ERR, record(1, "failed", 500, T0))).toBe(true);
      await store.claimActions("i1", T0 + 100, 10, LOCK);
      expect(await store.completeAction("a", "i1", T0 + 200, { status: 200 }, [], record(2, "succeeded", 200, T0 + 100))).toBe(true);
      const attempts = await createConsoleQueries(t.db).getAttempts("a");
      expect(attempts).toEqual([
        { ...record(2, "succeeded", 200, T0 + 100), durationMs: 25 },
        { ...record(1, "failed", 500, T0), durationMs: 25 },
      ]);
    });

    it("a dead letter records its attempt; a lost claim records none (the finishing call changed nothing)", async () => {
      await queue(store, [outboxItem("a"), outboxItem("b")]);
      await store.claimActions("i1", T0, 10, LOCK);
      expect(await store.deadLetterAction("a", "i1", T0, ERR, [], record(1, "dead", 404, T0))).toBe(true);
      expect(await store.retryAction("b", "other", T0, ERR, record(1, "failed", 500, T0))).toBe(false);
      expect(await store.completeAction("b", "other", T0, null, [], record(1, "succeeded", 200, T0))).toBe(false);
      const q = createConsoleQueries(t.db);
      expect((await q.getAttempts("a")).map((a) => [a.attempt, a.outcome])).toEqual([[1, "dead"]]);
      expect(await q.getAttempts("b")).toEqual([]);
    });

    it(`the log keeps the last ${ATTEMPTS_KEPT} attempts of an action`, async () => {
      await queue(store, [outboxItem("a", "server", 100)]);
      for (let n = 1; n <= ATTEMPTS_KEPT + 3; n++) {
        await store.claimActions("i1", T0 + n * 1000, 10, LOCK);
        expect(await store.retryAction("a", "i1", T0 + (n + 1) * 1000, ERR, record(n, "failed", 500, T0 + n * 1000))).toBe(true);
      }
      const kept = (await createConsoleQueries(t.db).getAttempts("a")).map((a) => a.attempt);
      expect(kept).toHaveLength(ATTEMPTS_KEPT);
      expect(kept[0]).toBe(ATTEMPTS_KEPT + 3);
      expect(kept[kept.length - 1]).toBe(4);
    });

    it("retention: pruning a finished action deletes its attempts with it", async () => {
      await queue(store, [outboxItem("a")]);
      await store.claimActions("i1", T0, 10, LOCK);
      await store.completeAction("a", "i1", T0, null, [], record(1, "succeeded", 200, T0));
      expect((await store.prune(Date.now() + 60_000, 100)).outbox).toBe(1);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM outbox_attempts`)).rows[0]).toEqual({ n: 0 });
    });
  });
});
