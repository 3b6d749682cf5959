/**
 * Keeps the `pending` queue table small. Every evaluation deletes the rows it consumed, thousands a second at full
 * ingest, and autovacuum visits a database at most once a minute (autovacuum_naptime): in between, the table and
 * its key fill with dead rows that every read of the queue steps over, and its statistics (what plans are made
 * from) describe whatever the last vacuum saw. So the store vacuums the table itself after every
 * `every` consumed rows: ~20 ms of PostgreSQL time every ~1.5 s at full speed in bench/server, never waiting
 * (SKIP_LOCKED: another instance's vacuum of it is as good), never more than one at a time per process, and in
 * the background: a failure (e.g. a user that does not own the table) only means autovacuum does the work.
 */
import type { Db } from "./db.js";

/** consumed queue rows between two vacuums: ~1.5 s of full-speed evaluation in bench/server */
export const QUEUE_VACUUM_EVERY = 5_000;

/**
 * TRUNCATE false: giving emptied pages back to the operating system takes a lock that makes concurrent ingests
 * wait; the pages are reused by the next rows instead
 */
const VACUUM_QUEUE = `VACUUM (SKIP_LOCKED, TRUNCATE false) pending`;

export interface QueueVacuum {
  /** `n` queue rows were deleted (committed) */
  consumed(n: number): void;
  /** resolves when the vacuum under way, if any, ended */
  idle(): Promise<void>;
}

export function createQueueVacuum(db: Db, every = QUEUE_VACUUM_EVERY): QueueVacuum {
  let since = 0;
  let running: Promise<void> | null = null;
  return {
    consumed(n) {
      since += n;
      if (since < every || running !== null) return;
      since = 0;
      running = db
        .query(VACUUM_QUEUE)
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          running = null;
        });
    },
    idle: () => running ?? Promise.resolve(),
  };
}
