/**
 * What-if bound (issue 16 item 5): 100,000 stored events replayed through the live and the proposed fixture
 * configurations (bench/what-if/fixture.mjs) must answer in <= 10 s; and ingest must not wait for a replay.
 *   npm run build && node bench/what-if/run.mjs [--events 100000] [--reps 3] [--page 2000] [--pg]
 * Store: in-memory PGlite (the default server store), or PostgreSQL at HOOKLINE_TEST_DATABASE_URL with --pg.
 * Ingest is measured in the same run, interleaved: batches of 50 events through store.ingest, alone (before and
 * after) and while a replay is in flight, as a ratio of throughput and of each batch's latency (median, max); and
 * the store reads of a replay on this thread (the page query: PGlite runs it on this thread, and ingest's queries
 * wait behind it) in total and at most per page.
 */
import { openPglite, openPostgres } from "../../build/src/adapters/index.js";
import { createWhatIfRunner } from "../../build/src/adapters/what-if/what-if-runner.js";
import { loadAutomations } from "../../build/src/automations/index.js";
import { NO_ROUTES } from "../../build/src/scopes/replay-scope.js";
import { Replay } from "../../build/src/engine/replay.js";
import { createSqlStore, migrate } from "../../build/src/store/sql/index.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "./fixture.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const N = arg("events", 100_000);
const REPS = arg("reps", 3);
const PAGE = arg("page", undefined);
const PG = process.argv.includes("--pg");
const SINCE = Date.UTC(2026, 0, 1);

// --pg: a database of the bench's own on that server (never the URL's database: dropping its schema would take
// whatever else lives there), dropped at the end
const PG_DB = `hookline_bench_whatif_${process.pid}`;
const pgAdmin = async (sql) => {
  const admin = await openPostgres(process.env.HOOKLINE_TEST_DATABASE_URL);
  try {
    await admin.query(sql);
  } finally {
    await admin.close();
  }
};
const pgUrl = () => {
  const u = new URL(process.env.HOOKLINE_TEST_DATABASE_URL);
  u.pathname = `/${PG_DB}`;
  return u.href;
};
if (PG) await pgAdmin(`CREATE DATABASE ${PG_DB}`);
const db = PG ? await openPostgres(pgUrl()) : await openPglite(undefined);
await migrate(db);
const store = createSqlStore(db);
const events = fixtureEvents(N, SINCE, 12_000);
const until = Date.parse(events[events.length - 1].occurred) + 3_600_000;
let t = performance.now();
for (let i = 0; i < events.length; i += 500)
  await store.ingest(events.slice(i, i + 500).map((event) => ({ event, scopes: [], origin: { kind: "api", name: "default" } })));
console.log(`stored ${N} events in ${((performance.now() - t) / 1000).toFixed(1)} s (${PG ? "PostgreSQL" : "PGlite"})`);

const config = (y) => loadAutomations(y, "automations.yaml").config;
// the replay's store reads, timed: what this thread (and, on PGlite, the database) spends per page
const reads = { ms: 0, max: 0, pages: 0 };
const timedStore = {
  listEvents: (q) => store.listEvents(q),
  async replayPage(after, limit) {
    const t0 = performance.now();
    const page = await store.replayPage(after, limit);
    const ms = performance.now() - t0;
    reads.ms += ms;
    reads.max = Math.max(reads.max, ms);
    reads.pages++;
    return page;
  },
};
const runner = createWhatIfRunner(timedStore, { deadlineMs: 900_000, pageSize: PAGE });
const job = {
  scope: "server",
  sinceMs: SINCE,
  untilMs: until,
  live: config(LIVE_AUTOMATIONS),
  proposed: config(PROPOSED_AUTOMATIONS),
  routes: NO_ROUTES,
};

let extra = 0;
/** ingest of `batches` batches of 50 new events: events/s, and each batch's latency (median, max) */
async function ingestRate(batches) {
  const t0 = performance.now();
  const lat = [];
  for (let b = 0; b < batches; b++) {
    const batch = fixtureEvents(50, until + 86_400_000, 1000, 1000 + extra).map((e, i) => ({
      ...e,
      id: `10000000-0000-4000-9000-${String(extra * 50 + i).padStart(12, "0")}`,
    }));
    extra++;
    const t1 = performance.now();
    await store.ingest(batch.map((event) => ({ event, scopes: [], origin: { kind: "api", name: "default" } })));
    lat.push(performance.now() - t1);
  }
  lat.sort((a, b) => a - b);
  return { rate: (batches * 50) / ((performance.now() - t0) / 1000), p50: lat[lat.length >> 1], max: lat[lat.length - 1] };
}

/** the floor: the same events through both configurations in this thread, no store, no worker (what `simulate` does) */
function floorMs() {
  const t0 = performance.now();
  for (const c of [job.live, job.proposed]) {
    const r = new Replay(c, SINCE);
    for (const e of events) r.event(e);
    r.finish(until);
  }
  return performance.now() - t0;
}

const cpuS = (c) => (c.user + c.system) / 1e6;
const rows = [];
for (let rep = 0; rep < REPS; rep++) {
  // interleaved in one run: the floor, the replay alone, ingest alone, then ingest while a replay runs
  let c0 = process.cpuUsage();
  const floor = floorMs();
  const floorCpu = cpuS(process.cpuUsage(c0));
  t = performance.now();
  c0 = process.cpuUsage();
  Object.assign(reads, { ms: 0, max: 0, pages: 0 });
  const quiet = await runner.run(job);
  const aloneMs = performance.now() - t;
  // CPU seconds of every thread of the process (this one reading the store, the replay's): less hostage to load
  const cpu = cpuS(process.cpuUsage(c0));
  const read = { ...reads };
  const before = await ingestRate(40);
  const replay = runner.run(job);
  const during = await ingestRate(40); // 2,000 events while the replay runs
  await replay;
  const after = await ingestRate(40);
  const alone = { rate: (before.rate + after.rate) / 2, p50: (before.p50 + after.p50) / 2, max: Math.max(before.max, after.max) };
  rows.push({ aloneMs, floor, alone: alone.rate, during: during.rate, p50: during.p50 / alone.p50, read });
  console.log(
    `rep ${rep + 1}: ${quiet.events} events (${quiet.live.totals.firings} live / ${quiet.proposed.totals.firings} proposed firings): replay ${(aloneMs / 1000).toFixed(2)} s, ${cpu.toFixed(2)} CPU s; in-process floor ${(floor / 1000).toFixed(2)} s, ${floorCpu.toFixed(2)} CPU s (ratio ${(aloneMs / floor).toFixed(2)}); store reads ${read.pages} pages ${read.ms.toFixed(0)} ms, at most ${read.max.toFixed(0)} ms; ingest ${Math.round(alone.rate)} ev/s alone, ${Math.round(during.rate)} during a replay (${(during.rate / alone.rate).toFixed(2)}), batch p50 ${alone.p50.toFixed(1)} vs ${during.p50.toFixed(1)} ms, max ${alone.max.toFixed(0)} vs ${during.max.toFixed(0)} ms`,
  );
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median: replay ${(med(rows.map((r) => r.aloneMs)) / 1000).toFixed(2)} s = ${med(rows.map((r) => r.aloneMs / r.floor)).toFixed(2)}x the in-process floor; ingest during/alone ${med(rows.map((r) => r.during / r.alone)).toFixed(2)} (batch p50 ${med(rows.map((r) => r.p50)).toFixed(2)}x); store reads ${med(rows.map((r) => r.read.ms)).toFixed(0)} ms`,
);
await runner.close();
await db.close();
if (PG) await pgAdmin(`DROP DATABASE ${PG_DB}`);
