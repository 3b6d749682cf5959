/**
 * The outbox worker: claim due actions (expiring claims), run ONE attempt of each (a few at a time), then
 * complete it (with `hookline.action.executed` and an emitted event), schedule the next attempt (the server's
 * `Retry-After` capped at RETRY_AFTER_CAP_MS, else exponential backoff with full jitter), or dead-letter it
 * (non-retryable, or the last of `maxAttempts`) with `hookline.action.failed`. A claim lost to another instance
 * (ours expired) is logged, not an error: the other instance's attempt counts.
 *
 * `OutboxRow.attempts` counts the attempts already made (failed ones: `retryAction` counts them), so this
 * attempt is number `attempts + 1`. Each attempt is recorded with the call that finishes it (the delivery log):
 * its timing, outcome, error and the masked summary of the calls it made (src/executors/attempt-calls.ts); the
 * error's reason is masked by the secrets the attempt resolved before it is stored anywhere.
 */
import {
  actionEvents,
  attemptInvocation,
  backoffMs,
  maskText,
  recordCalls,
  RETRY_AFTER_CAP_MS,
  type CallRecorder,
  type AttemptOutcome,
  type ParamsRenderer,
} from "../../../src/executors/index.js";
import { isoOf } from "../../../src/events/event-schema.js";
import type { AttemptRecord, IngestItem, OutboxRow, ServerStore } from "../../../src/store/server-types.js";
import { actionPorts } from "./action-ports.js";
import { errorInfo } from "./error-info.js";
import { originOfScope, scopesOfProduced } from "../../../src/scopes/routing.js";
import type { Clock, Logger, ScopeRuntime, WorkEvent } from "./types.js";

export const DEFAULT_ACTION_BATCH = 16;
/** longer than the default action timeout (30 s) with room: an attempt outliving its claim may run twice */
export const DEFAULT_LOCK_MS = 120_000;
export const DEFAULT_ACTION_CONCURRENCY = 4;
/** the runtime could not give the scope's config or ports (e.g. no installation token): retried */
export const RUNTIME_UNAVAILABLE = "HOOKLINE_ACTION_RUNTIME_UNAVAILABLE";

export interface OutboxOptions {
  store: ServerStore;
  runtime: ScopeRuntime;
  instance: string;
  clock: Clock;
  log: Logger;
  observe?: (e: WorkEvent) => void;
  batch?: number;
  lockMs?: number;
  /** attempts running at once */
  concurrency?: number;
  /** renders the parameters (the server's template worker pool, with a deadline); unset: in-process */
  render?: ParamsRenderer;
  /**
   * true once the workers are stopping: no further claimed row is started (those left are released by
   * `stop()` for another instance at once, instead of making shutdown wait for them)
   */
  stopping?: () => boolean;
}

type Status = "executed" | "retry" | "dead";

/** The delay before the next attempt after attempt number `attempt` failed. */
export function retryDelayMs(
  row: Pick<OutboxRow, "invocation">,
  attempt: number,
  outcome: Pick<AttemptOutcome, "retryAfterMs">,
  random: number,
): number {
  if (outcome.retryAfterMs !== undefined && Number.isFinite(outcome.retryAfterMs))
    return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, outcome.retryAfterMs));
  return backoffMs(row.invocation.action, attempt, random);
}

/** what an attempt did, for the delivery log: set once the ports exist */
interface Trace {
  startedAt: number;
  started: number;
  recorder?: CallRecorder;
}

async function attempt(o: OutboxOptions, row: OutboxRow, trace: Trace): Promise<AttemptOutcome> {
  try {
    const [scoped, base] = await Promise.all([o.runtime.configOf(row.scope), o.runtime.portsOf(row.scope)]);
    // the scope rides along so notification buttons name it (the Slack bot resolves the automation by it)
    trace.recorder = recordCalls({ ...actionPorts(base, o.store, row.scope, row.invocation, o.clock), scope: row.scope });
    return await attemptInvocation(row.invocation, scoped?.config.notifiers ?? {}, trace.recorder.ports, o.render);
  } catch (err) {
    const info = errorInfo(err);
    return {
      status: "failed",
      attempts: 1,
      code: info.code ?? RUNTIME_UNAVAILABLE,
      reason: `the action could not run: ${info.message}`,
      retryable: true,
    };
  }
}

/** the attempt as the delivery log keeps it */
function attemptRecord(
  n: number,
  trace: Trace,
  now: number,
  outcome: AttemptRecord["outcome"],
  error: AttemptRecord["error"],
): AttemptRecord {
  return {
    attempt: n,
    startedAt: trace.startedAt,
    finishedAt: now,
    durationMs: performance.now() - trace.started,
    outcome,
    error,
    calls: trace.recorder?.calls() ?? [],
  };
}

async function settle(o: OutboxOptions, row: OutboxRow, outcome: AttemptOutcome, trace: Trace): Promise<{ status: Status; ok: boolean }> {
  const inv = row.invocation;
  const n = row.attempts + 1;
  const now = o.clock.now();
  const finished = { finished: isoOf(now) };
  const scopes = scopesOfProduced(row.scope, "action");
  const origin = originOfScope(row.scope);
  if (outcome.status === "executed") {
    const events: IngestItem[] = [{ event: actionEvents(inv, { ...outcome, attempts: n }, finished)[1], scopes, origin }];
    if (outcome.emitted) events.push({ event: outcome.emitted, scopes, origin });
    const record = attemptRecord(n, trace, now, "succeeded", null);
    return { status: "executed", ok: await o.store.completeAction(row.id, o.instance, now, outcome.result ?? null, events, record) };
  }
  const error = { code: outcome.code, reason: outcome.reason };
  if (outcome.retryable && n < row.maxAttempts) {
    const at = now + retryDelayMs(row, n, outcome, o.clock.random());
    return { status: "retry", ok: await o.store.retryAction(row.id, o.instance, at, error, attemptRecord(n, trace, now, "failed", error)) };
  }
  const reason = outcome.retryable ? `${outcome.reason} (gave up after ${n} attempt${n === 1 ? "" : "s"})` : outcome.reason;
  const failed = actionEvents(inv, { status: "failed", attempts: n, code: outcome.code, reason }, finished)[1];
  return {
    status: "dead",
    ok: await o.store.deadLetterAction(
      row.id,
      o.instance,
      now,
      { code: outcome.code, reason },
      [{ event: failed, scopes, origin }],
      attemptRecord(n, trace, now, "dead", { code: outcome.code, reason }),
    ),
  };
}

async function runRow(o: OutboxOptions, row: OutboxRow): Promise<void> {
  const started = performance.now();
  const inv = row.invocation;
  const where = {
    scope: row.scope,
    action: row.id,
    automation: inv.automation.name,
    firing: inv.firing.id,
    actionType: inv.action.type,
    attempt: row.attempts + 1,
  };
  const lockMs = o.lockMs ?? DEFAULT_LOCK_MS;
  if (inv.action.timeout * 1000 >= lockMs) {
    o.log.warn(
      { ...where, timeoutMs: inv.action.timeout * 1000, lockMs },
      "the action's timeout is not shorter than the claim: another instance may run it again meanwhile (raise lockMs)",
    );
  }
  try {
    const trace: Trace = { startedAt: o.clock.now(), started };
    const raw = await attempt(o, row, trace);
    // a secret the attempt resolved (a webhook URL, a token) never reaches the log, the outbox or an event
    const outcome = raw.status === "failed" ? { ...raw, reason: maskText(raw.reason, trace.recorder?.secrets(), 2000) } : raw;
    const { status, ok } = await settle(o, row, outcome, trace);
    const ms = performance.now() - started;
    if (!ok) {
      o.log.warn(where, "action claim lost (it expired and another instance took the action): this attempt's result is not recorded");
      o.observe?.({ type: "action", status: "lost", actionType: inv.action.type, ms });
      return;
    }
    if (outcome.status === "failed") {
      const log = status === "dead" ? o.log.error.bind(o.log) : o.log.warn.bind(o.log);
      log(
        { ...where, code: outcome.code, reason: outcome.reason },
        status === "dead" ? "action failed for good (dead letter)" : "action attempt failed, retry scheduled",
      );
    } else o.log.info(where, "action executed");
    o.observe?.({ type: "action", status, actionType: inv.action.type, ms });
  } catch (err) {
    // the store failed: the claim expires and the action is attempted again
    o.log.error({ ...where, err: errorInfo(err) }, "action outcome could not be recorded: it is attempted again when its claim expires");
  }
}

/** Claims and runs one batch of due actions; resolves with how many were claimed. */
export async function runOutboxOnce(o: OutboxOptions): Promise<number> {
  const rows = await o.store.claimActions(o.instance, o.clock.now(), o.batch ?? DEFAULT_ACTION_BATCH, o.lockMs ?? DEFAULT_LOCK_MS);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < rows.length && !o.stopping?.()) await runRow(o, rows[next++]!);
  };
  const lanes = Math.max(1, Math.min(o.concurrency ?? DEFAULT_ACTION_CONCURRENCY, rows.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return rows.length;
}
