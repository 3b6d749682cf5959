/**
 * Where a single-row change's capture cost goes (issue 15, bench/README.md bench/database): single-row INSERTs
 * (and UPDATEs of a watched column) in autocommit from 4 clients into identical 10-column tables, each with one
 * variant of the capture trigger writing its own copy of the log; short rounds interleaved (the order rotates
 * every round), a CHECKPOINT before each arm. Per variant: the median rows/s, the median and min-max of the
 * per-round ratios (plain / variant, same round), the CPU time of the 4 PostgreSQL backends per row
 * (/proc/<pid>/schedstat, so the bench must run on the database's machine: the steadiest of these numbers on a
 * shared machine), and the backend CPU per change of 2,000 of the same changes in one server-side loop and
 * transaction (the trigger without the commit and the protocol; noisy at load 5+).
 *
 *   node bench/database/single-row-variants.mjs [rounds=9] [rows per client and arm=300] [variant,variant…]
 *     (HOOKLINE_TEST_DATABASE_URL or BENCH_DATABASE_URL: a PostgreSQL superuser URL on this machine)
 *
 * Variants: plain = no trigger; floor = a row trigger inserting a constant row into an unindexed table (what any
 * trigger writing one WAL-logged row per change costs); stmt = the statement trigger until December 2026 (over
 * the transition table: window function + GROUP BY + json_agg), SECURITY DEFINER with SET search_path;
 * stmt_noset = the same without the SET clause; stmt_hybrid = stmt_noset that counts the transition table first
 * and writes one row as a row trigger would when it holds one (what capture-sql.ts ships since); stmt_one = only
 * that cheap path; row_set / row = a row trigger `INSERT … VALUES (…, to_json(NEW))` with / without the SET
 * clause; row_nodefaults, row_noindex, row_noidentity = `row` into a log without its per-row defaults, its two
 * indexes, its identity column; row_bare = without all three.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { backendClients, benchDatabase, COLUMNS, row, seedSql, VALUES } from "./workload.mjs";
import { threadCpuNs } from "../server/proc-status.mjs";

const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
if (!base) throw new Error("set BENCH_DATABASE_URL (or HOOKLINE_TEST_DATABASE_URL) to a PostgreSQL superuser URL");
const rounds = Number(process.argv[2] ?? 9);
const perClient = Number(process.argv[3] ?? 300);
const only = process.argv[4]?.split(","); // a subset of the variants (plain and upd:plain always run)
const CLIENTS = 4;
const bench = await benchDatabase(base, "bench_cap");
const pool = new pg.Pool({ connectionString: bench.url, max: CLIENTS });
pool.on("error", () => {});
const q = (sql, params) => pool.query(sql, params);

/** a copy of the capture log (layout 3), optionally without its defaults, indexes or identity */
function logSql(t, { defaults = true, indexes = true, identity = true } = {}) {
  const d = (expr) => (defaults ? ` NOT NULL DEFAULT ${expr}` : "");
  return `CREATE TABLE cap.${t} (id bigint ${identity ? "GENERATED ALWAYS AS IDENTITY" : ""}, table_id integer NOT NULL, op text NOT NULL,
  old_row json COMPRESSION lz4, new_row json COMPRESSION lz4, txid bigint${d("pg_catalog.txid_current()")},
  captured_at timestamptz${d("pg_catalog.clock_timestamp()")}, session text ${defaults ? "DEFAULT pg_catalog.current_setting('hasura.user', true)" : ""},
  delivered_at timestamptz, delivered_by text, changes integer NOT NULL DEFAULT 1);
  ${indexes ? `CREATE INDEX ON cap.${t} (table_id, id) WHERE delivered_at IS NULL; CREATE INDEX ON cap.${t} USING brin (captured_at);` : ""}`;
}
const stmtBody = (log) => `INSERT INTO cap.${log} (table_id, op, changes, new_row)
  SELECT 1, 'INSERTS', pg_catalog.count(*), pg_catalog.json_agg(c.image ORDER BY c.n)
  FROM (SELECT pg_catalog.to_json(r) AS image, pg_catalog.row_number() OVER () AS n FROM hookline_new r) c
  GROUP BY (c.n - 1) / 100 ORDER BY (c.n - 1) / 100;`;
/** a cheap path for a one-row statement: count the transition table, then one log row like a row trigger's */
const hybridBody = (log) => `IF (SELECT pg_catalog.count(*) FROM (SELECT FROM hookline_new LIMIT 2) o) OPERATOR(pg_catalog.=) 1 THEN
  INSERT INTO cap.${log} (table_id, op, new_row) SELECT 1, 'INSERT', pg_catalog.to_json(r) FROM hookline_new r;
ELSE ${stmtBody(log)} END IF;`;
const oneBody = (log) => `INSERT INTO cap.${log} (table_id, op, new_row) SELECT 1, 'INSERT', pg_catalog.to_json(r) FROM hookline_new r;`;
const rowBody = (log) => `INSERT INTO cap.${log} (table_id, op, new_row) VALUES (1, 'INSERT', pg_catalog.to_json(NEW));`;
const updBody = (log) =>
  `INSERT INTO cap.${log} (table_id, op, old_row, new_row) VALUES (1, 'UPDATE', pg_catalog.to_json(OLD), pg_catalog.to_json(NEW));`;
const SET = "SET search_path = pg_catalog, pg_temp";

/** name → { log options, body, statement level, SET clause, security definer } */
const INSERTS = {
  plain: null,
  floor: { log: "floor", body: `INSERT INTO cap.floor VALUES (1);`, definer: false },
  stmt: { log: {}, body: stmtBody, stmt: true, set: true },
  stmt_noset: { log: {}, body: stmtBody, stmt: true },
  stmt_hybrid: { log: {}, body: hybridBody, stmt: true },
  stmt_one: { log: {}, body: oneBody, stmt: true },
  row_set: { log: {}, body: rowBody, set: true },
  row: { log: {}, body: rowBody },
  row_nodefaults: { log: { defaults: false }, body: rowBody },
  row_noindex: { log: { indexes: false }, body: rowBody },
  row_noidentity: { log: { identity: false }, body: rowBody },
  row_bare: { log: { defaults: false, indexes: false, identity: false }, body: rowBody },
};
const UPDATES = {
  "upd:plain": null,
  "upd:floor": { log: "floor", body: `INSERT INTO cap.floor VALUES (1);`, definer: false },
  "upd:row_set": { log: {}, body: updBody, set: true },
  "upd:row": { log: {}, body: updBody },
};

for (const g of [INSERTS, UPDATES]) for (const v of Object.keys(g)) if (only && !v.endsWith("plain") && !only.includes(v)) delete g[v];
await q(`CREATE SCHEMA cap; CREATE TABLE cap.floor (x integer)`);
const tables = {};
for (const [v, spec] of [...Object.entries(INSERTS), ...Object.entries(UPDATES)]) {
  const t = `t_${v.replace(":", "_")}`;
  tables[v] = t;
  await q(`CREATE TABLE public.${t} (${COLUMNS})`);
  if (!spec) continue;
  const log = typeof spec.log === "string" ? spec.log : `log_${t}`;
  if (typeof spec.log !== "string") await q(logSql(log, spec.log));
  const body = typeof spec.body === "function" ? spec.body(log) : spec.body;
  await q(`CREATE FUNCTION cap.f_${t}() RETURNS trigger LANGUAGE plpgsql ${spec.definer === false ? "" : "SECURITY DEFINER"}
    ${spec.set ? SET : ""} AS $$ BEGIN ${body} RETURN NULL; END $$`);
  const on = v.startsWith("upd:")
    ? `AFTER UPDATE ON public.${t} FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)`
    : spec.stmt
      ? `AFTER INSERT ON public.${t} REFERENCING NEW TABLE AS hookline_new FOR EACH STATEMENT`
      : `AFTER INSERT ON public.${t} FOR EACH ROW`;
  await q(`CREATE TRIGGER tr ${on} EXECUTE FUNCTION cap.f_${t}()`);
}
// the UPDATE tables hold rows to update
for (const v of Object.keys(UPDATES)) await q(seedSql(`public.${tables[v]}`, 20000));
await q(`VACUUM ANALYZE`);

const { clients, pids, cpuNs } = await backendClients(pool, CLIENTS);

let nextId = 1;
let tick = 0;
async function arm(v) {
  const t = tables[v];
  await clients[0].query(`CHECKPOINT`);
  const cpu0 = cpuNs();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = 0; i < perClient; i++) {
        if (v.startsWith("upd:"))
          await c.query(`UPDATE public.${t} SET status = $2 WHERE id = $1`, [1 + ((tick++ * 7919) % 19999), `s${tick}`]);
        else await c.query(`INSERT INTO public.${t} VALUES ${VALUES}`, row(nextId++));
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuNs() - cpu0;
  const n = CLIENTS * perClient;
  // the same change 2,000 times in one backend and one transaction: the trigger's CPU without the commit's wait
  const loop = v.startsWith("upd:")
    ? `UPDATE public.${t} SET status = 'l' || i WHERE id = 1 + (i * 7919) % 19999`
    : `INSERT INTO public.${t} VALUES (${nextId} + i, 'new', 'customer', 'c@example.com', 1.5, 3, true, now(), '{"tags": ["a", "b"]}', repeat('x', 40))`;
  nextId += 2000;
  const l0 = threadCpuNs(pids[1]);
  await clients[1].query(`DO $$ BEGIN FOR i IN 1..2000 LOOP ${loop}; END LOOP; END $$`);
  const loopUs = (threadCpuNs(pids[1]) - l0) / 1e3 / 2000;
  return { rps: n / s, cpuUs: cpu / 1e3 / n, loopUs };
}

const res = {};
const groups = [Object.keys(INSERTS), Object.keys(UPDATES)];
for (let r = 0; r < rounds; r++) {
  for (const g of groups) {
    const order = g.map((_, i) => g[(i + r) % g.length]); // rotate: each variant takes each place in turn
    for (const v of order) (res[v] ??= []).push(await arm(v));
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`rounds ${rounds} x ${CLIENTS} clients x ${perClient} rows; load ${load}; ratio = plain / variant per round (median, min-max)`);
for (const g of groups) {
  const plain = res[g[0]];
  for (const v of g) {
    const xs = res[v];
    const ratios = xs.map((x, i) => plain[i].rps / x.rps);
    const cpuPlain = med(plain.map((x) => x.cpuUs));
    console.log(
      `${v.padEnd(16)} ${med(xs.map((x) => x.rps))
        .toFixed(0)
        .padStart(6)} rows/s  ratio ${med(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})` +
        `  backend CPU ${med(xs.map((x) => x.cpuUs))
          .toFixed(0)
          .padStart(4)} us/row (x${(med(xs.map((x) => x.cpuUs)) / cpuPlain).toFixed(2)})` +
        `  in-server ${med(xs.map((x) => x.loopUs))
          .toFixed(1)
          .padStart(5)} us/row (x${(med(xs.map((x) => x.loopUs)) / med(plain.map((x) => x.loopUs))).toFixed(2)})`,
    );
  }
}
for (const c of clients) c.release();
await pool.end();
await bench.drop();
