/**
 * The SQL of the capture, as text (pure: src/adapters/database runs it). Inside the source database, in a
 * schema of hookline's own (`hookline_capture` by default):
 *
 *   meta    one row: the layout version, a random install id (event ids derive from it and the log row id, so a
 *           reinstalled log that counts from 1 again never repeats an event id), the source that owns it
 *   tables  the registry: one row per captured table (its id is the log's `table_id` and the lane a reader locks)
 *   log     the captured changes, written by the triggers in the writer's transaction (a rolled back
 *           transaction leaves none); `delivered_at` is set once its changes are stored as events. A row-level
 *           trigger writes one log row per change (`changes` 1, the images as JSON objects); since layout 2 an
 *           INSERT or DELETE statement writes one log row per CHUNK_ROWS changed rows (op `INSERTS`/`DELETES`,
 *           `changes` n, the images as a JSON array in statement order), which the reader expands again
 *
 * Write path (what a user's INSERT pays): INSERT and DELETE are statement triggers over the transition table
 * (a one-row statement writes one log row as a row trigger would, op INSERT/DELETE; a larger one writes one
 * INSERT … SELECT per statement, whatever its row count, and one log row per 100 rows: the tuples, index
 * entries and identity values of a bulk load are a hundredth of one log row per row; the JSON of the images is
 * then most of the cost, bench/README.md); UPDATE is a row trigger whose WHEN clause skips
 * updates that change none of the watched columns before any function runs; a partitioned table gets row
 * triggers for every operation (a write straight into a partition fires no statement trigger of the parent).
 * The log has one index, on the undelivered rows only, and a BRIN index on the capture time for retention.
 * The functions are SECURITY DEFINER (the writer needs no right on the capture schema, and cannot write to the
 * log itself) without a SET search_path clause (its cost): every name in them is qualified (functionSql).
 */
import { createHash } from "node:crypto";
import { dollarQuote, qualified, quoteIdent, quoteLiteral } from "./identifiers.js";
import type { TablePlan } from "./capture-plan.js";
import type { LogOp } from "./types.js";

/** json_build_object takes at most 100 arguments (FUNC_MAX_ARGS): 50 columns. */
/**
 * rows of one INSERT/DELETE statement per log row: 100 cut the capture's cost of 1,000-row statements by a
 * quarter (bench/README.md); a larger chunk adds little and makes the log row of big rows big (a JSON value is
 * at most 1 GB)
 */
export const CHUNK_ROWS = 100;
/** the op of a log row holding a chunk of a statement's rows; a reader before layout 2 refuses these ops */
export const CHUNK_OP = { INSERT: "INSERTS", DELETE: "DELETES" } as const;
const MAX_BUILD_OBJECT_COLUMNS = 50;

export interface CaptureMigration {
  version: number;
  statements: (cs: string) => string[];
}

/** The layout of the capture schema, one entry per version; append, never edit (installed databases have them). */
export const CAPTURE_MIGRATIONS: readonly CaptureMigration[] = [
  {
    version: 1,
    statements: (cs) => {
      const s = quoteIdent(cs);
      return [
        `CREATE TABLE ${s}.tables (
  id           integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schema_name  text        NOT NULL,
  table_name   text        NOT NULL,
  key_columns  text[]      NOT NULL,
  trigger_name text        NOT NULL,
  operations   text[]      NOT NULL,
  definition   text        NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  removed_at   timestamptz,
  UNIQUE (schema_name, table_name)
)`,
        `CREATE TABLE ${s}.log (
  id           bigint      GENERATED ALWAYS AS IDENTITY,
  table_id     integer     NOT NULL,
  op           text        NOT NULL,
  old_row      json,
  new_row      json,
  txid         bigint      NOT NULL DEFAULT pg_catalog.txid_current(),
  captured_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
  session      text        DEFAULT pg_catalog.current_setting('hasura.user', true),
  delivered_at timestamptz,
  delivered_by text
)`,
        `CREATE INDEX log_undelivered_idx ON ${s}.log (table_id, id) WHERE delivered_at IS NULL`,
        `CREATE INDEX log_captured_brin ON ${s}.log USING brin (captured_at)`,
      ];
    },
  },
  {
    // chunked statement capture: how many changes a log row holds (1 for every row of layout 1; a default is
    // only catalog work, the log is not rewritten)
    version: 2,
    statements: (cs) => [`ALTER TABLE ${quoteIdent(cs)}.log ADD COLUMN changes integer NOT NULL DEFAULT 1`],
  },
  {
    // the images (a chunk's are ~15 KB of JSON, compressed on the writer's path) with lz4 instead of pglz: 1,000-row
    // INSERT … SELECT statements 0.92-0.94x the capture's cost (bench/README.md). Only new values; where this
    // PostgreSQL has no lz4 (before 14, or built without it) the columns keep the default, as layout 2 (EXECUTE:
    // an older parser's syntax error is raised at run time, inside the handler)
    version: 3,
    statements: (cs) => [
      `DO ${dollarQuote(`
BEGIN
  EXECUTE ${quoteLiteral(`ALTER TABLE ${quoteIdent(cs)}.log ALTER COLUMN old_row SET COMPRESSION lz4, ALTER COLUMN new_row SET COMPRESSION lz4`)};
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
  NULL;
END
`)}`,
    ],
  },
];

/** Statements that make sure the schema and its `meta` table exist (before the version can be read). */
export function captureBaseSql(cs: string): string[] {
  const s = quoteIdent(cs);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`,
    `CREATE TABLE IF NOT EXISTS ${s}.meta (
  singleton    boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  version      integer     NOT NULL,
  install_id   uuid        NOT NULL,
  source       text        NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
)`,
  ];
}

/** the advisory lock every install/uninstall of this capture schema takes first ($1: the text below) */
export const CAPTURE_LOCK_SQL = `SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext($1))`;
export const captureLockKey = (cs: string) => `hookline_capture:${cs}`;

export type TriggerOp = TablePlan["triggers"][number];
const LOG_OP: Record<TriggerOp, LogOp> = { insert: "INSERT", update: "UPDATE", delete: "DELETE" };
export const TRIGGER_OPS: readonly TriggerOp[] = ["insert", "update", "delete"];

export const functionName = (tableId: number, op: TriggerOp) => `capture_${tableId}_${op}`;
export const triggerName = (cs: string, op: TriggerOp) => `${cs}_${op}`;

/** The JSON of one row image: the whole row, or the planned columns under their own names. */
export function imageSql(row: string, columns: readonly string[] | null): string {
  if (columns === null) return `pg_catalog.to_json(${row})`;
  if (columns.length <= MAX_BUILD_OBJECT_COLUMNS) {
    return `pg_catalog.json_build_object(${columns.map((c) => `${quoteLiteral(c)}, ${row}.${quoteIdent(c)}`).join(", ")})`;
  }
  return `(SELECT pg_catalog.to_json(r) FROM (SELECT ${columns.map((c) => `${row}.${quoteIdent(c)} AS ${quoteIdent(c)}`).join(", ")}) r)`;
}

/** The WHEN clause of the update trigger: the watched columns (or the whole row) differ, byte for byte. */
export function updateConditionSql(columns: readonly string[] | null): string {
  if (columns === null) return `OLD.* OPERATOR(pg_catalog.*<>) NEW.*`;
  // ROW(…)::record: two bare row constructors would be compared column by column (and json has no equality)
  const row = (r: string) => `ROW(${columns.map((c) => `${r}.${quoteIdent(c)}`).join(", ")})::record`;
  return `${row("OLD")} OPERATOR(pg_catalog.*<>) ${row("NEW")}`;
}

/**
 * SECURITY DEFINER without a `SET search_path` clause: a function with one saves, sets and restores the setting on
 * every call, which cost a single-row change 15-45 us of backend CPU (bench/README.md). So the body runs with the
 * WRITER's search_path and is written so that no name in it is looked up through it:
 * - relations: the log is schema-qualified (the capture schema's name is unique in the database and only its
 *   owner creates in it); the transition table is an ephemeral named relation, which the parser finds before
 *   any table (a temp table of that name included); NEW and OLD are PL/pgSQL variables;
 * - functions and aggregates are `pg_catalog.`-qualified (no other schema can be named pg_catalog) and operators
 *   are written OPERATOR(pg_catalog.x); the body names no type;
 * - the rest is resolved by OID, not by name: the literals' coercions to the log's column types (pg_cast), the
 *   sort and grouping operators of ORDER BY / GROUP BY (the types' default operator classes), the log's defaults,
 *   identity sequence and index expressions (stored parsed at install), the update trigger's WHEN clause (parsed
 *   at CREATE TRIGGER, with OPERATOR(pg_catalog.*<>)).
 * A writer's temp tables, functions, operators or types named like those in the body change nothing (test:
 * capture-security.test.ts). Whoever changes the bodies keeps to these rules.
 */
function functionSql(cs: string, tableId: number, op: TriggerOp, body: string): string {
  return `CREATE OR REPLACE FUNCTION ${qualified(cs, functionName(tableId, op))}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS ${dollarQuote(`
BEGIN
${body}
  RETURN NULL;
END
`)}`;
}

function captureBody(cs: string, tableId: number, op: TriggerOp, plan: TablePlan): { body: string; rowLevel: boolean } {
  const log = qualified(cs, "log");
  const image = (row: string) => imageSql(row, plan.imageColumns);
  const tag = `${tableId}, ${quoteLiteral(LOG_OP[op])}`;
  if (op === "update")
    return {
      body: `  INSERT INTO ${log} (table_id, op, old_row, new_row) VALUES (${tag}, ${image("OLD")}, ${image("NEW")});`,
      rowLevel: true,
    };
  const column = op === "insert" ? "new_row" : "old_row";
  if (plan.partitioned) {
    return {
      body: `  INSERT INTO ${log} (table_id, op, ${column}) VALUES (${tag}, ${image(op === "insert" ? "NEW" : "OLD")});`,
      rowLevel: true,
    };
  }
  const transition = op === "insert" ? "hookline_new" : "hookline_old";
  const chunk = `${tableId}, ${quoteLiteral(CHUNK_OP[LOG_OP[op] as keyof typeof CHUNK_OP])}`;
  // row_number() OVER () numbers the transition table in its order; a chunk's images keep that order
  const chunkOf = `(c.n OPERATOR(pg_catalog.-) 1) OPERATOR(pg_catalog./) ${CHUNK_ROWS}`;
  // a one-row statement (the common OLTP write) takes a cheap path: one log row as a row trigger writes it (op
  // INSERT/DELETE, the image an object), without the window, grouping and aggregate (bench/README.md); LIMIT 2
  // keeps the count from scanning a bulk statement's rows
  return {
    body: `  IF (SELECT pg_catalog.count(*) FROM (SELECT FROM ${transition} LIMIT 2) o) OPERATOR(pg_catalog.=) 1 THEN
    INSERT INTO ${log} (table_id, op, ${column}) SELECT ${tag}, ${image("r")} FROM ${transition} r;
  ELSE
    INSERT INTO ${log} (table_id, op, changes, ${column})
    SELECT ${chunk}, pg_catalog.count(*), pg_catalog.json_agg(c.image ORDER BY c.n)
    FROM (SELECT ${image("r")} AS image, pg_catalog.row_number() OVER () AS n FROM ${transition} r) c
    GROUP BY ${chunkOf} ORDER BY ${chunkOf};
  END IF;`,
    rowLevel: false,
  };
}

function triggerSql(cs: string, tableId: number, op: TriggerOp, plan: TablePlan, rowLevel: boolean): string {
  const on = qualified(plan.schema, plan.table);
  const fn = qualified(cs, functionName(tableId, op));
  const name = quoteIdent(triggerName(cs, op));
  const event = op.toUpperCase();
  if (op === "update") {
    return `CREATE TRIGGER ${name} AFTER UPDATE ON ${on} FOR EACH ROW WHEN (${updateConditionSql(plan.updateColumns)}) EXECUTE FUNCTION ${fn}()`;
  }
  if (rowLevel) return `CREATE TRIGGER ${name} AFTER ${event} ON ${on} FOR EACH ROW EXECUTE FUNCTION ${fn}()`;
  const transition = op === "insert" ? "NEW TABLE AS hookline_new" : "OLD TABLE AS hookline_old";
  return `CREATE TRIGGER ${name} AFTER ${event} ON ${on} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
}

export interface TableCaptureSql {
  /** run in order, in the install's transaction */
  statements: string[];
  /** sha256 of the statements: an install whose definition is unchanged (and whose triggers exist) does nothing */
  definition: string;
}

/** Creates or replaces the capture of one table: its functions and triggers; drops those of operations it no longer has. */
export function tableCaptureSql(cs: string, tableId: number, plan: TablePlan): TableCaptureSql {
  const statements: string[] = [];
  for (const op of TRIGGER_OPS) {
    const on = qualified(plan.schema, plan.table);
    statements.push(`DROP TRIGGER IF EXISTS ${quoteIdent(triggerName(cs, op))} ON ${on}`);
    if (!plan.triggers.includes(op)) {
      statements.push(`DROP FUNCTION IF EXISTS ${qualified(cs, functionName(tableId, op))}()`);
      continue;
    }
    const { body, rowLevel } = captureBody(cs, tableId, op, plan);
    statements.push(functionSql(cs, tableId, op, body), triggerSql(cs, tableId, op, plan, rowLevel));
  }
  return { statements, definition: createHash("sha256").update(statements.join(";\n")).digest("hex") };
}

/** Removes the capture of one table (its triggers, when the table still exists, and its functions). */
export function dropTableCaptureSql(cs: string, tableId: number, table: { schema: string; table: string } | null): string[] {
  const out: string[] = [];
  for (const op of TRIGGER_OPS) {
    if (table) out.push(`DROP TRIGGER IF EXISTS ${quoteIdent(triggerName(cs, op))} ON ${qualified(table.schema, table.table)}`);
    out.push(`DROP FUNCTION IF EXISTS ${qualified(cs, functionName(tableId, op))}()`);
  }
  return out;
}

/**
 * `manual`: the current row as a MANUAL change, written to the log like any other (so it is delivered in order
 * with the row's other changes). $1: the key values as text, in key order (PostgreSQL casts them to the
 * columns' types, so the primary key's index finds the row). Returns the log row's id, none when no row has
 * that key.
 */
export function invokeSql(cs: string, tableId: number, plan: Pick<TablePlan, "schema" | "table" | "keyColumns" | "imageColumns">): string {
  const where = plan.keyColumns.map((k, i) => `r.${quoteIdent(k)} = $${i + 1}`).join(" AND ");
  return `INSERT INTO ${qualified(cs, "log")} (table_id, op, new_row, session)
SELECT ${tableId}, 'MANUAL', ${imageSql("r", plan.imageColumns)}, NULL FROM ${qualified(plan.schema, plan.table)} r WHERE ${where}
RETURNING id`;
}

/**
 * The changes of the log rows in `batch` (a CTE with the log's columns), one output row per change in log order:
 * a chunk row (op `INSERTS`/`DELETES`) becomes its images, each with its place in the chunk (`index`, 0-based);
 * any other row is one change with `index` NULL. `keys` is the SQL of the key columns' names (a text[]).
 */
function expandedSql(keys: string, extra: string[]): string {
  const more = extra.map((c) => `, b.${c}`).join("");
  return `SELECT x.id, x.index, x.op, x.old_row::text AS old_row, x.new_row::text AS new_row, x.txid, x.captured_at, x.session${extra
    .map((c) => `, x.${c}`)
    .join("")},
  ARRAY(SELECT COALESCE(x.new_row, x.old_row) ->> k.name FROM unnest(${keys}) WITH ORDINALITY AS k(name, n) ORDER BY k.n) AS key
FROM (
  SELECT b.id, b.txid, b.captured_at, b.session${more}, (e.n - 1)::integer AS index,
    CASE b.op WHEN 'INSERTS' THEN 'INSERT' WHEN 'DELETES' THEN 'DELETE' ELSE b.op END AS op,
    CASE WHEN e.n IS NULL THEN b.old_row WHEN b.op = 'DELETES' THEN e.v END AS old_row,
    CASE WHEN e.n IS NULL THEN b.new_row WHEN b.op = 'INSERTS' THEN e.v END AS new_row
  FROM batch b
  LEFT JOIN LATERAL json_array_elements(CASE WHEN b.op IN ('INSERTS', 'DELETES') THEN COALESCE(b.new_row, b.old_row) END)
    WITH ORDINALITY AS e(v, n) ON true
) x
ORDER BY x.id, x.index`;
}

/**
 * Whole log rows from `rows` (a query in log order with a LIMIT of $limit rows) while the changes before each are
 * fewer than $limit: about $limit changes, never part of a log row (it is marked delivered as one).
 */
const wholeRows = (rows: string, limit: string) =>
  `SELECT w.* FROM (SELECT r.*, pg_catalog.sum(r.changes) OVER (ORDER BY r.id) - r.changes AS before FROM (${rows}) r) w WHERE w.before < ${limit}`;

/** The statements the reader, the status and the retention use (the capture schema filled in). */
export function readerSql(cs: string) {
  const s = quoteIdent(cs);
  const columns = `l.id, l.op, l.changes, l.old_row, l.new_row, l.txid, l.captured_at, l.session`;
  return {
    meta: `SELECT version, install_id::text AS install_id, source FROM ${s}.meta`,
    registry: `SELECT id, schema_name, table_name, key_columns, trigger_name, operations, definition, removed_at FROM ${s}.tables ORDER BY id`,
    /** lanes (tables) with undelivered changes */
    lanesWithWork: `SELECT t.id FROM ${s}.tables t WHERE EXISTS (SELECT 1 FROM ${s}.log l WHERE l.table_id = t.id AND l.delivered_at IS NULL) ORDER BY t.id`,
    /** one reader per lane at a time: it holds this row lock until its batch is stored and marked */
    lockLane: `SELECT id FROM ${s}.tables WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED`,
    /**
     * $1 table id, $2 key columns, $3 about how many changes, $4 a log id: the oldest undelivered changes of a table
     * after that id (the reader reads its next batch while the one before is stored, not yet marked), with the key as text
     */
    readLane: `WITH batch AS (${wholeRows(
      `SELECT ${columns} FROM ${s}.log l WHERE l.table_id = $1 AND l.delivered_at IS NULL AND l.id > $4::bigint ORDER BY l.id LIMIT $3`,
      "$3",
    )})
${expandedSql("$2::text[]", [])}`,
    /** replay: delivered changes with $1 <= captured_at < $2, after log id $3, about $4; every table, in log order */
    readRange: `WITH batch AS (${wholeRows(
      `SELECT ${columns}, l.table_id, t.key_columns FROM ${s}.log l JOIN ${s}.tables t ON t.id = l.table_id
WHERE l.captured_at >= $1 AND l.captured_at < $2 AND l.id > $3 AND l.delivered_at IS NOT NULL ORDER BY l.id LIMIT $4`,
      "$4",
    )})
${expandedSql("x.key_columns", ["table_id", "key_columns"])}`,
    /** replay's dry run: $1 from, $2 to; per table and operation */
    countRange: `SELECT l.table_id, CASE l.op WHEN 'INSERTS' THEN 'INSERT' WHEN 'DELETES' THEN 'DELETE' ELSE l.op END AS op,
  sum(l.changes) AS n, min(l.captured_at) AS first, max(l.captured_at) AS last,
  coalesce(sum(l.changes) FILTER (WHERE l.delivered_at IS NULL), 0) AS undelivered
FROM ${s}.log l WHERE l.captured_at >= $1 AND l.captured_at < $2 GROUP BY 1, 2 ORDER BY 1, 2`,
    /** $1 table id, $2 ids, $3 instance */
    markDelivered: `UPDATE ${s}.log SET delivered_at = now(), delivered_by = $3 WHERE table_id = $1 AND delivered_at IS NULL AND id = ANY($2::bigint[])`,
    /** retention 0: delivered rows go at once */
    deleteDelivered: `DELETE FROM ${s}.log WHERE table_id = $1 AND delivered_at IS NULL AND id = ANY($2::bigint[])`,
    /** $1 cutoff, $2 limit: delivered rows older than the retention (the BRIN index finds the old pages) */
    prune: `DELETE FROM ${s}.log WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${s}.log WHERE captured_at < $1 AND delivered_at < $1 LIMIT $2))`,
    /** per table: undelivered changes (in up to $1 log rows) and the capture time of the oldest */
    backlog: `SELECT t.id,
  (SELECT coalesce(sum(x.changes), 0) FROM (SELECT l.changes FROM ${s}.log l WHERE l.table_id = t.id AND l.delivered_at IS NULL LIMIT $1) x) AS backlog,
  (SELECT l.captured_at FROM ${s}.log l WHERE l.table_id = t.id AND l.delivered_at IS NULL ORDER BY l.id LIMIT 1) AS oldest
FROM ${s}.tables t ORDER BY t.id`,
  };
}
