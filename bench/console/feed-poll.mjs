/**
 * What one fallback poll of the live feed costs on PostgreSQL (bots/server/console/event-stream.ts), by how many
 * events this process pushed since the poll's floor: the gap read (seq-ranges.ts + eventsInRanges: the pushed
 * sequences as intervals, one index range scan per gap) against the read it replaced (every pushed sequence
 * after the cursor sent as a JSON list for a NOT IN, each BigInt-compared first), interleaved on one connection,
 * medians of `reps`. One event in 1,000 of the recent ones is "foreign" (not pushed): both reads must find
 * exactly those. Timed: the poll's JS (building its parameter) and its query.
 *
 *   node bench/console/feed-poll.mjs [reps=21] [recent=1000,5000,20000]   (needs `npm run build`; PostgreSQL at
 *   BENCH_DATABASE_URL or HOOKLINE_TEST_DATABASE_URL; it creates and drops the database bench_feed_poll)
 */
import { loadavg } from "node:os";
import pg from "pg";
import { openDatabase } from "../../build/src/adapters/index.js";
import { migrate } from "../../build/src/store/sql/index.js";
import { eventsInRanges } from "../../build/src/store/sql/feed-events.js";
import { createSeqIntervals, gapRanges } from "../../build/bots/server/console/seq-ranges.js";

const [reps = 21, recentArg] = process.argv.slice(2);
const recents = (recentArg ?? "1000,5000,20000").split(",").map(Number);
const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
if (!base) throw new Error("set BENCH_DATABASE_URL (or HOOKLINE_TEST_DATABASE_URL) to a PostgreSQL server");
const NAME = "bench_feed_poll";
const OLD = `
SELECT seq, received, body::json AS body FROM events
WHERE seq > $1::bigint AND seq NOT IN (SELECT json_array_elements_text($2::json)::bigint)
ORDER BY seq LIMIT $3`;
const SEED = `
INSERT INTO events (id, name, occurred, resource_id, received, body)
SELECT 'e-' || g, 'bench.order.created', now(), 'bench.order.' || (g % 1000), now(),
       json_build_object('id', 'e-' || g, 'event', 'bench.order.created', 'payload', json_build_object('n', g, 'note', repeat('x', 200)))::text
FROM generate_series($1::int, $2::int) AS g`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${NAME}`);
const u = new URL(base);
u.pathname = `/${NAME}`;
const db = await openDatabase({ url: u.toString() });
const load0 = loadavg()[0];
try {
  await migrate(db);
  await db.query(SEED, [1, 100_000]); // history before the feed opened
  let top = 100_000;
  const rows = [];
  for (const recent of recents) {
    const after = top;
    await db.query(SEED, [top + 1, top + recent]);
    top += recent;
    await db.query("ANALYZE events");
    // what this process pushed since the floor: all of the recent events but one in 1,000
    const foreign = new Set();
    for (let q = after + 500; q <= top; q += 1000) foreign.add(String(q));
    const sentSet = new Set();
    const intervals = createSeqIntervals();
    for (let q = after + 1; q <= top; q++)
      if (!foreign.has(String(q))) {
        sentSet.add(String(q));
        intervals.add(BigInt(q));
      }
    const olds = [];
    const news = [];
    for (let i = 0; i < Number(reps); i++) {
      let t = performance.now();
      const skip = [...sentSet].filter((s) => BigInt(s) > BigInt(after));
      const a = (await db.query(OLD, [String(after), JSON.stringify(skip), 500])).rows;
      olds.push(performance.now() - t);
      t = performance.now();
      const b = await eventsInRanges(db, gapRanges(intervals.intervals(BigInt(after)), BigInt(after), 64), 500);
      news.push(performance.now() - t);
      const want = [...foreign].join();
      if (a.map((r) => r.seq).join() !== want || b.map((r) => r.seq).join() !== want)
        throw new Error(`the reads disagree: ${a.length} / ${b.length} events, ${foreign.size} foreign`);
    }
    rows.push({
      "pushed since floor": recent,
      foreign: foreign.size,
      "NOT IN list ms": median(olds).toFixed(2),
      "gap ranges ms": median(news).toFixed(2),
      "gaps / list": (median(news) / median(olds)).toFixed(3),
    });
  }
  console.table(rows);
  console.log(`load (1 min) ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
} finally {
  await db.close?.();
  await admin.query(`DROP DATABASE ${NAME} WITH (FORCE)`);
  await admin.end();
}
