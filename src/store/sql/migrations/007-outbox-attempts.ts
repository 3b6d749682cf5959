/**
 * The delivery log's attempts (issue 16): one row per finished attempt of an outbox action, written in the
 * transaction that completes, retries or dead-letters it, with its timing, outcome, error and the masked summary
 * of the calls it made. Bounded: the finishing call keeps the last few per action; retention follows the outbox
 * (a pruned outbox row takes its attempts with it: ON DELETE CASCADE). IF NOT EXISTS: a re-run changes nothing.
 */
import type { Migration } from "./types.js";

export const migration007: Migration = {
  id: 7,
  name: "outbox-attempts",
  statements: [
    `
CREATE TABLE IF NOT EXISTS outbox_attempts (
  outbox_id   text        NOT NULL,
  attempt     integer     NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  duration_ms integer     NOT NULL,
  outcome     text        NOT NULL,
  error       json,
  calls       json        NOT NULL,
  CONSTRAINT outbox_attempts_pkey PRIMARY KEY (outbox_id, attempt),
  CONSTRAINT outbox_attempts_outbox_fkey FOREIGN KEY (outbox_id) REFERENCES outbox (id) ON DELETE CASCADE,
  CONSTRAINT outbox_attempts_outcome_check CHECK (outcome IN ('succeeded', 'failed', 'dead'))
)`,
  ],
};
