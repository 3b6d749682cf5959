/**
 * events.body becomes `text`. As `json`, PostgreSQL validated every 20 KB body on insert (~50-70 µs of its CPU
 * per event, bench/server), but every body is already a JSON text by construction: `JSON.stringify` of a
 * validated event, or a delivery body that `JSON.parse` accepted (payloadText). Readers cast back with
 * `body::json` where they want the parsed value. Rewrites the table once.
 */
import type { Migration } from "./types.js";

export const migration004: Migration = {
  id: 4,
  name: "event-body-text",
  statements: [`ALTER TABLE events ALTER COLUMN body TYPE text`],
};
