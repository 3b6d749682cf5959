/**
 * What the capture benches share (capture-overhead.mjs, single-row-variants.mjs, capture-variants.mjs): a database
 * of their own, the 10-column table a user's writes go to, one row of it as query parameters and many as one
 * INSERT … SELECT, and the CPU time of the PostgreSQL backends serving a bench's connections (/proc/<pid>/schedstat:
 * the bench must run on the database's machine).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { threadCpuNs } from "../server/proc-status.mjs";

/** a fresh database named `<prefix>_<random>` on the cluster of the superuser URL `base`: its URL, and drop() */
export async function benchDatabase(base, prefix) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** the columns of the written tables */
export const COLUMNS = `id bigint PRIMARY KEY, status text NOT NULL, customer text, email text, total numeric(12,2), qty int,
  paid boolean, created_at timestamptz, doc jsonb, note text`;

/** one row as the parameters of `INSERT … VALUES ${VALUES}` */
export const row = (id) => [
  id,
  "new",
  `customer ${id}`,
  `c${id}@example.com`,
  (id % 10000) / 100,
  id % 7,
  id % 2 === 0,
  new Date(),
  { id, tags: ["a", "b"] },
  "x".repeat(40),
];
export const VALUES = "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/** rows 1…n of `table`, shaped as row() shapes them, in one INSERT … SELECT */
export const seedSql = (table, n) =>
  `INSERT INTO ${table} SELECT g, 'new', 'customer ' || g, 'c' || g || '@example.com', (g % 10000) / 100.0, g % 7, g % 2 = 0, now(),
   jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b')), repeat('x', 40) FROM generate_series(1, ${n}) g`;

/** `n` connections held from `pool`, their backends' pids, and the sum of those backends' CPU time (ns) */
export async function backendClients(pool, n) {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  const pids = await Promise.all(clients.map(async (c) => (await c.query(`SELECT pg_backend_pid() AS p`)).rows[0].p));
  return { clients, pids, cpuNs: () => pids.reduce((sum, p) => sum + threadCpuNs(p), 0) };
}
