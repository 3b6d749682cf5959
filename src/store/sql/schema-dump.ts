/**
 * A plain-text dump of the current schema's tables, columns (type, nullability, default), constraints and
 * indexes, sorted, for the golden schema test: the same migrations must give the same dump on PGlite and on
 * PostgreSQL. Only engine-independent facts: no OIDs, no schema names, no NOT NULL constraint rows (which
 * PostgreSQL 18 lists in pg_constraint and 15 does not; nullability is in the column line).
 */
import type { Db } from "./db.js";

const COLUMNS = `
SELECT table_name, column_name, data_type, is_nullable, column_default
FROM information_schema.columns
WHERE table_schema = current_schema()
ORDER BY table_name, column_name`;

const CONSTRAINTS = `
SELECT rel.relname AS table_name, con.conname AS name, pg_get_constraintdef(con.oid) AS def
FROM pg_constraint con
JOIN pg_class rel ON rel.oid = con.conrelid
JOIN pg_namespace ns ON ns.oid = rel.relnamespace
WHERE ns.nspname = current_schema() AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY rel.relname, con.conname`;

const INDEXES = `
SELECT tablename AS table_name, indexname AS name, indexdef AS def
FROM pg_indexes
WHERE schemaname = current_schema()
ORDER BY tablename, indexname`;

const CURRENT_SCHEMA = `SELECT current_schema() AS name`;

export async function dumpSchema(db: Db): Promise<string> {
  const schema = (await db.query<{ name: string }>(CURRENT_SCHEMA)).rows[0]?.name ?? "public";
  const unqualify = (text: string) => text.split(`${schema}.`).join("");
  const lines: string[] = [];
  for (const c of (await db.query<Record<string, string | null>>(COLUMNS)).rows) {
    const def = c.column_default === null ? "" : ` default ${unqualify(c.column_default!)}`;
    lines.push(`column ${c.table_name}.${c.column_name} ${c.data_type}${c.is_nullable === "NO" ? " not null" : ""}${def}`);
  }
  for (const c of (await db.query<Record<string, string>>(CONSTRAINTS)).rows) {
    lines.push(`constraint ${c.table_name}.${c.name} ${unqualify(c.def!)}`);
  }
  for (const i of (await db.query<Record<string, string>>(INDEXES)).rows) {
    lines.push(`index ${i.table_name}.${i.name} ${unqualify(i.def!)}`);
  }
  return lines.sort().join("\n") + "\n";
}
