/**
 * What the capture of one configured table looks like, decided from what the source database's catalog says
 * about it (does it exist, is it a table, its columns in order, its primary key): which columns go into the
 * row images, which updates count, which triggers. Every mismatch between database.yaml and the database is a
 * problem that says what to change. Pure: the install (src/adapters/database) reads the catalog and applies it.
 */
import type { DatabaseOperation, DatabaseTable } from "./types.js";

export interface CatalogTable {
  /** pg_class.relkind: `r` table, `p` partitioned table, others (views, …) cannot be captured; null: missing */
  kind: string | null;
  /** attribute names in column order */
  columns: string[];
  /** the primary key's columns in key order; [] when the table has none */
  keyColumns: string[];
}

export interface TablePlan {
  schema: string;
  table: string;
  /** row-level triggers for every operation (a partitioned table: its statement triggers miss writes to partitions) */
  partitioned: boolean;
  keyColumns: string[];
  /** the columns of each row image, in table order; null: the whole row (`to_json`) */
  imageColumns: string[] | null;
  /** null: an update of any column is captured */
  updateColumns: string[] | null;
  /** the operations with a trigger (`manual` has none) */
  triggers: Exclude<DatabaseOperation, "manual">[];
  triggerName: string;
}

export type PlanResult = { ok: true; plan: TablePlan } | { ok: false; problems: string[] };

const KINDS: Record<string, string> = {
  v: "a view",
  m: "a materialized view",
  f: "a foreign table",
  S: "a sequence",
  c: "a type",
  i: "an index",
};

export function planTable(config: DatabaseTable, catalog: CatalogTable): PlanResult {
  const name = `${config.schema}.${config.table}`;
  if (catalog.kind === null) {
    return {
      ok: false,
      problems: [`table ${name} does not exist in the source database: create it, or fix \`schema\`/\`table\` in database.yaml`],
    };
  }
  if (catalog.kind !== "r" && catalog.kind !== "p") {
    return {
      ok: false,
      problems: [`${name} is ${KINDS[catalog.kind] ?? `not a table (relkind ${catalog.kind})`}: only tables can be captured`],
    };
  }
  const problems: string[] = [];
  if (catalog.keyColumns.length === 0) {
    problems.push(
      `table ${name} has no primary key: hookline names each row by it (the resource id, the order of a row's changes); add one (ALTER TABLE … ADD PRIMARY KEY (…))`,
    );
  }
  const known = new Set(catalog.columns);
  const missing = (list: readonly string[], field: string) => {
    for (const c of list) {
      if (!known.has(c)) {
        const some = catalog.columns.slice(0, 20).join(", ");
        problems.push(
          `column \`${c}\` (in ${field} of ${name}) does not exist; the table's columns: ${some}${catalog.columns.length > 20 ? ", …" : ""}`,
        );
      }
    }
  };
  missing(config.columns ?? [], "columns");
  missing(config.excludeColumns, "exclude_columns");
  missing(config.updateColumns ?? [], "update_columns");
  missing(config.labels, "labels");
  for (const k of catalog.keyColumns) {
    if (config.excludeColumns.includes(k))
      problems.push(`column \`${k}\` of ${name} is its primary key: it is always in the event, it cannot be excluded`);
  }
  let imageColumns: string[] | null = null;
  if (config.columns !== null) {
    const wanted = new Set([...catalog.keyColumns, ...config.columns]);
    imageColumns = catalog.columns.filter((c) => wanted.has(c));
  } else if (config.excludeColumns.length > 0) {
    const dropped = new Set(config.excludeColumns);
    imageColumns = catalog.columns.filter((c) => !dropped.has(c));
  }
  if (imageColumns !== null) {
    for (const label of config.labels) {
      if (known.has(label) && !imageColumns.includes(label)) {
        problems.push(`label column \`${label}\` of ${name} is not in the event's columns: add it to \`columns\``);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      schema: config.schema,
      table: config.table,
      partitioned: catalog.kind === "p",
      keyColumns: catalog.keyColumns,
      imageColumns,
      updateColumns: config.updateColumns,
      triggers: config.operations.filter((o): o is TablePlan["triggers"][number] => o !== "manual"),
      triggerName: config.triggerName,
    },
  };
}
