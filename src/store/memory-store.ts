/** An in-memory StateStore for tests and dry runs: the same compare-and-swap contract as the git store. */
import { cloneState, parseState, serializeState } from "./state-codec.js";
import type { ActionState, LoadedState, SaveResult, StateStore } from "./types.js";
import { emptyState } from "./types.js";

export interface MemoryStore extends StateStore {
  /** number of successful saves so far */
  readonly writes: number;
  /** the stored state (a copy), or null when nothing was saved */
  peek(): ActionState | null;
}

export function createMemoryStore(initial?: ActionState): MemoryStore {
  let text: string | null = initial ? serializeState(initial) : null;
  let seq = initial ? 1 : 0;
  let writes = 0;
  const version = (): string | null => (text === null ? null : `mem-${seq}`);
  return {
    get writes() {
      return writes;
    },
    peek: () => (text === null ? null : parseState(text, "memory")),
    async load(): Promise<LoadedState> {
      return { state: text === null ? emptyState() : parseState(text, "memory"), version: version() };
    },
    async save(state: ActionState, expectedVersion: string | null): Promise<SaveResult> {
      const next = serializeState(cloneState(state));
      if (expectedVersion !== version()) return { ok: false, conflict: true };
      text = next;
      seq += 1;
      writes += 1;
      return { ok: true, version: `mem-${seq}` };
    },
  };
}
