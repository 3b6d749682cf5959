import { describe, expect, it } from "vitest";
import { createMemoryStore, emptyState, StateStoreError, type ActionState } from "../../src/store/index.js";

const withCount = (n: number): ActionState => ({ ...emptyState(), engine: { version: 1, count: n } });

describe("memory store: the same compare-and-swap contract as the git store", () => {
  it("starts empty with no version; the first save needs expectedVersion null", async () => {
    const s = createMemoryStore();
    expect(await s.load()).toEqual({ state: emptyState(), version: null });
    expect(await s.save(withCount(1), "mem-9")).toEqual({ ok: false, conflict: true });
    const saved = await s.save(withCount(1), null);
    expect(saved.ok).toBe(true);
    expect(await s.load()).toEqual({ state: withCount(1), version: saved.ok ? saved.version : "" });
  });

  it("a save over a stale version is a conflict and changes nothing", async () => {
    const s = createMemoryStore(withCount(1));
    const { version } = await s.load();
    expect((await s.save(withCount(2), version)).ok).toBe(true);
    expect(await s.save(withCount(9), version)).toEqual({ ok: false, conflict: true });
    expect(s.peek()).toEqual(withCount(2));
    expect(s.writes).toBe(1);
  });

  it("what a caller does to a loaded or saved state never reaches the store", async () => {
    const s = createMemoryStore();
    const mine = withCount(1);
    await s.save(mine, null);
    mine.dedupe.x = "2024-01-01T00:00:00Z";
    const { state } = await s.load();
    state.dedupe.y = "2024-01-01T00:00:00Z";
    expect(s.peek()).toEqual(withCount(1));
  });

  it("an oversized state is refused with HOOKLINE_STATE_TOO_LARGE", async () => {
    const s = createMemoryStore();
    const err = await s.save({ ...emptyState(), engine: { version: 1, pad: "x".repeat(9 * 1024 * 1024) } }, null).catch((e: unknown) => e);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_TOO_LARGE");
    expect(s.peek()).toBeNull();
  });
});
