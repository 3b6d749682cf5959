/**
 * What the capture benches share (capture-overhead.mjs, single-row-variants.mjs, capture-variants.mjs): the
 * 10-column table a user's writes go to, one row of it as query parameters, and the CPU time of the PostgreSQL
 * backends serving a bench's connections (/proc/<pid>/schedstat: the bench must run on the database's machine).
 */
import { threadCpuNs } from "../server/proc-status.mjs";

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

/** `n` connections held from `pool`, their backends' pids, and the sum of those backends' CPU time (ns) */
export async function backendClients(pool, n) {
  const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  const pids = await Promise.all(clients.map(async (c) => (await c.query(`SELECT pg_backend_pid() AS p`)).rows[0].p));
  return { clients, pids, cpuNs: () => pids.reduce((sum, p) => sum + threadCpuNs(p), 0) };
}
