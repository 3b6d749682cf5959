/**
 * End to end (issue 15): captured changes/s into hookline's store with one `hookline serve` instance, and the
 * latency from a writer's COMMIT to the automation's webhook call while hookline keeps up.
 *
 *   node bench/database/end-to-end.mjs [backlog=50000] [rate=5000] [seconds=10]
 *   (needs `npm run build` and BENCH_DATABASE_URL or HOOKLINE_TEST_DATABASE_URL: a PostgreSQL superuser URL)
 *
 * 1. drain: `backlog` changes are committed while hookline is stopped; then it starts, and the time from its
 *    first stored change until all are stored gives changes/s (read, translate, store; the server's CPU time too).
 *    floor: then, with hookline stopped, the same stored events go into a fresh store through the store's own
 *    ingest, in batches of batch_size one after the other (what storing alone costs; the reader cannot beat it).
 * 2. latency: with hookline running, `rate` changes/s are committed for `seconds` s (transactions of 50 rows
 *    every 10 ms); one row in 50 is a probe that an automation sends to a local receiver. Latency = the
 *    receiver's clock at the call minus the writer's clock when its COMMIT returned (one machine, one clock).
 *    Every change is captured, stored and evaluated; the probes sample the path.
 * The store and the source are two databases on the same PostgreSQL; default settings (poll_interval 0.2 s,
 * batch_size 500; BENCH_POLL=0.05 sets poll_interval).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cpuMs } from "../server/proc-status.mjs";

const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
if (!base) throw new Error("set BENCH_DATABASE_URL (or HOOKLINE_TEST_DATABASE_URL) to a PostgreSQL superuser URL");
const [backlog = 50_000, rate = 5_000, seconds = 10] = process.argv.slice(2).map(Number);
const BATCH = 500; // the source's batch_size (the default)
// BENCH_ROOT: another checkout's bin/ and build/ (e.g. main's, to compare in the same run)
const ROOT = process.env.BENCH_ROOT ?? fileURLToPath(new URL("../../", import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
console.log(`load ${loadavg()[0].toFixed(1)} at the start (${ROOT})`);

const admin = new pg.Client({ connectionString: base });
await admin.connect();
const databases = [];
async function database() {
  const name = `hookline_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}
const sourceUrl = await database();
const storeUrl = await database();
const shop = new pg.Pool({ connectionString: sourceUrl, max: 4 });
shop.on("error", () => {});
await shop.query(`CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, customer text, email text, total numeric(12,2),
  qty int, paid boolean, created_at timestamptz, probe text, note text)`);

// the receiver of the probes' webhook calls
const calls = new Map();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const at = Date.now();
    const { id } = JSON.parse(body);
    if (!calls.has(String(id))) calls.set(String(id), at);
    res.writeHead(204).end();
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const target = `http://127.0.0.1:${receiver.address().port}`;

const config = mkdtempSync(join(tmpdir(), "hookline-bench-db-"));
writeFileSync(join(config, "webhooks.yaml"), "webhooks: []\n");
writeFileSync(
  join(config, "database.yaml"),
  `sources:\n  - name: shop\n    url_env: SHOP_DATABASE_URL\n    install: true\n    retention: 0s\n${process.env.BENCH_POLL ? `    poll_interval: ${process.env.BENCH_POLL}\n` : ""}    tables:\n      - table: orders\n        labels: [probe]\n`,
);
writeFileSync(
  join(config, "automations.yaml"),
  `automations:
  - name: probe
    trigger:
      expect: postgres.public.orders.inserted
      match: { postgres.row.probe: "yes" }
    actions:
      - type: call-webhook
        url: ${target}/probe
        body: { id: "{{ event.payload.event.data.new.id }}" }
`,
);

function serve() {
  const env = {
    PATH: process.env.PATH,
    PORT: "0",
    LOG_LEVEL: "warn",
    HOOKLINE_CONFIG_DIR: config,
    DATABASE_URL: storeUrl,
    SHOP_DATABASE_URL: sourceUrl,
  };
  const args = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : [];
  const proc = spawn(process.execPath, [...args, join(ROOT, "bin", "hookline.js"), "serve"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  proc.stdout.resume();
  return proc;
}
const undelivered = async () => {
  try {
    // changes, not log rows: a statement's rows share log rows, 100 at a time (layout 2; layout 1 has no `changes`)
    return Number(
      (
        await shop.query(
          "SELECT coalesce(sum(coalesce((to_jsonb(l) ->> 'changes')::int, 1)), 0) AS n FROM hookline_capture.log l WHERE delivered_at IS NULL",
        )
      ).rows[0].n,
    );
  } catch {
    return -1; // not installed yet
  }
};

// install first (the server installs on start), then stop it
let server = serve();
while ((await undelivered()) < 0) await sleep(100);
server.kill("SIGTERM");
await new Promise((r) => server.on("exit", r));

// 1. drain a backlog
let id = 1;
const insert = (n, probeEvery = 0) => {
  const first = id;
  id += n;
  return shop.query(
    `INSERT INTO orders SELECT g, 'new', 'customer ' || g, 'c' || g || '@example.com', (g % 10000) / 100.0, g % 7, g % 2 = 0, now(),
       CASE WHEN $3 > 0 AND g % $3 = 0 THEN 'yes' ELSE 'no' END, repeat('x', 40) FROM generate_series($1::bigint, $2::bigint) g`,
    [first, first + n - 1, probeEvery],
  );
};
for (let done = 0; done < backlog; done += 1000) await insert(Math.min(1000, backlog - done));
server = serve();
if (backlog > 0) {
  // counted where the events land (the store commits every batch; the log's marks may commit several batches at once)
  const stored = new pg.Client({ connectionString: storeUrl });
  await stored.connect();
  const count = async () => {
    try {
      return Number((await stored.query("SELECT count(*) AS n FROM events WHERE name LIKE 'postgres.%'")).rows[0].n);
    } catch {
      return 0; // not migrated yet
    }
  };
  let t0 = null;
  let cpu0 = 0;
  for (;;) {
    const n = await count();
    if (t0 === null && n > 0) [t0, cpu0] = [process.hrtime.bigint(), cpuMs(server.pid)];
    if (n >= backlog) break;
    await sleep(20);
  }
  await stored.end();
  const drainS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuMs(server.pid) - cpu0;
  console.log(
    `drain: ${backlog} changes stored in ${drainS.toFixed(2)} s = ${(backlog / drainS).toFixed(0)} changes/s (one instance); ` +
      `server CPU ${cpu.toFixed(0)} ms = ${((cpu * 1000) / backlog).toFixed(0)} ms per 1,000 changes (it evaluates them meanwhile); load ${loadavg()[0].toFixed(1)}`,
  );
}
// the floor: the events just stored, stored again (a fresh store) by the store's ingest alone, batch after batch
server.kill("SIGTERM");
await new Promise((r) => server.on("exit", r));
if (backlog > 0) {
  const { openPostgres } = await import(join(ROOT, "build/src/adapters/postgres-db.js"));
  const { migrate, createSqlStore } = await import(join(ROOT, "build/src/store/sql/index.js"));
  const from = await openPostgres(storeUrl, { max: 1 });
  const bodies = (await from.query("SELECT body::text AS body FROM events WHERE name LIKE 'postgres.%' ORDER BY seq")).rows;
  await from.close();
  const floorDb = await openPostgres(await database(), { max: 2 });
  await migrate(floorDb);
  const store = createSqlStore(floorDb);
  const items = bodies.map(({ body }) => ({
    event: JSON.parse(body),
    json: body,
    scopes: ["server"],
    origin: { kind: "database", name: "shop" },
  }));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < items.length; i += BATCH) await store.ingest(items.slice(i, i + BATCH));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `floor: the same ${items.length} events stored by the store's ingest alone, ${BATCH} a batch: ${(items.length / s).toFixed(0)} events/s`,
  );
  await floorDb.close();
}
server = serve();
// the server is up and reading (a warm-up change is stored) and the evaluation of the drained events settles: the
// latency below is that of a hookline keeping up (before, the send began while the server started: ~2 s at load 10)
await insert(1);
const store = new pg.Client({ connectionString: storeUrl });
await store.connect();
for (const until = Date.now() + 300_000; Date.now() < until; await sleep(200)) {
  if ((await undelivered()) !== 0) continue;
  if (Number((await store.query("SELECT count(*) AS n FROM pending")).rows[0].n) === 0) break;
}
await store.end();

// 2. latency at a steady rate
const perTx = 50;
const everyMs = (perTx / rate) * 1000;
const commits = new Map();
const started = Date.now();
const phase = new Date(started).toISOString();
let sent = 0;
const inflight = [];
// where the time goes: every 100 ms, what waits at each stage (the log's undelivered changes: the reader; the
// store's pending queue: the evaluator; due outbox rows: the webhook executor)
const probe = new pg.Client({ connectionString: storeUrl });
await probe.connect();
const waits = { log: [], pending: [], outbox: [] };
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    waits.log.push(await undelivered());
    const { rows } = await probe.query(
      "SELECT (SELECT count(*) FROM pending) AS pending, (SELECT count(*) FROM outbox WHERE status = 'pending') AS outbox",
    );
    waits.pending.push(Number(rows[0].pending));
    waits.outbox.push(Number(rows[0].outbox));
    await sleep(100);
  }
})();
while (Date.now() - started < seconds * 1000) {
  const due = Math.floor((Date.now() - started) / everyMs);
  while (sent < due) {
    const first = id;
    sent++;
    inflight.push(
      insert(perTx, perTx).then(() => {
        const at = Date.now();
        for (let g = first; g < first + perTx; g++) if (g % perTx === 0) commits.set(String(g), at);
      }),
    );
  }
  await sleep(2);
}
await Promise.all(inflight);
sampling = false;
await sampler;
await probe.end();
const mean = (xs) => (xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(0);
console.log(
  `waiting while sending (mean / max of ${waits.log.length} samples): log ${mean(waits.log)} / ${Math.max(...waits.log)} changes, ` +
    `pending ${mean(waits.pending)} / ${Math.max(...waits.pending)} events, outbox ${mean(waits.outbox)} / ${Math.max(...waits.outbox)} actions`,
);
const until = Date.now() + 30_000;
while (calls.size < commits.size && Date.now() < until) await sleep(50);
const lat = [...commits]
  .filter(([k]) => calls.has(k))
  .map(([k, at]) => calls.get(k) - at)
  .sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
console.log(
  `latency at ${rate} changes/s offered (${(sent * perTx).toLocaleString("en")} changes in ${seconds} s; ${lat.length}/${commits.size} probes called): ` +
    `p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${lat[lat.length - 1]} ms; backlog after: ${await undelivered()}`,
);

// the reader's part: capture (the event's occurred) to stored (events.received), both PostgreSQL's clock
const storeAfter = new pg.Client({ connectionString: storeUrl });
await storeAfter.connect();
const { rows: stored } = await storeAfter.query(
  `SELECT percentile_disc(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM received - occurred) * 1000) AS ms
   FROM events WHERE name LIKE 'postgres.%' AND occurred >= $1`,
  [phase],
);
await storeAfter.end();
console.log(`of which capture -> stored: p50 ${Math.round(stored[0].ms[0])} ms, p99 ${Math.round(stored[0].ms[1])} ms`);
server.kill("SIGTERM");
await new Promise((r) => server.on("exit", r));
receiver.close();
await shop.end();
for (const d of databases) await admin.query(`DROP DATABASE ${d} WITH (FORCE)`);
await admin.end();
