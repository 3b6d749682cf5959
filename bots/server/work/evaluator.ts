/**
 * The evaluator (and the ticker: a scope whose next deadline has passed is work too). For each scope with work:
 * load its config (async, before the transaction), then `store.evaluateScope` with the pure evaluation round.
 * A scope another instance holds is skipped (SKIP LOCKED); a scope whose config cannot be loaded keeps its
 * events pending and is tried again on a later pass; one scope's failure never stops the others.
 */
import type { ServerStore } from "../../../src/store/server-types.js";
import { errorInfo } from "./error-info.js";
import { emptyRound, evaluationRound } from "./evaluation-round.js";
import type { Clock, Logger, ScopeConfig, ScopeRuntime, WorkEvent } from "./types.js";

export const DEFAULT_EVALUATE_LIMIT = 500;
export const DEFAULT_SCOPES_PER_PASS = 100;

export interface EvaluateOptions {
  store: ServerStore;
  runtime: ScopeRuntime;
  clock: Pick<Clock, "now">;
  log: Logger;
  observe?: (e: WorkEvent) => void;
  /** pending events per scope evaluation */
  limit?: number;
  /** scopes per pass */
  scopes?: number;
  /** filled with the next deadline of every scope this instance evaluates (the loop sleeps until the earliest) */
  deadlines?: Map<string, number>;
  /** called when an evaluation queued actions (the loop wakes the outbox worker) */
  onQueued?: () => void;
  /**
   * scopes whose config failed to load, and when to try again (kept by the loop): each failure doubles the pause
   * from CONFIG_RETRY_FIRST_MS up to CONFIG_RETRY_MAX_MS, so a failing scope does not call GitHub on every poll
   */
  configRetry?: Map<string, { at: number; failures: number }>;
}

export const CONFIG_RETRY_FIRST_MS = 5_000;
export const CONFIG_RETRY_MAX_MS = 5 * 60_000;

/** One evaluation of `scope`; true when this instance evaluated it. */
async function evaluateScopeOnce(o: EvaluateOptions, scope: string, limit: number): Promise<boolean> {
  const retry = o.configRetry?.get(scope);
  if (retry !== undefined && retry.at > o.clock.now()) return false;
  let scoped: ScopeConfig | null;
  try {
    scoped = await o.runtime.configOf(scope);
  } catch (err) {
    const failures = (retry?.failures ?? 0) + 1;
    const pauseMs = Math.min(CONFIG_RETRY_MAX_MS, CONFIG_RETRY_FIRST_MS * 2 ** Math.min(failures - 1, 20));
    o.configRetry?.set(scope, { at: o.clock.now() + pauseMs, failures });
    const retryInMs = o.configRetry ? { retryInMs: pauseMs } : {};
    o.log.warn(
      { scope, err: errorInfo(err), ...retryInMs },
      "scope config could not be loaded: its events stay pending and are evaluated on a later pass",
    );
    return false;
  }
  o.configRetry?.delete(scope);
  const now = o.clock.now();
  const started = performance.now();
  let events = 0;
  let firings = 0;
  let warnings: string[] = [];
  let nextDeadline: number | null = null;
  let queued = 0;
  const done = await o.store.evaluateScope(scope, now, limit, (work) => {
    events = work.events.length;
    if (scoped === null) return emptyRound(work);
    const round = evaluationRound(work, scoped, now);
    firings = round.result.firings.length;
    warnings = round.warnings;
    nextDeadline = round.result.nextDeadline;
    queued = round.result.outbox.length;
    return round.result;
  });
  if (!done) return false;
  if (nextDeadline === null) o.deadlines?.delete(scope);
  else o.deadlines?.set(scope, nextDeadline);
  if (queued > 0) o.onQueued?.();
  for (const warning of warnings) o.log.warn({ scope }, warning);
  if (firings > 0 || events > 0) o.log.debug?.({ scope, events, firings }, "scope evaluated");
  o.observe?.({ type: "evaluated", scope, events, firings, ms: performance.now() - started });
  return true;
}

/** One pass over the scopes with work now; resolves with how many scopes this instance evaluated. */
export async function evaluateOnce(o: EvaluateOptions): Promise<number> {
  const limit = o.limit ?? DEFAULT_EVALUATE_LIMIT;
  const scopes = await o.store.scopesWithWork(o.clock.now(), o.scopes ?? DEFAULT_SCOPES_PER_PASS);
  let evaluated = 0;
  for (const scope of scopes) {
    try {
      if (await evaluateScopeOnce(o, scope, limit)) evaluated++;
    } catch (err) {
      o.log.error({ scope, err: errorInfo(err) }, "scope evaluation failed: nothing was written, it is retried on a later pass");
    }
  }
  return evaluated;
}
