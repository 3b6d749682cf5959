/** The capture schema's own rows: `meta` (version, install id, owner) and the `tables` registry. */
import type { Db } from "../../store/sql/db.js";
import { readerSql } from "../../database/index.js";
import { isMissingCapture } from "./errors.js";

export interface CaptureMeta {
  version: number;
  installId: string;
  /** the source that installed it */
  source: string;
}

export interface RegistryRow {
  id: number;
  schema: string;
  table: string;
  keyColumns: string[];
  triggerName: string;
  operations: string[];
  definition: string;
  /** epoch ms, null while the table is captured */
  removedAt: number | null;
}

/** null when the capture schema (or its meta row) does not exist. */
export async function readMeta(db: Db, cs: string): Promise<CaptureMeta | null> {
  try {
    const { rows } = await db.query<{ version: number; install_id: string; source: string }>(readerSql(cs).meta);
    const r = rows[0];
    return r ? { version: r.version, installId: r.install_id, source: r.source } : null;
  } catch (err) {
    if (isMissingCapture(err)) return null;
    throw err;
  }
}

export async function readRegistry(db: Db, cs: string): Promise<RegistryRow[]> {
  const { rows } = await db.query<{
    id: number;
    schema_name: string;
    table_name: string;
    key_columns: string[];
    trigger_name: string;
    operations: string[];
    definition: string;
    removed_at: number | null;
  }>(readerSql(cs).registry);
  return rows.map((r) => ({
    id: r.id,
    schema: r.schema_name,
    table: r.table_name,
    keyColumns: r.key_columns,
    triggerName: r.trigger_name,
    operations: r.operations,
    definition: r.definition,
    removedAt: r.removed_at,
  }));
}
