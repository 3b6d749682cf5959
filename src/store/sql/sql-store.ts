/**
 * createSqlStore: the ServerStore port on a Db (PGlite or PostgreSQL). Each operation lives in its own file;
 * this only wires them and picks which run in a transaction.
 */
import type { ServerStore, StoredEvent } from "../server-types.js";
import { createEventCache, DEFAULT_EVENT_CACHE_CHARS } from "./event-cache.js";
import { claimActions } from "./claim-actions.js";
import type { Db } from "./db.js";
import { evaluateScopeWith, scopesWithWork } from "./evaluate-scope.js";
import { createQueueVacuum } from "./queue-vacuum.js";
import { completeAction, deadLetterAction, releaseClaims, retryAction } from "./finish-action.js";
import { afterCommit, ingestWith } from "./ingest.js";
import { listEvents } from "./list-events.js";
import { replayPage } from "./replay-page.js";
import { listPauses, setPause } from "./pauses.js";
import { pruneWith } from "./prune.js";
import { getOutbox, listFirings, listScopes, outboxStats, scopeState } from "./queries.js";
import { getRepository, upsertRepository } from "./repositories.js";
import { retryOnConflict } from "./retry.js";
import { getThread, setThread } from "./threads.js";

export interface SqlStoreOptions {
  /** recently stored events kept for their evaluations, in characters of JSON (default 32 Mi; 0: always read them back) */
  eventCacheChars?: number;
  /** queue rows consumed between two vacuums of the queue table (default QUEUE_VACUUM_EVERY) */
  queueVacuumEvery?: number;
  /**
   * called after each write that stored events committed, with those events (seq order): ingest, and the
   * workers' writes (evaluation's firing events, action outcomes, pauses). The live feed's push.
   */
  onEventsStored?: (events: StoredEvent[]) => void;
}

/** The store on an already migrated database (see `migrate`). `close()` closes `db`. */
export function createSqlStore(db: Db, options: SqlStoreOptions = {}): ServerStore {
  const cache = createEventCache(options.eventCacheChars ?? DEFAULT_EVENT_CACHE_CHARS);
  const queue = createQueueVacuum(db, options.queueVacuumEvery);
  const stored = options.onEventsStored;
  return {
    // one statement: atomic by itself (committed when it returns: its events may be cached); retried whole when
    // PostgreSQL picks it as a deadlock victim
    ingest: (items) => retryOnConflict(() => ingestWith(db, items, cache.put, stored)),
    scopesWithWork: (now, limit) => scopesWithWork(db, now, limit),
    evaluateScope: async (scope, now, limit, evaluate) => {
      let consumed = 0;
      const worked = await retryOnConflict(() =>
        afterCommit(stored, (collect) =>
          db.transaction((tx) => evaluateScopeWith(tx, scope, now, limit, evaluate, cache, (n) => (consumed = n), collect)),
        ),
      );
      queue.consumed(consumed);
      return worked;
    },
    claimActions: (instance, now, limit, lockMs) => claimActions(db, instance, now, limit, lockMs),
    completeAction: (id, instance, _now, result, events, attempt) =>
      afterCommit(stored, (collect) => completeAction(db, id, instance, result, events, attempt, collect)),
    retryAction: (id, instance, retryAt, error, attempt) => retryAction(db, id, instance, retryAt, error, attempt),
    deadLetterAction: (id, instance, _now, error, events, attempt) =>
      afterCommit(stored, (collect) => deadLetterAction(db, id, instance, error, events, attempt, collect)),
    releaseClaims: (instance) => releaseClaims(db, instance),
    outboxStats: () => outboxStats(db),
    prune: (before, limit) => pruneWith(db, before, limit),
    getOutbox: (id) => getOutbox(db, id),
    setPause: (record, event) => retryOnConflict(() => afterCommit(stored, (collect) => setPause(db, record, event, collect))),
    listPauses: (scope, now) => listPauses(db, scope, now),
    listEvents: (query) => listEvents(db, query),
    replayPage: (after, limit) => replayPage(db, after, limit),
    listFirings: (scope, automation, limit) => listFirings(db, scope, automation, limit),
    scopeState: (scope) => scopeState(db, scope),
    listScopes: () => listScopes(db),
    getThread: (scope, key) => getThread(db, scope, key),
    setThread: (scope, key, thread, now) => setThread(db, scope, key, thread, now),
    upsertRepository: (record) => upsertRepository(db, record),
    getRepository: (fullName) => getRepository(db, fullName),
    close: async () => {
      await queue.idle();
      await db.close();
    },
  };
}
