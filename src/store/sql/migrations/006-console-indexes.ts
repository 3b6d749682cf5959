/**
 * Indexes for the web console (issue 16): the delivery log pages the outbox newest first by (created_at, id),
 * and an event's page looks for the firings at or shortly after its time (a reactive firing's `at` is its
 * triggering event's `occurred`), across scopes.
 */
import type { Migration } from "./types.js";

export const migration006: Migration = {
  id: 6,
  name: "console-indexes",
  statements: [`CREATE INDEX outbox_created_idx ON outbox (created_at, id)`, `CREATE INDEX firings_at_idx ON firings (at)`],
};
