/** The server's workers: evaluation (and deadlines), the action outbox, pause/resume. */
export type { Clock, Logger, ScopeConfig, ScopeRuntime, WorkEvent } from "./types.js";
export { startWorkers, evaluatorSleepMs, DEFAULT_POLL_MS, MAX_ERROR_BACKOFF_MS, type WorkerOptions, type Workers } from "./loop.js";
export {
  evaluateOnce,
  CONFIG_RETRY_FIRST_MS,
  CONFIG_RETRY_MAX_MS,
  DEFAULT_EVALUATE_LIMIT,
  DEFAULT_SCOPES_PER_PASS,
  type EvaluateOptions,
} from "./evaluator.js";
export { evaluationRound, emptyRound, MAX_CHAIN_DEPTH, type RoundReport } from "./evaluation-round.js";
export {
  runOutboxOnce,
  retryDelayMs,
  DEFAULT_ACTION_BATCH,
  DEFAULT_ACTION_CONCURRENCY,
  DEFAULT_LOCK_MS,
  RUNTIME_UNAVAILABLE,
  type OutboxOptions,
} from "./outbox.js";
export { pauseAutomation, pauseEvent, PauseError, PAUSE_EVENT_NAMES, type PauseArgs } from "../../../src/scopes/pause.js";
export { scopesOfProduced, SERVER_SCOPE } from "../../../src/scopes/routing.js";
export { systemClock } from "./clock.js";
export { capturedTables, startDatabaseReaders, type DatabaseReaders, type SourceHandle } from "./database-reader.js";
