/**
 * Where the reader's time goes without a server (issue 15, bench/README.md bench/database): 10,000 captured
 * changes delivered in-process through the capture reader into a fresh store (no evaluator), timing translate,
 * store and the rest (read, mark, commit) and this process's CPU. BENCH_ROOT: another checkout's build/ (to
 * compare with main's in the same run, alternating).
 *
 *   node bench/database/drain-phases.mjs [changes=10000]   (needs `npm run build`; HOOKLINE_TEST_DATABASE_URL)
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
const ROOT = process.env.BENCH_ROOT ?? new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const N = Number(process.argv[2] ?? 10000);
const { installCapture, createCaptureReader, readMeta, readRegistry } = await import(`${ROOT}/build/src/adapters/database/index.js`);
const { openPostgres } = await import(`${ROOT}/build/src/adapters/postgres-db.js`);
const { loadDatabaseConfig, translateChange } = await import(`${ROOT}/build/src/database/index.js`);
const { migrate, createSqlStore } = await import(`${ROOT}/build/src/store/sql/index.js`);
const base = process.env.HOOKLINE_TEST_DATABASE_URL;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
const mk = async () => {
  const n = `hookline_bench_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${n}`);
  const u = new URL(base);
  u.pathname = `/${n}`;
  return [n, u.toString()];
};
const [sn, su] = await mk();
const [tn, tu] = await mk();
const src = await openPostgres(su, { max: 3 });
const own = await openPostgres(tu, { max: 3 });
await migrate(own);
const store = createSqlStore(own);
await src.query(
  `CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, customer text, email text, total numeric(12,2), qty int, paid boolean, created_at timestamptz, probe text, note text)`,
);
const source = loadDatabaseConfig(
  `sources:\n  - name: shop\n    tables:\n      - table: orders\n        labels: [probe]\n`,
  "database.yaml",
).config.sources[0];
await installCapture(src, source, randomUUID);
for (let i = 1; i <= N; i += 1000)
  await src.query(
    `INSERT INTO orders SELECT g, 'new', 'customer ' || g, 'c' || g || '@example.com', (g % 10000) / 100.0, g % 7, g % 2 = 0, now(), 'no', repeat('x', 40) FROM generate_series($1::bigint, $2::bigint) g`,
    [i, i + 999],
  );
const meta = await readMeta(src, "hookline_capture");
const reg = await readRegistry(src, "hookline_capture");
const table = { ...reg[0], config: source.tables[0] };
const reader = createCaptureReader(src, "hookline_capture");
let tStore = 0n,
  tTranslate = 0n;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (;;) {
  const n = await reader.deliverLane({
    tableId: table.id,
    keyColumns: table.keyColumns,
    limit: 500,
    instance: "x",
    deleteDelivered: true,
    deliver: async (rows) => {
      const a = process.hrtime.bigint();
      const items = rows.map((row) => {
        const t = translateChange(
          { source: "shop", maxImageBytes: source.maxImageBytes, scopes: source.scopes, installId: meta.installId },
          table,
          row,
        );
        return { event: t.event, scopes: t.scopes, origin: { kind: "database", name: "shop" } };
      });
      const b = process.hrtime.bigint();
      await store.ingest(items);
      tTranslate += b - a;
      tStore += process.hrtime.bigint() - b;
    },
  });
  if (!n) break;
}
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const ms = (x) => (Number(x) / 1e6).toFixed(0);
console.log(
  `${ROOT}: drain ${N} in ${wall.toFixed(2)} s = ${(N / wall).toFixed(0)}/s; translate ${ms(tTranslate)} ms, store ${ms(tStore)} ms, rest (read+mark+commit) ${(wall * 1000 - Number(tStore + tTranslate) / 1e6).toFixed(0)} ms; node cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
);
await src.close();
await own.close();
for (const d of [sn, tn]) await admin.query(`DROP DATABASE ${d} WITH (FORCE)`);
await admin.end();
