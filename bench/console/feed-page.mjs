/**
 * The console's feed with 1,000,000 stored events (issue 16): server time of the first page (50 newest, as the
 * events page asks) and of filtered first pages, through the store's own listEvents, on PGlite and PostgreSQL.
 * Goal: first page < 200 ms. Each query is timed next to a floor in the same run (the bare indexed
 * `SELECT … ORDER BY seq DESC LIMIT 51` on the same connection), interleaved, medians of `reps`.
 *
 *   node bench/console/feed-page.mjs [events=1000000] [reps=15]
 *   (needs `npm run build`; PostgreSQL too when BENCH_DATABASE_URL or HOOKLINE_TEST_DATABASE_URL is set)
 *
 * Seeding goes straight to SQL (one INSERT … SELECT over generate_series, not through ingest) into the schema of
 * migrations 1–7: 20 event names, 10,000 resources, a minute apart in time; every event relates to one of 50
 * repositories and to its origin, one in 100 also to one of 7 teams. Then migration 008 builds the related-resource
 * index over them (its backfill, timed), and the queries run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../../build/src/adapters/index.js";
import { createSqlStore, migrate, MIGRATIONS } from "../../build/src/store/sql/index.js";

const [count = 1_000_000, reps = 15] = process.argv.slice(2).map(Number);
const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
const T0 = Date.parse("2026-01-01T00:00:00Z");

const ORIGIN = `json_build_object('prefect.resource.id', 'hookline.origin.api.bench', 'prefect.resource.role', 'origin')`;
const SEED = `
INSERT INTO events (id, name, occurred, resource_id, received, body)
SELECT 'e-' || g, 'bench.kind' || (g % 20) || '.done', to_timestamp(${T0 / 1000} + g * 60), 'bench.res.' || (g % 10000),
       to_timestamp(${T0 / 1000} + g * 60),
       json_build_object('id', 'e-' || g, 'occurred', to_char(to_timestamp(${T0 / 1000} + g * 60) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         'event', 'bench.kind' || (g % 20) || '.done',
         'resource', json_build_object('prefect.resource.id', 'bench.res.' || (g % 10000)),
         'related', CASE WHEN g % 100 = 0
           THEN json_build_array(json_build_object('prefect.resource.id', 'bench.repo.' || (g % 50), 'prefect.resource.role', 'repository'),
             json_build_object('prefect.resource.id', 'bench.team.' || (g % 7), 'prefect.resource.role', 'team'), ${ORIGIN})
           ELSE json_build_array(json_build_object('prefect.resource.id', 'bench.repo.' || (g % 50), 'prefect.resource.role', 'repository'), ${ORIGIN}) END,
         'payload', json_build_object('n', g), 'follows', null)::text
FROM generate_series($1::int, $2::int) AS g`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, db) {
  await migrate(db, MIGRATIONS.slice(0, 7));
  let t = performance.now();
  for (let from = 1; from <= count; from += 100_000) await db.query(SEED, [from, Math.min(count, from + 99_999)]);
  console.log(`${label}: seeded ${count.toLocaleString()} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await migrate(db);
  const indexed = (await db.query("SELECT count(*)::int AS n FROM event_related")).rows[0].n;
  console.log(
    `${label}: migration 008 indexed ${indexed.toLocaleString()} related ids in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await db.query("ANALYZE");
  const store = createSqlStore(db);
  const newest = T0 + count * 60_000;
  const queries = {
    "first page (50 newest)": { limit: 50, order: "desc" },
    "name glob bench.kind7.*": { limit: 50, order: "desc", name: "bench.kind7.*" },
    "resource bench.res.42": { limit: 50, order: "desc", resource: "bench.res.42" },
    "related bench.team.3 (1 in 700)": { limit: 50, order: "desc", related: "bench.team.3" },
    "related bench.team.3, oldest first": { limit: 50, order: "asc", related: "bench.team.3" },
    "related bench.repo.7 (1 in 50)": { limit: 50, order: "desc", related: "bench.repo.7" },
    "related origin (every event, scan)": { limit: 50, order: "desc", related: "hookline.origin.api.bench" },
    "last hour (since/until)": { limit: 50, order: "desc", since: newest - 3_600_000, until: newest + 1 },
    "page 2 via cursor": "cursor",
  };
  const cursor = (await store.listEvents({ limit: 50, order: "desc" })).next;
  const rows = [];
  for (const [name, q] of Object.entries(queries)) {
    const times = [];
    const floors = [];
    for (let i = 0; i < reps; i++) {
      let s = performance.now();
      await db.query("SELECT seq, received, body::json AS body FROM events ORDER BY seq DESC LIMIT 51");
      floors.push(performance.now() - s);
      s = performance.now();
      const page = await store.listEvents(q === "cursor" ? { limit: 50, order: "desc", after: cursor } : q);
      times.push(performance.now() - s);
      if (i === 0 && page.events.length === 0) throw new Error(`${name}: empty page`);
    }
    rows.push({
      db: label,
      query: name,
      ms: median(times).toFixed(1),
      floor_ms: median(floors).toFixed(1),
      ratio: (median(times) / median(floors)).toFixed(2),
    });
  }
  console.table(rows);
  return store;
}

const dir = mkdtempSync(join(tmpdir(), "hookline-bench-feed-"));
const lite = await openDatabase({ dataDir: join(dir, "data") });
await (await measure("pglite", lite)).close();
rmSync(dir, { recursive: true, force: true });

if (base) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const name = `hookline_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(base);
    u.pathname = `/${name}`;
    const db = await openDatabase({ url: u.toString() });
    await (await measure("postgres", db)).close();
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
