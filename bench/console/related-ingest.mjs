/**
 * What the related-resource index (migration 008) costs ingest: the store's own ingest of the same events into two
 * databases, one built by BEFORE (a build/ without the index, e.g. main's) and one by this tree's build/, rounds
 * alternating before / after (interleaved, same process, same run). Events as a GitHub delivery stores them: a
 * ~4 KB payload, one related resource plus hookline's origin, batches of 50 (the server's group commit), queued
 * for one scope. Reports per arm the median wall ms per 1,000 events and the CPU that did the work: this
 * process's for PGlite (it runs in-process), the PostgreSQL backend's (/proc/<pid>/stat) for PostgreSQL; and the
 * ratios after / before.
 *
 *   node bench/console/related-ingest.mjs BEFORE_BUILD_DIR [rounds=7] [events=5000]
 *   (env: AFTER_BUILD=dir instead of ./build, RELATED=6, ENGINES=pglite,postgres)
 *   (needs `npm run build`; PostgreSQL too when BENCH_DATABASE_URL or HOOKLINE_TEST_DATABASE_URL is set)
 * BEFORE_BUILD_DIR: e.g. main's, `T=bench/console/tmp/main; mkdir -p $T && git archive main src bots tsconfig.json
 * tsconfig.build.json | tar -x -C $T && ln -s ../../../../node_modules $T/node_modules && (cd $T && npx tsc -p
 * tsconfig.build.json)`, then `bench/console/tmp/main/build` (a bench tmp/ folder: git and the linters ignore it).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { cpuMs } from "../server/proc-status.mjs";

const [beforeDir, roundsArg = "7", eventsArg = "5000"] = process.argv.slice(2);
if (!beforeDir) throw new Error("usage: related-ingest.mjs BEFORE_BUILD_DIR [rounds] [events]");
const rounds = Number(roundsArg);
const perRound = Number(eventsArg);
const base = process.env.BENCH_DATABASE_URL ?? process.env.HOOKLINE_TEST_DATABASE_URL;
const load = async (dir) => ({
  adapters: await import(pathToFileURL(resolve(dir, "src/adapters/index.js")).href),
  sql: await import(pathToFileURL(resolve(dir, "src/store/sql/index.js")).href),
});
const afterDir = process.env.AFTER_BUILD ?? new URL("../../build", import.meta.url).pathname;
const arms = { before: await load(beforeDir), after: await load(afterDir) };
const related = Number(process.env.RELATED ?? 6);

const ORIGIN = { kind: "github", name: "acme/api" };
const filler = "x".repeat(4000);
const batch = (round) =>
  Array.from({ length: 50 }, (_, i) => ({
    origin: ORIGIN,
    scopes: ["server"],
    event: {
      id: randomUUID(),
      occurred: new Date(Date.UTC(2026, 0, 1) + round * 1e6 + i).toISOString(),
      event: "github.workflow-run.completed",
      resource: { "prefect.resource.id": `github.workflow-run.${round}-${i}` },
      related: Array.from({ length: related }, (_, k) => ({
        "prefect.resource.id": `github.kind${k}.${(round * 50 + i) % (k * 100 + 1)}`,
        "prefect.resource.role": `role${k}`,
      })),
      payload: { conclusion: "success", filler },
      follows: null,
    },
  }));

/** CPU ms: this process (PGlite) or the PostgreSQL backend serving `db` */
async function cpuReader(db) {
  if (db.kind === "pglite") return () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const pid = (await db.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  return () => cpuMs(pid);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(label, open) {
  const stores = {};
  for (const [arm, mod] of Object.entries(arms)) {
    const db = await open(arm, mod);
    await mod.sql.migrate(db);
    stores[arm] = { db, store: mod.sql.createSqlStore(db), cpu: await cpuReader(db), wall: [], cpuMs: [] };
  }
  for (let r = 0; r < rounds + 1; r++) {
    for (const arm of r % 2 === 0 ? ["before", "after"] : ["after", "before"]) {
      const s = stores[arm];
      const batches = Array.from({ length: perRound / 50 }, () => batch(r));
      const c0 = s.cpu();
      const t0 = performance.now();
      for (const b of batches) await s.store.ingest(b);
      const wall = performance.now() - t0;
      const cpu = s.cpu() - c0;
      if (r === 0) continue; // warm-up
      s.wall.push((wall / perRound) * 1000);
      s.cpuMs.push((cpu / perRound) * 1000);
    }
  }
  const [b, a] = [stores.before, stores.after];
  console.log(
    `${label}: ms per 1,000 events, median of ${rounds}: wall before ${median(b.wall).toFixed(0)} after ${median(a.wall).toFixed(0)} ` +
      `(${(median(a.wall) / median(b.wall)).toFixed(3)}x); CPU before ${median(b.cpuMs).toFixed(0)} after ${median(a.cpuMs).toFixed(0)} ` +
      `(${(median(a.cpuMs) / median(b.cpuMs)).toFixed(3)}x)`,
  );
  for (const s of Object.values(stores)) await s.store.close();
}

const engines = (process.env.ENGINES ?? "pglite,postgres").split(",");
if (engines.includes("pglite")) await run("pglite", (_arm, mod) => mod.adapters.openPglite(undefined));

if (base && engines.includes("postgres")) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const names = [];
  try {
    await run("postgres", async (_arm, mod) => {
      const name = `bench_rel_${randomBytes(4).toString("hex")}`;
      await admin.query(`CREATE DATABASE ${name}`);
      names.push(name);
      const u = new URL(base);
      u.pathname = `/${name}`;
      return mod.adapters.openPostgres(u.toString(), { max: 1 });
    });
  } finally {
    for (const name of names) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
