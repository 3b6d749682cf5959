import { describe, expect, it } from "vitest";
import { createIngestBatcher } from "../../../bots/server/batch/ingest-batcher.js";
import type { IngestItem, IngestResult } from "../../../src/store/server-types.js";

const item = (id: string): IngestItem => ({
  event: {
    id,
    event: "x.y",
    occurred: "2026-01-01T00:00:00Z",
    resource: { "prefect.resource.id": "r" },
    related: [],
    payload: {},
    follows: null,
  } as never,
  scopes: ["server"],
  origin: { kind: "api", name: "test" },
});

/** a store whose transactions are released by the test, so batching is observable */
function gatedStore() {
  const calls: string[][] = [];
  const seen = new Set<string>();
  const gates: Array<() => void> = [];
  let fail = false;
  return {
    calls,
    gates,
    failNext() {
      fail = true;
    },
    async ingest(items: IngestItem[]): Promise<IngestResult> {
      calls.push(items.map((i) => i.event.id));
      await new Promise<void>((r) => gates.push(r));
      if (fail) {
        fail = false;
        throw new Error("db down");
      }
      const r: IngestResult = { inserted: [], duplicates: [] };
      for (const i of items) {
        (seen.has(i.event.id) ? r.duplicates : r.inserted).push(i.event.id);
        seen.add(i.event.id);
      }
      return r;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("ingest group commit", () => {
  it("a lone call is committed at once, calls arriving during a commit share the next transaction", async () => {
    const store = gatedStore();
    const b = createIngestBatcher(store);
    const first = b.ingest([item("a")]);
    await tick();
    expect(store.calls).toEqual([["a"]]);
    const second = b.ingest([item("b")]);
    const third = b.ingest([item("c"), item("d")]);
    await tick();
    expect(store.calls).toHaveLength(1);
    store.gates.shift()!();
    expect(await first).toEqual({ inserted: ["a"], duplicates: [] });
    await tick();
    expect(store.calls[1]).toEqual(["b", "c", "d"]);
    store.gates.shift()!();
    expect(await second).toEqual({ inserted: ["b"], duplicates: [] });
    expect(await third).toEqual({ inserted: ["c", "d"], duplicates: [] });
  });

  it("a caller's promise resolves only after the transaction holding its items committed", async () => {
    const store = gatedStore();
    const b = createIngestBatcher(store);
    let done = false;
    const p = b.ingest([item("a")]).then(() => (done = true));
    await tick();
    await tick();
    expect(done).toBe(false);
    store.gates.shift()!();
    await p;
    expect(done).toBe(true);
  });

  it("the same id from two callers in one transaction: the first is inserted, the second told it is a duplicate", async () => {
    const store = gatedStore();
    const b = createIngestBatcher(store);
    const blocker = b.ingest([item("z")]);
    await tick();
    const one = b.ingest([item("dup")]);
    const two = b.ingest([item("dup")]);
    store.gates.shift()!();
    await blocker;
    await tick();
    store.gates.shift()!();
    expect(await one).toEqual({ inserted: ["dup"], duplicates: [] });
    expect(await two).toEqual({ inserted: [], duplicates: ["dup"] });
  });

  it("a failed transaction rejects every caller in it (none is told its event is stored) and later calls still work", async () => {
    const store = gatedStore();
    const b = createIngestBatcher(store);
    store.failNext();
    const a = b.ingest([item("a")]);
    await tick();
    store.gates.shift()!();
    await expect(a).rejects.toThrow("db down");
    const c = b.ingest([item("c")]);
    await tick();
    store.gates.shift()!();
    expect(await c).toEqual({ inserted: ["c"], duplicates: [] });
  });

  it("maxItems splits a backlog into several transactions, in arrival order", async () => {
    const store = gatedStore();
    const b = createIngestBatcher(store, { maxItems: 2 });
    const blocker = b.ingest([item("0")]);
    await tick();
    const calls = ["1", "2", "3"].map((id) => b.ingest([item(id)]));
    store.gates.shift()!();
    await blocker;
    for (let i = 0; i < 2; i++) {
      await tick();
      store.gates.shift()!();
    }
    await Promise.all(calls);
    expect(store.calls.slice(1)).toEqual([["1", "2"], ["3"]]);
  });
});
