import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ScopeWork, ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore } from "../../../src/store/sql/index.js";
import { consume, ev, FACTORIES, firing, item, label, outboxItem, reset, T0, useStore, type TestDb } from "./helpers.js";

describe.each(FACTORIES)("evaluateScope and scopesWithWork on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    const pendingCount = async (scope: string) =>
      Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM pending WHERE scope = $1`, [scope])).rows[0]!.n);

    it("settledLeaders: a follower's leader counts as settled once stored and no longer queued for the scope; unknown or still-queued leaders do not", async () => {
      const evaluated = ev(1);
      const feedOnly = ev(2);
      const queuedLeader = ev(3);
      await store.ingest([item(evaluated), item(feedOnly, [])]);
      await store.evaluateScope("server", T0, 10, (w) => consume(w));
      const followers = [
        ev(10, "test.follower.one", { follows: evaluated.id }),
        ev(11, "test.follower.two", { follows: feedOnly.id }),
        ev(12, "test.follower.three", { follows: ev(99).id }),
        queuedLeader,
        ev(13, "test.follower.four", { follows: queuedLeader.id }),
      ];
      await store.ingest(followers.map((e) => item(e)));
      let work: ScopeWork | undefined;
      await store.evaluateScope("server", T0, 10, (w) => ((work = w), consume(w)));
      expect([...(work!.settledLeaders ?? [])].sort()).toEqual([evaluated.id, feedOnly.id].sort());
    });

    it("hands out pending events in storage order, at most `limit`, and deletes exactly those", async () => {
      const events = [ev(3), ev(1), ev(2), ev(4), ev(5)];
      await store.ingest(events.map((e) => item(e)));
      const seen: string[][] = [];
      const grab = (w: ScopeWork) => {
        seen.push(w.events.map((e) => e.id));
        return consume(w);
      };
      expect(await store.evaluateScope("server", T0, 2, grab)).toBe(true);
      expect(await store.evaluateScope("server", T0, 2, grab)).toBe(true);
      expect(await store.evaluateScope("server", T0, 2, grab)).toBe(true);
      expect(await store.evaluateScope("server", T0, 2, grab)).toBe(false);
      expect(seen).toEqual([[events[0]!.id, events[1]!.id], [events[2]!.id, events[3]!.id], [events[4]!.id]]);
      expect((await store.scopeState("server"))?.state).toEqual({ version: 1, seen: 5 });
    });

    it("a new scope starts with state and config version null; the next evaluation gets what the last saved", async () => {
      await store.ingest([item(ev(1), ["repo:o/r"])]);
      let first: ScopeWork | undefined;
      await store.evaluateScope(
        "repo:o/r",
        T0,
        10,
        (w) => ((first = w), consume(w, { configVersion: "sha-1", nextDeadline: T0 + 60_000 })),
      );
      expect(first).toMatchObject({ scope: "repo:o/r", state: null, configVersion: null, paused: [] });
      expect(await store.scopeState("repo:o/r")).toEqual({
        state: { version: 1, seen: 1 },
        configVersion: "sha-1",
        nextDeadline: T0 + 60_000,
      });
      await store.ingest([item(ev(2), ["repo:o/r"])]);
      let second: ScopeWork | undefined;
      await store.evaluateScope("repo:o/r", T0, 10, (w) => ((second = w), consume(w)));
      expect(second).toMatchObject({ state: { version: 1, seen: 1 }, configVersion: "sha-1" });
    });

    it("an evaluate that throws leaves everything as it was, and the error propagates", async () => {
      await store.ingest([item(ev(1)), item(ev(2))]);
      await store.evaluateScope("server", T0, 1, (w) => consume(w, { nextDeadline: T0 + 5000 }));
      const before = await store.scopeState("server");
      await expect(
        store.evaluateScope("server", T0 + 1, 10, () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store.scopeState("server")).toEqual(before);
      expect(await pendingCount("server")).toBe(1);
      // and a write that fails after evaluate returned rolls back the whole evaluation too
      await expect(
        store.evaluateScope("server", T0 + 1, 10, (w) => consume(w, { events: [item(ev(9), ["bad\u0000scope"])] })),
      ).rejects.toThrow();
      expect(await store.scopeState("server")).toEqual(before);
      expect(await pendingCount("server")).toBe(1);
      expect((await store.outboxStats(T0)).pending).toBe(0);
    });

    it("saves firings, queues outbox rows (an existing id is ignored), stores and queues produced events", async () => {
      await store.ingest([item(ev(1), ["repo:o/r"])]);
      const produced = ev("firing-event", "hookline.automation.triggered");
      await store.evaluateScope("repo:o/r", T0, 10, (w) =>
        consume(w, { firings: [firing("f1", "a1")], outbox: [outboxItem("k1", "repo:o/r")], events: [item(produced, ["server"])] }),
      );
      expect((await store.getOutbox("k1"))?.invocation.idempotencyKey).toBe("k1");
      expect(await store.listFirings("repo:o/r", null, 10)).toEqual([firing("f1", "a1")]);
      expect(await store.scopesWithWork(T0, 10)).toEqual(["server"]);
      let got: string[] = [];
      await store.evaluateScope("server", T0, 10, (w) => ((got = w.events.map((e) => e.id)), consume(w)));
      expect(got).toEqual([produced.id]);

      // the same key again (a re-evaluation producing the same firing): ignored, the first row stays
      await store.ingest([item(ev(2), ["repo:o/r"])]);
      const other = outboxItem("k1", "repo:o/r", 9);
      await store.evaluateScope("repo:o/r", T0, 10, (w) =>
        consume(w, { firings: [firing("f1", "a1")], outbox: [other, outboxItem("k2", "repo:o/r")] }),
      );
      expect((await store.getOutbox("k1"))?.maxAttempts).toBe(3);
      expect((await store.getOutbox("k2"))?.status).toBe("pending");
      expect(await store.listFirings("repo:o/r", null, 10)).toHaveLength(1);
    });

    it("next_deadline is saved; a scope whose deadline is due is handed out with events = []", async () => {
      await store.ingest([item(ev(1))]);
      await store.evaluateScope("server", T0, 10, (w) => consume(w, { nextDeadline: T0 + 60_000 }));
      expect(await store.scopesWithWork(T0 + 59_999, 10)).toEqual([]);
      expect(await store.evaluateScope("server", T0 + 59_999, 10, consume)).toBe(false);
      expect(await store.scopesWithWork(T0 + 60_000, 10)).toEqual(["server"]);
      let work: ScopeWork | undefined;
      expect(await store.evaluateScope("server", T0 + 60_000, 10, (w) => ((work = w), consume(w)))).toBe(true);
      expect(work?.events).toEqual([]);
      expect(await store.scopesWithWork(T0 + 120_000, 10)).toEqual([]); // the evaluation cleared the deadline
    });

    it("scopesWithWork: scopes with pending rows or a deadline <= now, oldest work first, at most `limit`", async () => {
      await store.ingest([item(ev(1), ["repo:a/a"])]);
      await store.evaluateScope("repo:a/a", T0, 10, (w) => consume(w, { nextDeadline: T0 - 1000 }));
      await store.ingest([item(ev(2), ["repo:b/b"])]);
      await store.ingest([item(ev(3), ["repo:c/c"])]);
      await store.ingest([item(ev(4), [])]);
      const all = await store.scopesWithWork(T0, 10);
      expect(all[0]).toBe("repo:a/a"); // a due deadline (before any arrival on a real clock) is the oldest work
      expect([...all].sort()).toEqual(["repo:a/a", "repo:b/b", "repo:c/c"]);
      expect(await store.scopesWithWork(T0, 2)).toHaveLength(2);
      expect(await store.listScopes()).toEqual(["repo:a/a", "repo:b/b", "repo:c/c"]);
    });

    it("scopesWithWork finds every scope with queued events however many there are, each once, oldest arrival first", async () => {
      const scopes = Array.from({ length: 40 }, (_, i) => `repo:o/r${String(39 - i).padStart(2, "0")}`);
      for (const [i, scope] of scopes.entries()) {
        await store.ingest([item(ev(i), [scope]), item(ev(100 + i), [scope])]);
        await new Promise((resolve) => setTimeout(resolve, 2)); // arrivals apart on a millisecond clock (PGlite's)
      }
      // a scope with queued events and a due deadline is listed once
      await store.evaluateScope(scopes[5]!, T0, 1, (w) => consume(w, { nextDeadline: T0 }));
      const found = await store.scopesWithWork(T0, 100);
      expect(new Set(found).size).toBe(found.length);
      expect(found[0]).toBe(scopes[5]); // its due deadline is older than any arrival
      expect(found.slice(1)).toEqual(scopes.filter((_, i) => i !== 5));
      expect(await store.scopesWithWork(T0, 7)).toEqual(found.slice(0, 7));
    });

    it("an unknown scope has no work and is not created by asking", async () => {
      expect(await store.evaluateScope("repo:nobody/none", T0, 10, consume)).toBe(false);
      expect(await store.scopeState("repo:nobody/none")).toBeNull();
    });

    it("paused automations are handed to evaluate, until their `until` passes", async () => {
      const pauseEvent = (k: string) => item(ev(k, "hookline.automation.paused"), []);
      await store.setPause({ scope: "server", automation: "a1", paused: true, until: T0 + 1000, by: "api", at: T0 }, pauseEvent("p1"));
      await store.setPause({ scope: "server", automation: "a2", paused: true, until: null, by: "slack:U1", at: T0 }, pauseEvent("p2"));
      await store.setPause({ scope: "server", automation: "a3", paused: false, until: null, by: "api", at: T0 }, pauseEvent("p3"));
      await store.ingest([item(ev(1)), item(ev(2))]);
      const paused: string[][] = [];
      await store.evaluateScope("server", T0 + 999, 1, (w) => (paused.push(w.paused), consume(w)));
      await store.evaluateScope("server", T0 + 1000, 1, (w) => (paused.push(w.paused), consume(w)));
      expect(paused).toEqual([["a1", "a2"], ["a2"]]);
    });

    it("limit must be a positive integer", async () => {
      await expect(store.evaluateScope("server", T0, 0, consume)).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
    });
  });
});

describe.runIf(FACTORIES[1]!.available)("evaluateScope on postgres with several connections", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await FACTORIES[1]!.open();
  });
  afterAll(() => t?.cleanup());
  beforeEach(() => reset(t.db));

  it("SKIP LOCKED: while another connection holds the scope, evaluateScope returns false at once and writes nothing", async () => {
    const store = createSqlStore(t.db);
    await store.ingest([item(ev(1))]);
    const other = await t.another();
    let called = false;
    await other.transaction(async (tx) => {
      await tx.query(`SELECT key FROM scopes WHERE key = 'server' FOR NO KEY UPDATE`);
      expect(await store.evaluateScope("server", T0, 10, (w) => ((called = true), consume(w)))).toBe(false);
      // ingest is not blocked by the evaluation lock
      expect((await store.ingest([item(ev(2))])).inserted).toHaveLength(1);
    });
    expect(called).toBe(false);
    expect(await store.evaluateScope("server", T0, 10, consume)).toBe(true);
    expect((await store.scopeState("server"))?.state).toEqual({ version: 1, seen: 2 });
  });

  it("three instances evaluating the same scopes concurrently hand out every event exactly once", async () => {
    const stores = [createSqlStore(t.db), createSqlStore(await t.another()), createSqlStore(await t.another())];
    const scopes = ["server", "repo:a/a", "repo:b/b"];
    const events = Array.from({ length: 60 }, (_, i) => ev(`c${i}`));
    await stores[0]!.ingest(events.map((e) => item(e, scopes)));
    const handed = new Map<string, string[]>(scopes.map((s) => [s, []]));
    const worker = async (store: ServerStore) => {
      for (let round = 0; round < 200; round++) {
        const work = await store.scopesWithWork(T0, 10);
        if (work.length === 0) return;
        for (const scope of work)
          await store.evaluateScope(scope, T0, 7, (w) => (handed.get(scope)!.push(...w.events.map((e) => e.id)), consume(w)));
      }
    };
    await Promise.all(stores.map(worker));
    for (const scope of scopes) {
      expect([...handed.get(scope)!].sort()).toEqual(events.map((e) => e.id).sort());
      expect((await stores[0]!.scopeState(scope))?.state).toEqual({ version: 1, seen: 60 });
    }
  });
});
