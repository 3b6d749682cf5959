import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  backoffDelay,
  createMemoryStore,
  emptyState,
  StateStoreError,
  updateState,
  type ActionState,
  type StateStore,
} from "../../src/store/index.js";
import { createGitRefStore } from "../../src/adapters/index.js";
import { startFakeGitServer, type FakeGitServer } from "./fake-git-server.js";

const countOf = (s: ActionState) => Number((s.engine as { count?: number } | null)?.count ?? 0);
const increment = (s: ActionState): ActionState => ({ ...s, engine: { version: 1, count: countOf(s) + 1 } });
/** real waits, tiny and jittered, so concurrent writers interleave differently; no assertion depends on time */
const tinySleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20)));

let server: FakeGitServer;
beforeEach(async () => {
  server = await startFakeGitServer();
});
afterEach(async () => {
  await server.close();
});
const gitStore = () => createGitRefStore({ octokit: getOctokit("token", { baseUrl: server.baseUrl }), owner: "octo", repo: "hello" });

describe("updateState: no lost update", () => {
  it("10 concurrent increments through the git store all land (final count 10)", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => updateState(gitStore(), increment, { maxAttempts: 10, sleep: tinySleep })),
    );
    expect(countOf((await gitStore().load()).state)).toBe(10);
    // every writer saw a distinct count: no two based their write on the same state
    expect(results.map((r) => countOf(r.state)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("10 concurrent increments through the memory store all land (final count 10)", async () => {
    const store = createMemoryStore();
    await Promise.all(Array.from({ length: 10 }, () => updateState(store, increment, { sleep: tinySleep })));
    expect(countOf(store.peek()!)).toBe(10);
    expect(store.writes).toBe(10);
  });

  it("on a conflict fn is re-applied to the FRESH state, which includes the other writer's change", async () => {
    const store = gitStore();
    await store.save({ ...emptyState(), engine: { version: 1, count: 5 } }, null);
    const seen: number[] = [];
    let interfered = false;
    server.before = async (method) => {
      if (method === "PATCH" && !interfered) {
        interfered = true; // another run moves the ref between our read and our compare-and-swap
        await updateState(gitStore(), increment);
      }
    };
    const r = await updateState(
      store,
      (s) => {
        seen.push(countOf(s));
        return increment(s);
      },
      { sleep: async () => {} },
    );
    expect(seen).toEqual([5, 6]);
    expect(r.attempts).toBe(2);
    expect(countOf((await store.load()).state)).toBe(7);
  });

  it("what fn mutates on a losing attempt does not leak into the next attempt", async () => {
    const store = createMemoryStore(emptyState());
    let first = true;
    const racing: StateStore = {
      load: () => store.load(),
      async save(state, version) {
        if (first) {
          first = false;
          await store.save({ ...emptyState(), dedupe: { other: "2024-01-01T00:00:00Z" } }, version);
        }
        return store.save(state, version);
      },
    };
    await updateState(
      racing,
      (s) => {
        s.dedupe[`mine-${Object.keys(s.dedupe).length}`] = "2024-01-01T00:00:00Z"; // mutates its copy
        return s;
      },
      { sleep: async () => {} },
    );
    expect(Object.keys(store.peek()!.dedupe).sort()).toEqual(["mine-1", "other"]);
  });

  it("fn may be async", async () => {
    const store = createMemoryStore();
    await updateState(store, async (s) => increment(s));
    expect(countOf(store.peek()!)).toBe(1);
  });
});

describe("updateState: giving up and not writing", () => {
  it("after maxAttempts conflicts it throws HOOKLINE_STATE_CONFLICT, having tried exactly maxAttempts times", async () => {
    const store = gitStore();
    await store.save(emptyState(), null);
    let patches = 0;
    server.before = async (method) => {
      if (method !== "PATCH") return;
      patches += 1;
      server.writeRaw("refs/hookline/state", { "state.json": JSON.stringify(increment(emptyState())) });
    };
    const sleeps: number[] = [];
    const err = await updateState(store, increment, {
      maxAttempts: 4,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateStoreError);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_CONFLICT");
    expect((err as StateStoreError).message).toMatch(/4 times/);
    expect(patches).toBe(4);
    expect(sleeps).toHaveLength(3); // no sleep after the last attempt
  });

  it("maxAttempts 1 gives up on the first conflict", async () => {
    const alwaysConflict: StateStore = {
      load: async () => ({ state: emptyState(), version: "v" }),
      save: async () => ({ ok: false, conflict: true }),
    };
    const err = await updateState(alwaysConflict, increment, { maxAttempts: 1 }).catch((e: unknown) => e);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_CONFLICT");
  });

  it.each([0, -1, 1.5, Number.NaN])("maxAttempts %s is refused", async (n) => {
    await expect(updateState(createMemoryStore(), increment, { maxAttempts: n })).rejects.toThrow(RangeError);
  });

  it("when fn changes nothing no write is made (no commit, no request beyond the read)", async () => {
    const store = gitStore();
    await store.save(increment(emptyState()), null);
    const before = server.log.length;
    const r = await updateState(store, (s) => s);
    expect(r.written).toBe(false);
    expect(server.log.slice(before)).toHaveLength(2); // GET ref + GET contents
  });

  it("errors other than conflicts propagate at once, without retrying", async () => {
    const store = gitStore();
    server.readOnly = true;
    let calls = 0;
    const err = await updateState(store, (s) => (calls++, increment(s)), { sleep: async () => {} }).catch((e: unknown) => e);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_FORBIDDEN");
    expect(calls).toBe(1);
  });
});

describe("backoff", () => {
  it("full jitter: below base * 2^(attempt-1), capped at maxDelayMs, never negative", () => {
    expect(backoffDelay(1, () => 0.999, 100, 1000)).toBeLessThan(100);
    expect(backoffDelay(3, () => 0.999, 100, 1000)).toBeLessThan(400);
    expect(backoffDelay(3, () => 0.999, 100, 1000)).toBeGreaterThanOrEqual(300);
    expect(backoffDelay(50, () => 0.999, 100, 1000)).toBeLessThan(1000);
    expect(backoffDelay(2, () => 0, 100, 1000)).toBe(0);
  });
});
