/**
 * The related-resource index (issue 16: the console's `related` filter over millions of events). One row per
 * distinct related resource id of an event but its origin, `(key, seq)`, `key` its related-keys.ts hash; the
 * primary key pages one id's events by seq in both orders (listEvents checks the id exactly on the body). Written
 * in the ingest statement (ingest.ts), deleted by prune (prune.ts) through the BRIN index on seq (rows arrive in
 * seq order, so a few KB of BRIN find a pruned range; a second btree would cost ingest). At most
 * RELATED_INDEX_MAX rows per event.
 *
 * The backfill indexes the events stored before this migration, in SQL, with the same keys (bench/console/
 * feed-page.mjs times it at 1,000,000 events: bench/README.md).
 */
import { RELATED_INDEX_MAX } from "../related-keys.js";
import type { Migration } from "./types.js";

const CREATE_TABLE = `
CREATE TABLE event_related (
  key bigint NOT NULL,
  seq bigint NOT NULL,
  CONSTRAINT event_related_pkey PRIMARY KEY (key, seq)
)`;

const INDEX_SEQ = `CREATE INDEX event_related_seq_brin ON event_related USING brin (seq)`;

/**
 * PostgreSQL's json operators refuse a body that holds `\u0000` or an escaped lone surrogate ANYWHERE (a NUL in a
 * payload's text would stop the migration), so such a body is read with those escapes made `\ufffd` first: what
 * textSafe makes of them, so the key is relatedKey's. `strpos` keeps the regular expressions off the other bodies.
 */
const BACKFILL = `
INSERT INTO event_related (key, seq)
SELECT DISTINCT ('x' || left(md5(x.id), 16))::bit(64)::bigint, x.seq
FROM (
  SELECT e.seq, r.v ->> 'prefect.resource.id' AS id, json_typeof(r.v -> 'prefect.resource.id') AS kind,
         row_number() OVER (PARTITION BY e.seq ORDER BY r.i) AS n
  FROM events e
  CROSS JOIN LATERAL (
    SELECT (CASE WHEN strpos(e.body, '\\u') = 0 THEN e.body
                 ELSE regexp_replace(
                        regexp_replace(e.body, '\\\\u(0000|d[89ab][0-9a-f]{2}(?!\\\\ud[c-f][0-9a-f]{2}))', '\\\\ufffd', 'gi'),
                        '(?<!\\\\ud[89ab][0-9a-f]{2})\\\\ud[c-f][0-9a-f]{2}', '\\\\ufffd', 'gi') END)::json -> 'related' AS list
  ) b
  CROSS JOIN LATERAL json_array_elements(CASE WHEN json_typeof(b.list) = 'array' THEN b.list ELSE '[]'::json END)
    WITH ORDINALITY AS r(v, i)
  WHERE json_typeof(r.v) = 'object' AND (r.v ->> 'prefect.resource.role') IS DISTINCT FROM 'origin'
) x
WHERE x.n <= ${RELATED_INDEX_MAX} AND x.kind = 'string'`;

export const migration008: Migration = {
  id: 8,
  name: "event-related-index",
  statements: [CREATE_TABLE, INDEX_SEQ, BACKFILL],
};
