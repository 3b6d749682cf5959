/**
 * The id of the event's leader (`follows`), so an evaluation can tell whether a follower's leader was already
 * evaluated by its scope without parsing bodies. Nullable; looked up through events_id_key and pending's key.
 * Events stored before this migration keep NULL: their followers were evaluated already.
 */
import type { Migration } from "./types.js";

const ADD_FOLLOWS = `ALTER TABLE events ADD COLUMN follows text`;

export const migration002: Migration = {
  id: 2,
  name: "event-follows",
  statements: [ADD_FOLLOWS],
};
