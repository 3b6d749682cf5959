/**
 * Same-run A/B of the statement capture's log write (issue 15, bench/README.md bench/database): 1,000-row
 * INSERT … SELECT statements into identical tables, each with a variant of layout 2's statement trigger writing
 * its own copy of the log, rounds interleaved (order reversed every other round). plain = no trigger; floor = a
 * trigger that only turns the rows into JSON; current = layout 2 (pglz); lz4 = layout 3; external = images stored
 * uncompressed; chunk1000 = 1,000 rows per log row; noorder = json_agg without ORDER BY.
 *
 *   node bench/database/capture-variants.mjs [rounds=5]   (HOOKLINE_TEST_DATABASE_URL: a PostgreSQL superuser URL)
 */
import pg from "pg";
import { benchDatabase, COLUMNS } from "./workload.mjs";
const base = process.env.HOOKLINE_TEST_DATABASE_URL;
const rounds = Number(process.argv[2] ?? 5);
const bench = await benchDatabase(base, "hookline_bench");
const c = new pg.Client({ connectionString: bench.url });
await c.connect();
const LOG = (
  t,
  extra = "",
) => `CREATE TABLE ${t} (id bigint GENERATED ALWAYS AS IDENTITY, table_id integer NOT NULL, op text NOT NULL, old_row json, new_row json,
  txid bigint NOT NULL DEFAULT pg_catalog.txid_current(), captured_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  session text DEFAULT pg_catalog.current_setting('hasura.user', true), delivered_at timestamptz, delivered_by text, changes integer NOT NULL DEFAULT 1);
  CREATE INDEX ON ${t} (table_id, id) WHERE delivered_at IS NULL; CREATE INDEX ON ${t} USING brin (captured_at); ${extra}`;
const chunked = (
  log,
  chunk,
  agg = "json_agg(c.image ORDER BY c.n)",
  image = "to_json(r)",
) => `INSERT INTO ${log} (table_id, op, changes, new_row)
  SELECT 1, 'INSERTS', count(*), ${agg} FROM (SELECT ${image} AS image, row_number() OVER () AS n FROM hookline_new r) c
  GROUP BY (c.n - 1) / ${chunk} ORDER BY (c.n - 1) / ${chunk};`;
const variants = {
  plain: null,
  floor: `PERFORM count(to_json(r)) FROM hookline_new r;`,
  current: chunked("log_current", 100),
  external: chunked("log_external", 100),
  lz4: chunked("log_lz4", 100),
  chunk1000: chunked("log_chunk1000", 1000),
  noorder: chunked("log_noorder", 100, "json_agg(c.image)"),
};
await c.query(
  LOG("log_current") +
    LOG("log_chunk1000") +
    LOG("log_noorder") +
    LOG("log_external", "ALTER TABLE log_external ALTER COLUMN new_row SET STORAGE EXTERNAL, ALTER COLUMN old_row SET STORAGE EXTERNAL;") +
    LOG("log_lz4", "ALTER TABLE log_lz4 ALTER COLUMN new_row SET COMPRESSION lz4, ALTER COLUMN old_row SET COMPRESSION lz4;"),
);
for (const [v, body] of Object.entries(variants)) {
  await c.query(`CREATE TABLE t_${v} (${COLUMNS})`);
  if (!body) continue;
  await c.query(`CREATE FUNCTION f_${v}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`);
  await c.query(
    `CREATE TRIGGER tr AFTER INSERT ON t_${v} REFERENCING NEW TABLE AS hookline_new FOR EACH STATEMENT EXECUTE FUNCTION f_${v}()`,
  );
}
let id = 1;
const res = {};
for (let r = 0; r < rounds; r++) {
  const order = Object.keys(variants);
  if (r % 2) order.reverse();
  for (const v of order) {
    const t0 = process.hrtime.bigint();
    for (let s = 0; s < 30; s++) {
      await c.query(
        `INSERT INTO t_${v} SELECT g, 'new', 'customer ' || g, 'c' || g || '@example.com', (g % 10000) / 100.0, g % 7, g % 2 = 0, now(),
       jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b')), repeat('x', 40) FROM generate_series($1::bigint, $2::bigint) g`,
        [id, id + 999],
      );
      id += 1000;
    }
    (res[v] ??= []).push(30000 / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = med(res.plain);
for (const [v, xs] of Object.entries(res))
  console.log(`${v.padEnd(10)} ${med(xs).toFixed(0).padStart(7)} rows/s  ratio ${(p / med(xs)).toFixed(2)}`);
await c.end();
await bench.drop();
