/**
 * What-if bound (issue 16 item 5): 100,000 stored events replayed through the live and the proposed fixture
 * configurations (bench/what-if/fixture.mjs) must answer in <= 10 s; and ingest must not wait for a replay.
 *   npm run build && node bench/what-if/run.mjs [--events 100000] [--reps 3] [--pg]
 * Store: in-memory PGlite (the default server store), or PostgreSQL at HOOKLINE_TEST_DATABASE_URL with --pg.
 * Ingest is measured in the same run, interleaved: batches of 50 events through store.ingest, alone and while a
 * replay is in flight, and reported as a ratio.
 */
import { openPglite, openPostgres } from "../../build/src/adapters/index.js";
import { createWhatIfRunner } from "../../build/src/adapters/what-if/what-if-runner.js";
import { loadAutomations } from "../../build/src/automations/index.js";
import { NO_ROUTES } from "../../build/src/scopes/replay-scope.js";
import { createSqlStore, migrate } from "../../build/src/store/sql/index.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "./fixture.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const N = arg("events", 100_000);
const REPS = arg("reps", 3);
const PG = process.argv.includes("--pg");
const SINCE = Date.UTC(2026, 0, 1);

const db = PG ? await openPostgres(process.env.HOOKLINE_TEST_DATABASE_URL) : await openPglite(undefined);
if (PG) await db.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
await migrate(db);
const store = createSqlStore(db);
const events = fixtureEvents(N, SINCE, 12_000);
const until = Date.parse(events[events.length - 1].occurred) + 3_600_000;
let t = performance.now();
for (let i = 0; i < events.length; i += 500)
  await store.ingest(events.slice(i, i + 500).map((event) => ({ event, scopes: [], origin: { kind: "api", name: "default" } })));
console.log(`stored ${N} events in ${((performance.now() - t) / 1000).toFixed(1)} s (${PG ? "PostgreSQL" : "PGlite"})`);

const config = (y) => loadAutomations(y, "automations.yaml").config;
const runner = createWhatIfRunner(store, { deadlineMs: 120_000 });
const job = {
  scope: "server",
  sinceMs: SINCE,
  untilMs: until,
  live: config(LIVE_AUTOMATIONS),
  proposed: config(PROPOSED_AUTOMATIONS),
  routes: NO_ROUTES,
};

let extra = 0;
/** ingest of `batches` batches of 50 new events; events/s */
async function ingestRate(batches) {
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const batch = fixtureEvents(50, until + 86_400_000, 1000, 1000 + extra).map((e, i) => ({
      ...e,
      id: `10000000-0000-4000-9000-${String(extra * 50 + i).padStart(12, "0")}`,
    }));
    extra++;
    await store.ingest(batch.map((event) => ({ event, scopes: [], origin: { kind: "api", name: "default" } })));
  }
  return (batches * 50) / ((performance.now() - t0) / 1000);
}

const rows = [];
for (let rep = 0; rep < REPS; rep++) {
  const alone = await ingestRate(40);
  t = performance.now();
  let ms = 0;
  const replay = runner.run(job).then((r) => ((ms = performance.now() - t), r));
  let during = 0;
  let n = 0;
  while (ms === 0) {
    during += await ingestRate(10);
    n++;
  }
  const r = await replay;
  const after = await ingestRate(40);
  rows.push({ ms, alone: (alone + after) / 2, during: during / Math.max(1, n) });
  console.log(
    `rep ${rep + 1}: replay ${(ms / 1000).toFixed(2)} s for ${r.events} events (${r.live.totals.firings} live / ${r.proposed.totals.firings} proposed firings); ingest ${Math.round((alone + after) / 2)} ev/s alone, ${Math.round(during / Math.max(1, n))} ev/s during the replay`,
  );
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rs = med(rows.map((r) => r.ms)) / 1000;
console.log(
  `median: replay of ${N} events ${rs.toFixed(2)} s (bound 10 s: ${(rs / 10).toFixed(2)} of it); ingest during/alone ${med(rows.map((r) => r.during / r.alone)).toFixed(2)}`,
);
await runner.close();
await store.close();
await db.close();
