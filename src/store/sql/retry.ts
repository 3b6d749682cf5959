/**
 * Retries a whole transaction when PostgreSQL aborted it for a deadlock (40P01) or a serialization failure
 * (40001): e.g. two ingests of overlapping batches in different orders. Safe only for work that may run again
 * from the start (every store transaction here: evaluation callbacks are pure).
 */
const RETRYABLE = new Set(["40P01", "40001"]);

export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (attempt >= attempts || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
      // a few ms of jitter, so the two parties of a deadlock do not collide again in lockstep
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5 * attempt)));
    }
  }
}
