/**
 * The queue's foreign keys go. Each pending row checked both with `SELECT … FOR KEY SHARE`: on the scope row
 * (a hot row that every concurrent ingest then shared a lock on, through multixacts) and on the event row it was
 * queued with (a lock record written for a row inserted by the same statement). What they guarded holds by
 * construction: ingest inserts the scope row and the event in the same statement as the pending rows, nothing
 * deletes scopes, and retention (prune.ts) deletes only events that no pending row names.
 */
import type { Migration } from "./types.js";

export const migration003: Migration = {
  id: 3,
  name: "pending-without-foreign-keys",
  statements: [`ALTER TABLE pending DROP CONSTRAINT pending_scope_fkey`, `ALTER TABLE pending DROP CONSTRAINT pending_event_fkey`],
};
