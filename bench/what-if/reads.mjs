/**
 * What a what-if replay costs the thread that reads the store (the server's event loop): the pages of N stored
 * events read as ONE JSON text each (store.replayPage, what the runner does) vs parsed rows (store.listEvents)
 * plus the structured clone that passing parsed events to a worker costs. Interleaved, same run, PGlite.
 *   npm run build && node bench/what-if/reads.mjs [--events 100000] [--reps 3] [--page 2000]
 */
import { openPglite } from "../../build/src/adapters/index.js";
import { createSqlStore, migrate } from "../../build/src/store/sql/index.js";
import { fixtureEvents } from "./fixture.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const N = arg("events", 100_000);
const REPS = arg("reps", 3);
const PAGE = arg("page", 2000);
const db = await openPglite(undefined);
await migrate(db);
const store = createSqlStore(db);
const events = fixtureEvents(N, Date.UTC(2026, 0, 1), 12_000);
for (let i = 0; i < events.length; i += 500)
  await store.ingest(events.slice(i, i + 500).map((event) => ({ event, scopes: [], origin: { kind: "api", name: "default" } })));

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e3;
};
async function measure(fn) {
  const c0 = cpuMs();
  const t0 = performance.now();
  await fn();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}
const text = () =>
  measure(async () => {
    for (let after = null; ;) {
      const p = await store.replayPage(after, PAGE);
      if (p.count === 0) break;
      after = p.last;
    }
  });
const parsed = () =>
  measure(async () => {
    for (let after; ;) {
      const p = await store.listEvents({ limit: 500, after });
      structuredClone(p.events.map((s) => s.event)); // what postMessage of the page costs
      if (!p.next) break;
      after = p.next;
    }
  });
const f = (m) => `${m.wall.toFixed(0)} ms wall / ${m.cpu.toFixed(0)} ms CPU`;
for (let rep = 0; rep < REPS; rep++) {
  const a = await text();
  const b = await parsed();
  console.log(
    `rep ${rep + 1}: ${N} events as text pages of ${PAGE}: ${f(a)}; parsed pages of 500 + clone: ${f(b)} (text/parsed wall ${(a.wall / b.wall).toFixed(2)}, CPU ${(a.cpu / b.cpu).toFixed(2)})`,
  );
}
await db.close();
