/**
 * Capture overhead (issue 15): what hookline's trigger costs a user's write path. Two identical 10-column
 * tables in one fresh database, one captured (the real install from build/), the other not; the same workloads
 * run on both, alternating rounds in the same run, and the ratio of their throughputs is printed.
 *
 *   node bench/database/capture-overhead.mjs [rounds=9]     (needs `npm run build` and BENCH_DATABASE_URL or
 *                                                            HOOKLINE_TEST_DATABASE_URL: a PostgreSQL superuser URL
 *                                                            on this machine: it reads the backends' /proc)
 *
 * Each arm starts after a CHECKPOINT (so no arm pays another's dirty pages or full-page writes more than its
 * share) and is short; the rounds interleave the tables, rotating their order. Per workload: the median rows/s,
 * the median and min-max of the per-round ratios (same round), and the CPU time of the PostgreSQL backends per
 * row (/proc/<pid>/schedstat of the clients' backends: what the trigger costs the server, steadier than wall
 * time on a shared machine where a single-row commit mostly waits for the WAL flush).
 *
 * Workloads: single-row INSERTs in autocommit from 4 clients (OLTP), 100-row and 1,000-row INSERT … SELECT
 * statements (batch loads generated in the server: the cheapest INSERT, so the largest ratio), 100-row INSERT …
 * VALUES sent by the client, single-row UPDATEs of a watched column from 4 clients.
 * A third table, `json`, has a statement trigger that only turns the inserted rows into JSON (what any capture
 * into a JSON log must do) and writes nothing: the floor of the multi-row ratios. A fourth, `floor`, has row
 * triggers inserting a constant row into an unindexed table: what ANY trigger writing one WAL-logged row per
 * change costs, the floor of the single-row ratios.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { backendClients, benchDatabase, COLUMNS, row, seedSql, VALUES } from "./workload.mjs";

const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
if (!base) throw new Error("set BENCH_DATABASE_URL (or HOOKLINE_TEST_DATABASE_URL) to a PostgreSQL superuser URL");
const rounds = Number(process.argv[2] ?? 9);
const { installCapture } = await import("../../build/src/adapters/database/index.js");
const { openPostgres } = await import("../../build/src/adapters/postgres-db.js");
const { loadDatabaseConfig } = await import("../../build/src/database/index.js");

const bench = await benchDatabase(base, "hookline_bench");
const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
pool.on("error", () => {}); // DROP DATABASE … WITH (FORCE) at the end ends idle clients

for (const t of ["plain", "captured", "json", "floor"]) await pool.query(`CREATE TABLE public.${t} (${COLUMNS})`);
await pool.query(`CREATE TABLE public.floor_log (x integer);
CREATE FUNCTION public.floor_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.floor_log VALUES (1); RETURN NULL; END $$;
CREATE TRIGGER floor_insert AFTER INSERT ON public.floor FOR EACH ROW EXECUTE FUNCTION public.floor_row();
CREATE TRIGGER floor_update AFTER UPDATE ON public.floor FOR EACH ROW EXECUTE FUNCTION public.floor_row()`);
await pool.query(`CREATE FUNCTION public.json_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_catalog.count(pg_catalog.to_json(r)) FROM hookline_new r; RETURN NULL; END $$`);
await pool.query(
  `CREATE TRIGGER json_only AFTER INSERT ON public.json REFERENCING NEW TABLE AS hookline_new FOR EACH STATEMENT EXECUTE FUNCTION public.json_only()`,
);
const yaml = `sources:\n  - name: bench\n    tables:\n      - table: captured\n        update_columns: [status]\n`;
const source = loadDatabaseConfig(yaml, "database.yaml").config.sources[0];
const db = await openPostgres(bench.url, { max: 2 });
await installCapture(db, source, randomUUID);
await db.close();

const SEEDED = 20_000;
let nextId = SEEDED + 1;
// four fixed connections, so their backends' CPU time can be read
const { clients: conns, cpuNs } = await backendClients(pool, 4);

async function clients(n, perClient, fn) {
  const started = process.hrtime.bigint();
  await Promise.all(
    conns.slice(0, n).map(async (c) => {
      for (let i = 0; i < perClient; i++) await fn(c);
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

for (const t of ["plain", "captured", "json", "floor"]) await conns[0].query(seedSql(t, SEEDED));
await conns[0].query("VACUUM ANALYZE");
const generated = (rows, statements) => async (table) => {
  const s = await clients(1, statements, (c) => {
    const first = nextId;
    nextId += rows;
    return c.query(
      `INSERT INTO ${table} SELECT g, 'new', 'customer ' || g, 'c' || g || '@example.com', (g % 10000) / 100.0, g % 7, g % 2 = 0, now(),
       jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b')), repeat('x', 40) FROM generate_series($1::bigint, $2::bigint) g`,
      [first, first + rows - 1],
    );
  });
  return (rows * statements) / s;
};
const HUNDRED_VALUES = Array.from(
  { length: 100 },
  (_, r) => `(${Array.from({ length: 10 }, (_, c) => `$${r * 10 + c + 1}`).join(", ")})`,
).join(", ");

const workloads = {
  "single-row INSERT, 4 clients": async (table) => {
    const n = 4 * 400;
    const s = await clients(4, 400, (c) => c.query(`INSERT INTO ${table} VALUES ${VALUES}`, row(nextId++)));
    return n / s;
  },
  "100-row INSERT … SELECT statements": generated(100, 50),
  "1,000-row INSERT … SELECT statements": generated(1000, 8),
  "100-row INSERT … VALUES from the client": async (table) => {
    const s = await clients(1, 30, (c) =>
      c.query(`INSERT INTO ${table} VALUES ${HUNDRED_VALUES}`, Array.from({ length: 100 }, () => row(nextId++)).flat()),
    );
    return 3_000 / s;
  },
  "single-row UPDATE of a watched column, 4 clients": async (table) => {
    // the rows every table got at the start (the INSERT workloads share one id sequence, so other ids would
    // miss rows, and the tables' sizes differ)
    let k = 0;
    const n = 4 * 400;
    const s = await clients(4, 400, (c) =>
      c.query(`UPDATE ${table} SET status = $2 WHERE id = $1`, [1 + ((k++ * 7919) % SEEDED), `s${k}`]),
    );
    return n / s;
  },
};

const results = {};
for (let r = 0; r < rounds; r++) {
  for (const [w, run] of Object.entries(workloads)) {
    // the floor of multi-row statements is the JSON-only trigger, that of single rows the constant-row trigger
    const tables = ["plain", "captured", w.includes("row INSERT …") ? "json" : "floor"];
    // rotate which table goes first, so none always gets the warmer cache or the quieter moment
    for (const t of tables.map((_, i) => tables[(i + r) % tables.length])) {
      await conns[0].query("CHECKPOINT");
      const cpu0 = cpuNs();
      const rps = await run(t);
      const cpu = cpuNs() - cpu0;
      (results[w] ??= {})[t] ??= [];
      results[w][t].push({ rps, cpu });
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(
  `rounds: ${rounds}; load ${load}; rows/s median of the rounds; ratio = without / with, per round: median (min-max) (goal <= 1.3); ` +
    `floor = without / the floor table; CPU = the backends' CPU per round, with / without`,
);
for (const [w, r] of Object.entries(results)) {
  const floorName = r.json ? "json" : "floor";
  const ratio = (t) => r[t].map((x, i) => r.plain[i].rps / x.rps);
  const cpu = (t) => median(r[t].map((x, i) => x.cpu / r.plain[i].cpu));
  const spread = (xs) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  console.log(
    `${w.padEnd(50)} without ${median(r.plain.map((x) => x.rps))
      .toFixed(0)
      .padStart(6)}/s  with ${median(r.captured.map((x) => x.rps))
      .toFixed(0)
      .padStart(6)}/s  ` +
      `ratio ${spread(ratio("captured"))}  ${floorName} ${spread(ratio(floorName))}  CPU with x${cpu("captured").toFixed(2)} ${floorName} x${cpu(floorName).toFixed(2)}`,
  );
}
for (const c of conns) c.release();
const log = await pool.query(
  `SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('hookline_capture.log')) AS size FROM hookline_capture.log`,
);
console.log(`capture log: ${log.rows[0].n} rows, ${log.rows[0].size}`);
await pool.end();
await bench.drop();
