/**
 * Attempts of one invocation: `1 + max_retries` attempts, each limited to `timeout` seconds. Between attempts
 * the wait is exponential backoff with full jitter, `random() × min(retry_interval × 2^(n-1), 5 min)` before
 * retry n, unless the server sent `Retry-After`: then that delay, capped at RETRY_AFTER_CAP_MS (60 s), so a
 * hostile or confused server cannot park a workflow run. Only retryable ActionErrors, network errors and
 * time-outs are retried; anything else fails at once.
 */
import type { ActionSpec } from "../automations/types.js";
import { ACTION_CODES, ActionError } from "./errors.js";
import type { ActionClock } from "./types.js";

export const RETRY_AFTER_CAP_MS = 60_000;
export const BACKOFF_CAP_MS = 300_000;

export interface AttemptResult<T> {
  value?: T;
  error?: ActionError;
  attempts: number;
}

/** Any thrown value as an ActionError (unknown errors are network-like: retryable). */
export function toActionError(err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ActionError(ACTION_CODES.network, `request failed: ${message}`, true);
}

/** Runs `fn` with a per-attempt AbortSignal; rejects with a time-out even when `fn` ignores the signal. */
export function attemptWithTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ActionError(ACTION_CODES.timeout, `no answer within the action's timeout of ${timeoutMs / 1000} s`, true);
      controller.abort(err);
      reject(err);
    }, timeoutMs);
    timer.unref?.();
  });
  return Promise.race([Promise.resolve().then(() => fn(controller.signal)), timedOut]).finally(() => clearTimeout(timer));
}

export function backoffMs(action: Pick<ActionSpec, "retry_interval">, retry: number, random: number): number {
  const base = Math.max(0, action.retry_interval) * 1000;
  const ceiling = Math.min(BACKOFF_CAP_MS, base * 2 ** Math.min(30, retry - 1));
  return Math.floor(Math.max(0, Math.min(1, random)) * ceiling);
}

export async function withRetries<T>(
  action: Pick<ActionSpec, "max_retries" | "retry_interval" | "timeout">,
  clock: ActionClock,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<AttemptResult<T>> {
  const attempts = 1 + Math.max(0, Math.floor(action.max_retries));
  const timeoutMs = Math.max(1, action.timeout * 1000);
  const random = clock.random ? () => clock.random!() : Math.random;
  let last: ActionError | undefined;
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) {
      const wait = last?.retryAfterMs !== undefined ? Math.min(RETRY_AFTER_CAP_MS, last.retryAfterMs) : backoffMs(action, n - 1, random());
      await clock.sleep(wait);
    }
    try {
      return { value: await attemptWithTimeout(fn, timeoutMs), attempts: n };
    } catch (err) {
      last = toActionError(err);
      if (!last.retryable) return { error: last, attempts: n };
    }
  }
  const error = last!;
  return {
    error: new ActionError(error.code, `${error.message} (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"})`, false),
    attempts,
  };
}
