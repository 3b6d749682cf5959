/**
 * The server's durable store (DESIGN.md "State", "Delivery and failure"): events, per-scope engine state,
 * firings, the action outbox with expiring claims, pause flags, Slack threads and the repository config
 * cache, in SQL (embedded PGlite by default, PostgreSQL with DATABASE_URL; the same migrations on both).
 *
 * A **scope** is one engine: `server` (the automations of the server's own configuration, which see every
 * event) or `repo:<owner>/<name>` (a repository's `.github/automations.yaml`, which sees its repository's
 * events). Each event is stored once and queued (a `pending` row) for every scope that must evaluate it.
 * Evaluation of a scope holds its row lock (`FOR UPDATE SKIP LOCKED`), so several instances never evaluate
 * the same scope at once and every pending event, firing and deadline is processed exactly once.
 *
 * Times are epoch milliseconds (numbers) at this interface.
 */
import type { ActionSpec, Automation } from "../automations/types.js";
import type { EngineState, Firing } from "../engine/types.js";
import type { HooklineEvent } from "../events/event-schema.js";
import type { Origin } from "../events/origin.js";

/** An event to store, and the scopes that must evaluate it (may be empty: stored for the feed only). */
export interface IngestItem {
  event: HooklineEvent;
  scopes: string[];
  /**
   * Where the event came from: the store records it on the event as its one related resource with role `origin`
   * (dropping any the event brought along), so no caller can forge it (src/events/origin.ts).
   */
  origin: Origin;
  /**
   * The event's JSON text when the caller already has one (e.g. translation serialized it for the size limit):
   * stored as it is instead of serializing a 20 KB event again. It must parse to exactly `event`. Stores may
   * ignore it, and do when `event` does not carry `origin` yet.
   */
  json?: string;
}

export interface IngestResult {
  /** ids stored now (in input order) */
  inserted: string[];
  /** ids already stored before (dropped: no new pending rows), or repeated within the same call */
  duplicates: string[];
}

export interface StoredEvent {
  /** monotonically increasing storage sequence (bigint as a decimal string) */
  seq: string;
  /** epoch ms when the store received it */
  received: number;
  event: HooklineEvent;
}

/** A what-if replay's page of stored events (ServerStore.replayPage). */
export interface ReplayPage {
  /** the events as stored, in storage order, as one JSON array text */
  json: string;
  count: number;
  /** the storage sequence of the page's last event (null: the page is empty) */
  last: string | null;
}

/** What a scope evaluation starts from; handed to the (synchronous, pure) evaluation function. */
export interface ScopeWork {
  scope: string;
  /** the engine snapshot saved by the previous evaluation, null for a new scope */
  state: EngineState | null;
  /** the config version the state was computed with (e.g. the automations.yaml blob sha), null for a new scope */
  configVersion: string | null;
  /** automations paused at run time now (their pause has no `until`, or `until` > now) */
  paused: string[];
  /** pending events of this scope, oldest storage sequence first, at most `limit` */
  events: HooklineEvent[];
  /**
   * leaders (`follows` ids) of these events that this scope has already evaluated or will never see (stored,
   * not queued for it): their followers need not wait, whatever the engine still remembers (the server keeps
   * the engine's own id memory small, so its state stays small)
   */
  settledLeaders?: ReadonlySet<string>;
}

/** One action of one firing, queued for execution (the outbox row's payload). */
export interface OutboxItem {
  /** the idempotency key `${firing.id}:${index}`: unique; a second insert of the same key is ignored */
  id: string;
  scope: string;
  invocation: {
    firing: Firing;
    automation: Automation;
    index: number;
    action: ActionSpec;
    idempotencyKey: string;
  };
  /** 1 + action.max_retries */
  maxAttempts: number;
}

/** What one evaluation produced; committed atomically with the state and the removal of the pending rows. */
export interface EvaluationResult {
  state: EngineState;
  configVersion: string | null;
  /** engine.nextDeadline(): the scope is due for evaluation again at this time even with no new event */
  nextDeadline: number | null;
  firings: Firing[];
  outbox: OutboxItem[];
  /** events the evaluation produced (firing events, hookline.action.triggered), to store and queue for their scopes */
  events: IngestItem[];
}

export type OutboxStatus = "pending" | "done" | "dead";

export interface OutboxRow extends OutboxItem {
  attempts: number;
  status: OutboxStatus;
  /** epoch ms */
  createdAt: number;
  lastError: { code: string; reason: string } | null;
}

/**
 * One finished attempt of an action, kept in the delivery log (`outbox_attempts`) by the call that finishes it.
 * Already masked by whoever records it (src/executors/attempt-calls.ts): the store keeps what it is given.
 */
export interface AttemptRecord {
  /** 1, 2, …: the row's `attempts` before this one + 1 (a redelivery continues the count) */
  attempt: number;
  /** epoch ms */
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  outcome: "succeeded" | "failed" | "dead";
  error: { code: string; reason: string } | null;
  /** the calls the attempt made (request and response summaries), JSON */
  calls: unknown[];
}

export interface PauseRecord {
  scope: string;
  automation: string;
  paused: boolean;
  /** epoch ms after which the pause no longer holds; null = until resumed */
  until: number | null;
  /** who changed it (e.g. `slack:U123`, `api`) */
  by: string;
  at: number;
}

export interface FiringRecord {
  scope: string;
  firing: Firing;
}

export interface EventQuery {
  /** glob on the event name (src/events glob syntax), e.g. `mainframe.*` */
  name?: string;
  /** exact primary resource id */
  resource?: string;
  /** exact id of one of the related resources (the related index, migration 008; origins by a body scan) */
  related?: string;
  /** exact id of the primary resource OR one of the related resources (a resource's timeline) */
  touching?: string;
  /** epoch ms bounds on `occurred` (inclusive since, exclusive until) */
  since?: number;
  until?: number;
  /** page size (1..500) */
  limit: number;
  /** opaque cursor from the previous page (`next`) */
  after?: string;
  /** storage order: "asc" oldest first (default, for consumers that follow the feed), "desc" newest first */
  order?: "asc" | "desc";
}

export interface RepositoryRecord {
  /** owner/name */
  fullName: string;
  installationId: number;
  defaultBranch: string | null;
  /** the sha of the config blob last loaded (null: none found), the text, and where it came from */
  configSha: string | null;
  configText: string | null;
  configPath: string | null;
  /** epoch ms */
  updatedAt: number;
}

export interface OutboxStats {
  pending: number;
  /** epoch ms of the oldest pending row's creation, null when none */
  oldestPendingCreatedAt: number | null;
  dead: number;
  done: number;
}

/** Rows one `prune` call deleted. */
export interface PruneResult {
  events: number;
  firings: number;
  outbox: number;
}

export interface ServerStore {
  /** Stores events (idempotent on event id) and queues them for their scopes, in ONE transaction: durable on resolve. */
  ingest(items: IngestItem[]): Promise<IngestResult>;

  /** Scopes that have pending events or a deadline <= now, oldest work first, at most `limit` (no locks taken). */
  scopesWithWork(now: number, limit: number): Promise<string[]>;
  /**
   * In one transaction: locks the scope (SKIP LOCKED: returns false at once when another instance holds it, or
   * when it has no work), hands `evaluate` its state and up to `limit` pending events, then saves the result:
   * state, config version, next deadline, firings, outbox rows (ignored when the key exists), the produced
   * events (stored and queued), and deletes the pending rows it handed out. `evaluate` is synchronous and pure;
   * if it throws, nothing is written and the error propagates.
   */
  evaluateScope(scope: string, now: number, limit: number, evaluate: (work: ScopeWork) => EvaluationResult): Promise<boolean>;

  /** Claims up to `limit` due pending actions (next attempt <= now, no live claim) for `lockMs`. */
  claimActions(instance: string, now: number, limit: number, lockMs: number): Promise<OutboxRow[]>;
  /** Marks a claimed action done and stores `events` (hookline.action.executed, emitted events). False when the claim was lost. */
  completeAction(
    id: string,
    instance: string,
    now: number,
    result: unknown,
    events: IngestItem[],
    attempt?: AttemptRecord,
  ): Promise<boolean>;
  /**
   * Counts a failed attempt and schedules the next at `retryAt`; releases the claim. False when the claim was lost.
   * Each finishing call records `attempt` (when given) in the same transaction, keeping the last few per action.
   */
  retryAction(
    id: string,
    instance: string,
    retryAt: number,
    error: { code: string; reason: string },
    attempt?: AttemptRecord,
  ): Promise<boolean>;
  /** Gives up: status dead, stores `events` (hookline.action.failed). False when the claim was lost. */
  deadLetterAction(
    id: string,
    instance: string,
    now: number,
    error: { code: string; reason: string },
    events: IngestItem[],
    attempt?: AttemptRecord,
  ): Promise<boolean>;
  /** Releases every live claim of `instance` (graceful shutdown); returns how many. */
  releaseClaims(instance: string): Promise<number>;
  outboxStats(now: number): Promise<OutboxStats>;
  /**
   * Retention: deletes up to `limit` rows of each kind older than `before` (epoch ms): events received before it
   * that no scope still has to evaluate, firings recorded before it, and finished (done or dead) outbox rows last
   * updated before it. Call again while a count equals `limit`.
   */
  prune(before: number, limit: number): Promise<PruneResult>;
  getOutbox(id: string): Promise<OutboxRow | null>;

  /** Records a pause/resume and stores its event (hookline.automation.paused|resumed) in one transaction. */
  setPause(record: PauseRecord, event: IngestItem): Promise<void>;
  listPauses(scope: string, now: number): Promise<PauseRecord[]>;

  listEvents(query: EventQuery): Promise<{ events: StoredEvent[]; next: string | null }>;
  /**
   * Up to `limit` events stored after the storage sequence `after` (null: from the first), every scope's, in
   * storage order, unparsed: for what-if replays, which parse and filter them in their own thread.
   */
  replayPage(after: string | null, limit: number): Promise<ReplayPage>;
  /** newest first */
  listFirings(scope: string, automation: string | null, limit: number): Promise<Firing[]>;
  /** the saved engine state of a scope (for live status), null when never evaluated */
  scopeState(scope: string): Promise<{ state: EngineState | null; configVersion: string | null; nextDeadline: number | null } | null>;
  listScopes(): Promise<string[]>;

  /** Slack thread per (scope, key) */
  getThread(scope: string, key: string): Promise<{ channel: string; ts: string } | null>;
  setThread(scope: string, key: string, thread: { channel: string; ts: string }, now: number): Promise<void>;

  upsertRepository(record: RepositoryRecord): Promise<void>;
  getRepository(fullName: string): Promise<RepositoryRecord | null>;

  close(): Promise<void>;
}
