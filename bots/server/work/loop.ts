/**
 * The workers of one server instance: async loops on one store, the evaluator (which is also the deadline
 * ticker), the outbox worker and, with a retention period, the pruner. Each loop runs again at once while it
 * finds work, else sleeps until the poll interval (the evaluator: or the earliest deadline it knows of, if
 * sooner) or until woken: the evaluator by `wake()` (an ingest), the outbox worker by an evaluation that queued
 * actions.
 * A failing pass is logged and retried after a growing pause; nothing here throws into the process.
 * `stop()` lets the passes in flight finish, then releases this instance's outbox claims.
 */
import type { ParamsRenderer } from "../../../src/executors/index.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import { systemClock } from "./clock.js";
import { errorInfo } from "./error-info.js";
import { evaluateOnce } from "./evaluator.js";
import { DEFAULT_ACTION_BATCH, runOutboxOnce } from "./outbox.js";
import { createSleeper, type Sleeper } from "./sleeper.js";
import type { Clock, Logger, ScopeRuntime, WorkEvent } from "./types.js";

export const DEFAULT_POLL_MS = 1_000;
/** the longest pause after repeated failures of a pass */
export const MAX_ERROR_BACKOFF_MS = 30_000;

export interface WorkerOptions {
  store: ServerStore;
  runtime: ScopeRuntime;
  /** this instance's name (outbox claims are held by it) */
  instance: string;
  clock?: Clock;
  log: Logger;
  observe?: (e: WorkEvent) => void;
  pollMs?: number;
  evaluateLimit?: number;
  actionBatch?: number;
  lockMs?: number;
  /** renders action parameters (the server's template worker pool); unset: in-process */
  render?: ParamsRenderer;
  /** retention: rows older than keepMs are pruned every everyMs (default 10 min) in batches; unset: kept forever */
  retention?: { keepMs: number; everyMs?: number; batch?: number };
}

export const DEFAULT_RETENTION_EVERY_MS = 10 * 60_000;
export const DEFAULT_PRUNE_BATCH = 1_000;

export interface Workers {
  /**
   * new events were stored (ingest): evaluate now. The outbox worker is woken by what queues actions (this
   * instance's evaluations) and polls for the rest (other instances', retries coming due): an ingest queues none,
   * and waking it for each committed batch cost a claim query each (~100 a second at full ingest).
   */
  wake(): void;
  /** stops the loops, waits for the work in flight, releases this instance's claims */
  stop(): Promise<void>;
}

/** How long the evaluator may sleep: the poll interval or the earliest known deadline (past ones are forgotten). */
export function evaluatorSleepMs(deadlines: Map<string, number>, now: number, pollMs: number): number {
  let sleep = pollMs;
  for (const [scope, at] of deadlines) {
    if (at <= now)
      deadlines.delete(scope); // due now: the pass just made found it or another instance holds it
    else sleep = Math.min(sleep, at - now);
  }
  return sleep;
}

/** One worker loop: passes while there is work, else sleeps; a failing pass is logged and retried after a growing pause. */
export async function runLoop(
  name: string,
  pass: () => Promise<{ again: boolean; sleepMs: number }>,
  sleeper: Sleeper,
  o: { log: Logger; pollMs: number; stopping: () => boolean },
): Promise<void> {
  let failures = 0;
  while (!o.stopping()) {
    let next: { again: boolean; sleepMs: number };
    try {
      next = await pass();
      failures = 0;
    } catch (err) {
      failures++;
      const backoff = Math.min(MAX_ERROR_BACKOFF_MS, o.pollMs * 2 ** Math.min(failures - 1, 10));
      o.log.error({ loop: name, failures, backoffMs: backoff, err: errorInfo(err) }, `${name} pass failed: retrying after a pause`);
      next = { again: false, sleepMs: backoff };
    }
    if (o.stopping()) break;
    if (next.again) await new Promise<void>((resolve) => setImmediate(resolve));
    else await sleeper.sleep(next.sleepMs);
  }
}

export function startWorkers(opts: WorkerOptions): Workers {
  const clock = opts.clock ?? systemClock;
  const pollMs = Math.max(1, opts.pollMs ?? DEFAULT_POLL_MS);
  const batch = opts.actionBatch ?? DEFAULT_ACTION_BATCH;
  const deadlines = new Map<string, number>();
  const configRetry = new Map<string, { at: number; failures: number }>();
  const evaluatorSleeper = createSleeper(clock);
  const outboxSleeper = createSleeper(clock);
  let stopping = false;
  const common = { log: opts.log, pollMs, stopping: () => stopping };

  const evaluator = runLoop(
    "evaluator",
    async () => {
      const n = await evaluateOnce({
        store: opts.store,
        runtime: opts.runtime,
        clock,
        log: opts.log,
        ...(opts.observe ? { observe: opts.observe } : {}),
        ...(opts.evaluateLimit !== undefined ? { limit: opts.evaluateLimit } : {}),
        deadlines,
        configRetry,
        onQueued: () => outboxSleeper.wake(),
      });
      return { again: n > 0, sleepMs: evaluatorSleepMs(deadlines, clock.now(), pollMs) };
    },
    evaluatorSleeper,
    common,
  );
  const outbox = runLoop(
    "outbox",
    async () => {
      const n = await runOutboxOnce({
        store: opts.store,
        runtime: opts.runtime,
        instance: opts.instance,
        clock,
        log: opts.log,
        batch,
        stopping: () => stopping,
        ...(opts.observe ? { observe: opts.observe } : {}),
        ...(opts.lockMs !== undefined ? { lockMs: opts.lockMs } : {}),
        ...(opts.render ? { render: opts.render } : {}),
      });
      // a full batch: more may be due; executed actions produce events: the evaluator has work
      if (n > 0) evaluatorSleeper.wake();
      return { again: n >= batch, sleepMs: pollMs };
    },
    outboxSleeper,
    common,
  );

  const retentionSleeper = createSleeper(clock);
  const retention = opts.retention;
  const pruner = retention
    ? runLoop(
        "retention",
        async () => {
          const batch = retention.batch ?? DEFAULT_PRUNE_BATCH;
          const pruned = await opts.store.prune(clock.now() - retention.keepMs, batch);
          if (pruned.events + pruned.firings + pruned.outbox > 0)
            opts.log.info({ ...pruned, keepDays: retention.keepMs / 86_400_000 }, "retention: old rows deleted");
          // a full batch: more is old; between batches ingest and evaluation get the database
          return {
            again: pruned.events >= batch || pruned.firings >= batch || pruned.outbox >= batch,
            sleepMs: retention.everyMs ?? DEFAULT_RETENTION_EVERY_MS,
          };
        },
        retentionSleeper,
        common,
      )
    : Promise.resolve();

  let stopped: Promise<void> | null = null;
  return {
    wake() {
      evaluatorSleeper.wake();
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        evaluatorSleeper.wake();
        outboxSleeper.wake();
        retentionSleeper.wake();
        await Promise.all([evaluator, outbox, pruner]);
        try {
          const released = await opts.store.releaseClaims(opts.instance);
          opts.log.info({ instance: opts.instance, released }, "workers stopped, claims released");
        } catch (err) {
          opts.log.error(
            { instance: opts.instance, err: errorInfo(err) },
            "workers stopped, but their claims could not be released: they expire by themselves",
          );
        }
      })();
      return stopped;
    },
  };
}
