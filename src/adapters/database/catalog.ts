/** What the source database's catalog says about a configured table (for planTable), and about the capture schema. */
import type { Db } from "../../store/sql/db.js";
import type { CatalogTable } from "../../database/index.js";

const TABLE = `
SELECT c.relkind::text AS kind,
  ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
  ARRAY(SELECT a.attname::text FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = c.oid AND i.indisprimary
        ORDER BY pg_catalog.array_position(i.indkey::int2[], a.attnum)) AS key_columns,
  ARRAY(SELECT t.tgname::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2`;

export interface CatalogFacts extends CatalogTable {
  /** names of the table's (user-visible) triggers */
  triggers: string[];
}

export async function readCatalogTable(db: Db, schema: string, table: string): Promise<CatalogFacts> {
  const { rows } = await db.query<{ kind: string; columns: string[]; key_columns: string[]; triggers: string[] }>(TABLE, [schema, table]);
  const r = rows[0];
  if (!r) return { kind: null, columns: [], keyColumns: [], triggers: [] };
  return { kind: r.kind, columns: r.columns, keyColumns: r.key_columns, triggers: r.triggers };
}

export async function schemaExists(db: Db, schema: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", [schema]);
  return rows.length > 0;
}
