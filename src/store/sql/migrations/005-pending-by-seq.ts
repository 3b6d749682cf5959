/**
 * `pending` is keyed by (scope, seq) and loses `event_id`: one index per queue row instead of two (the old key
 * (scope, event_id) and the (scope, seq) order index), narrower rows, and no 30-odd byte id stored twice. Each
 * event is stored once with one `seq` (events_pkey), so (scope, seq) is as unique as (scope, event_id) was;
 * readers that want the id join `events` on seq, as the evaluation's read already did. Each queue row was the
 * costliest part of an ingest after the event itself (bench/server: two rows per GitHub delivery).
 */
import type { Migration } from "./types.js";

export const migration005: Migration = {
  id: 5,
  name: "pending-by-seq",
  statements: [
    `ALTER TABLE pending DROP CONSTRAINT pending_pkey`,
    `DROP INDEX pending_scope_seq_idx`,
    `ALTER TABLE pending DROP COLUMN event_id`,
    `ALTER TABLE pending ADD CONSTRAINT pending_pkey PRIMARY KEY (scope, seq)`,
  ],
};
