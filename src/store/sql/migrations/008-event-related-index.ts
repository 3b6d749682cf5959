/**
 * The related-resource index (issue 16: the console's `related` filter over millions of events). One row per
 * distinct related resource id of an event, `(key, seq)`: `key` is `indexKey(id)` as for `events.resource_id`
 * (a pre-filter; listEvents still checks the id exactly on the body), the primary key pages one id's events by
 * seq in both orders. Written in the ingest statement (ingest.ts), deleted by prune (prune.ts) through the BRIN
 * index on seq (rows arrive in seq order, so a few KB of BRIN find a pruned range; a btree would cost ingest).
 * Bounded: an event adds at most RELATED_INDEX_MAX rows (its first related resources: the schema allows
 * relatedMax plus hookline's origin).
 *
 * The backfill indexes the events stored before this migration, in SQL (bench/console/feed-page.mjs times it:
 * see bench/README.md). It computes indexKey in SQL, so it skips the one id it cannot compute identically: over
 * 512 characters AND holding a character outside the BMP (`left` counts code points, indexKey UTF-16 units). Such
 * an event, stored before 008, stays in the feed, unfound by `related` for that id.
 */
import { RELATED_INDEX_MAX } from "../related-keys.js";
import type { Migration } from "./types.js";

const CREATE_TABLE = `
CREATE TABLE event_related (
  key text   NOT NULL,
  seq bigint NOT NULL,
  CONSTRAINT event_related_pkey PRIMARY KEY (key, seq)
)`;

const INDEX_SEQ = `CREATE INDEX event_related_seq_brin ON event_related USING brin (seq)`;

/**
 * PostgreSQL's json operators refuse a body that holds `\u0000` or an escaped lone surrogate ANYWHERE (a NUL in a
 * payload's text would stop the migration), so such a body is read with those escapes made `\ufffd` first: what
 * textSafe makes of them, so the key is indexKey's. `strpos` keeps the regular expression off the other bodies.
 */
const BACKFILL = `
INSERT INTO event_related (key, seq)
SELECT DISTINCT left(x.id, 512), x.seq
FROM (
  SELECT e.seq, r.v ->> 'prefect.resource.id' AS id
  FROM events e
  CROSS JOIN LATERAL (
    SELECT (CASE WHEN strpos(e.body, '\\u') = 0 THEN e.body
                 ELSE regexp_replace(e.body, '\\\\u(0000|d[89a-f][0-9a-f]{2})', '\\\\ufffd', 'gi') END)::json -> 'related' AS list
  ) b
  CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(b.list) = 'array' THEN b.list ELSE '[]'::json END)
    WITH ORDINALITY AS r(v, i)
  WHERE r.i <= ${RELATED_INDEX_MAX} AND json_typeof(r.v) = 'object' AND json_typeof(r.v -> 'prefect.resource.id') = 'string'
) x
WHERE char_length(x.id) <= 512 OR x.id !~ '[\\U00010000-\\U0010FFFF]'`;

export const migration008: Migration = {
  id: 8,
  name: "event-related-index",
  statements: [CREATE_TABLE, INDEX_SEQ, BACKFILL],
};
