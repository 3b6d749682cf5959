/**
 * Database change sources (issue 15), as the server and the CLI use them once `database.yaml` is loaded: each
 * source is a PostgreSQL database whose tables hookline captures with triggers into a log table of its own
 * (the capture schema), and each captured change becomes one event.
 */
import type { SourcePosition } from "../automations/types.js";

export const DATABASE_OPERATIONS = ["insert", "update", "delete", "manual"] as const;
export type DatabaseOperation = (typeof DATABASE_OPERATIONS)[number];

/** Hasura's names for the operations (`event.op` in the payload), as stored in the log's `op` column. */
export const OP_OF: Record<DatabaseOperation, LogOp> = { insert: "INSERT", update: "UPDATE", delete: "DELETE", manual: "MANUAL" };
export type LogOp = "INSERT" | "UPDATE" | "DELETE" | "MANUAL";

/** The last part of the event name per operation: `postgres.<schema>.<table>.<verb>`. */
export const VERB_OF: Record<LogOp, string> = { INSERT: "inserted", UPDATE: "updated", DELETE: "deleted", MANUAL: "invoked" };

export interface DatabaseTable {
  schema: string;
  table: string;
  operations: DatabaseOperation[];
  /** updates that change none of these columns are not captured; null: a change of any column counts */
  updateColumns: string[] | null;
  /** the columns in the event; null: all of them (then `excludeColumns` may leave some out) */
  columns: string[] | null;
  excludeColumns: string[];
  /** columns copied into the resource as `postgres.row.<column>` (and `postgres.old.<column>` for updates) */
  labels: string[];
  /** the payload's `trigger.name` (Hasura's event trigger name) */
  triggerName: string;
  /** the scopes whose automations see this table's events */
  scopes: string[];
  source: SourcePosition;
}

export interface DatabaseSource {
  /** url-safe; in resource ids (`postgres.<name>.…`) and the events' origin */
  name: string;
  /** the environment variable holding the postgres:// URL; null: hookline's own database */
  urlEnv: string | null;
  /** install or upgrade the capture when the server starts */
  install: boolean;
  /** the schema in the source database that holds the log, the table registry and the trigger functions */
  captureSchema: string;
  scopes: string[];
  batchSize: number;
  pollMs: number;
  /** delivered log rows are kept this long; 0: deleted as they are delivered */
  retentionMs: number;
  /** each row image (old, new) in an event is at most this many bytes of JSON; larger ones are cut (truncate.ts) */
  maxImageBytes: number;
  tables: DatabaseTable[];
  source: SourcePosition;
}

export interface DatabaseConfig {
  sources: DatabaseSource[];
}

/**
 * One row of the capture log as the reader selects it: the row images as PostgreSQL's JSON text (so numbers
 * keep every digit), the key columns' values as text, times as epoch ms.
 */
export interface LogRow {
  /** the log row's id (bigint as a decimal string) */
  id: string;
  /** the change's place (0-based) in a log row holding a chunk of a statement's rows; null or absent: the log row is this one change */
  index?: number | null;
  op: LogOp;
  oldRow: string | null;
  newRow: string | null;
  /** txid_current() of the writing transaction (bigint as a decimal string) */
  txid: string;
  /** epoch ms (clock_timestamp() in the trigger) */
  capturedAt: number;
  /** current_setting('hasura.user') when the writer set it (Hasura's session variables), else null */
  session: string | null;
  /** the primary key's values, as text, in key order */
  key: (string | null)[];
}

/** What the reader knows of a captured table: the registry row of the capture schema, and the config entry. */
export interface CapturedTable {
  /** the registry id: the log's `table_id`, and the lane a reader locks */
  id: number;
  schema: string;
  table: string;
  keyColumns: string[];
  triggerName: string;
  /** the config entry, when the table is still configured (labels, scopes) */
  config: DatabaseTable | null;
}

/** The default capture schema: hookline's own, beside the user's schemas. */
export const DEFAULT_CAPTURE_SCHEMA = "hookline_capture";

/** The capture schema's layout version this hookline installs (capture-sql.ts CAPTURE_MIGRATIONS). */
export const CAPTURE_VERSION = 3;
