/**
 * Read-modify-write with retry on conflict. On a conflict the state is re-loaded and `fn` re-applied to the
 * FRESH state, so `fn` must be a deterministic function of the state it is given (the Action re-runs the engine
 * on the fresh state), and must not perform side effects it cannot repeat (execute actions after the write).
 */
import { StateStoreError } from "./errors.js";
import { cloneState, serializeState } from "./state-codec.js";
import type { ActionState, StateStore } from "./types.js";

export interface UpdateOptions {
  /** loads+saves tried before giving up with HOOKLINE_STATE_CONFLICT (default 10; >= 1) */
  maxAttempts?: number;
  /** waits between attempts (default: setTimeout); tests inject their own */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) source of jitter (default Math.random) */
  random?: () => number;
  /** first backoff ceiling in ms, doubled per conflict up to `maxDelayMs` (defaults 250 and 5000) */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface UpdateResult {
  state: ActionState;
  /** the stored version after the update (unchanged when `fn` changed nothing: no write is made) */
  version: string | null;
  attempts: number;
  /** false when `fn` returned a state equal to the one loaded, so nothing was written */
  written: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "Full jitter" backoff: uniform in [0, min(max, base * 2^(attempt-1))). */
export function backoffDelay(attempt: number, random: () => number, baseDelayMs = 250, maxDelayMs = 5000): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}

export async function updateState(
  store: StateStore,
  fn: (state: ActionState) => ActionState | Promise<ActionState>,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const maxAttempts = options.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await store.load();
    const before = serializeState(state);
    // fn gets its own copy: what it mutates on a losing attempt never leaks into the next one
    const next = await fn(cloneState(state));
    if (serializeState(next) === before) return { state: next, version, attempts: attempt, written: false };
    const saved = await store.save(next, version);
    if (saved.ok) return { state: next, version: saved.version, attempts: attempt, written: true };
    if (attempt >= maxAttempts) {
      throw new StateStoreError(
        "HOOKLINE_STATE_CONFLICT",
        `the hookline state changed under this run ${attempt} times in a row (other workflow runs kept writing it); ` +
          "re-run this job, or raise the number of attempts if many runs start at once",
      );
    }
    await sleep(backoffDelay(attempt, random, options.baseDelayMs, options.maxDelayMs));
  }
}
