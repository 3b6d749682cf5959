/**
 * loadDatabaseConfig: text of a database.yaml → database sources, or positioned problems (the same YAML reader,
 * locator and zod-issue mapping as automations.yaml and webhooks.yaml). Never throws; any error → no sources.
 * What only the database can tell (does the table exist, which is its primary key, do the columns exist) is
 * checked when the capture is installed (src/adapters/database).
 */
import { parseDuration } from "../automations/duration.js";
import { sortProblems, type Problem } from "../automations/problems.js";
import { readListFile, rewordListProblem, type ListFileKind } from "../automations/list-file.js";
import type { SourceLocator } from "../automations/source-locator.js";
import { DatabaseFile, DatabaseSourceSchema, type RawDatabaseSource, type RawDatabaseTable } from "./schema.js";
import type { DatabaseConfig, DatabaseSource, DatabaseTable } from "./types.js";

export interface DatabaseLoadResult {
  /** null when any error was found */
  config: DatabaseConfig | null;
  /** errors first, then warnings, each by position */
  problems: Problem[];
}

/** the longest idle wait of a reader; longer would delay every change that arrives while it sleeps */
export const MAX_POLL_SECONDS = 60;
export const MAX_RETENTION_DAYS = 3650;

export function loadDatabaseConfig(text: string, file: string): DatabaseLoadResult {
  try {
    return load(text, file);
  } catch (e) {
    const message = `the database file could not be checked: ${(e as Error)?.message ?? String(e)}`;
    const hint = "this is a bug in hookline; please report it with the file";
    return { config: null, problems: [{ severity: "error", code: "HOOKLINE_INTERNAL", message, hint, file, line: 1, col: 1 }] };
  }
}

const KIND: ListFileKind<RawDatabaseSource> = {
  noun: "database",
  key: "sources",
  items: "a list of database sources",
  fileSchema: DatabaseFile,
  itemSchema: DatabaseSourceSchema,
};

const reword = (p: Problem): Problem => rewordListProblem(p, KIND);

function fail(problems: Problem[]): DatabaseLoadResult {
  return { config: null, problems: sortProblems(problems.map(reword)) };
}

function load(text: string, file: string): DatabaseLoadResult {
  const read = readListFile(text, file, KIND);
  if (!read.ok) return fail(read.problems);
  const { problems, loc, valid, entries } = read;
  const firstName = new Map<string, number>();
  const firstCapture = new Map<string, number>();
  for (const { raw, index } of entries) {
    const at = ["sources", index];
    const seen = firstName.get(raw.name);
    if (seen !== undefined) {
      const { line } = loc.position(["sources", seen, "name"]);
      problems.push(
        loc.problem(
          "error",
          "HOOKLINE_DB_DUPLICATE_SOURCE",
          [...at, "name"],
          `source \`${raw.name}\` is already defined (line ${line})`,
          "source names are in resource ids: make them unique",
        ),
      );
    } else firstName.set(raw.name, index);
    // two sources on the same database (the same URL variable, or both on hookline's own) would share one log
    const capture = `${raw.url_env ?? ""}\u0000${raw.capture_schema}`;
    const other = firstCapture.get(capture);
    if (other !== undefined) {
      const { line } = loc.position(["sources", other]);
      problems.push(
        loc.problem(
          "error",
          "HOOKLINE_DB_SHARED_CAPTURE",
          [...at, "capture_schema"],
          `this source and the one at line ${line} would share the capture schema \`${raw.capture_schema}\` of the same database`,
          "list all its tables under one source, or give this one its own `capture_schema`",
        ),
      );
    } else firstCapture.set(capture, index);
    checkSource(raw, at, loc, problems);
  }
  if (valid && entries.length === 0) {
    problems.push(
      loc.problem("warning", "HOOKLINE_DB_NO_SOURCES", ["sources"], "the file defines no database sources", "add some under `sources:`"),
    );
  }
  if (!valid || problems.some((p) => p.severity === "error")) return fail(problems);
  const sources = entries.map(({ raw, index }) => toSource(raw, loc, ["sources", index]));
  return { config: { sources }, problems: sortProblems(problems.map(reword)) };
}

function checkSource(raw: RawDatabaseSource, at: (string | number)[], loc: SourceLocator, out: Problem[]): void {
  const poll = parseDuration(raw.poll_interval)!;
  if (poll <= 0 || poll > MAX_POLL_SECONDS) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_DB_BAD_POLL_INTERVAL",
        [...at, "poll_interval"],
        `poll_interval must be more than 0 and at most ${MAX_POLL_SECONDS} s`,
        "e.g. 0.2s (the default) or 1s",
      ),
    );
  }
  if (parseDuration(raw.retention)! > MAX_RETENTION_DAYS * 86_400) {
    out.push(
      loc.problem("error", "HOOKLINE_DB_BAD_RETENTION", [...at, "retention"], `retention must be at most ${MAX_RETENTION_DAYS} days`),
    );
  }
  const firstTable = new Map<string, number>();
  raw.tables.forEach((t, i) => {
    const tat = [...at, "tables", i];
    const key = `${t.schema}\u0000${t.table}`;
    const seen = firstTable.get(key);
    if (seen !== undefined) {
      const { line } = loc.position([...at, "tables", seen, "table"]);
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_DB_DUPLICATE_TABLE",
          [...tat, "table"],
          `table \`${t.schema}.${t.table}\` is already listed (line ${line})`,
          "one entry per table: merge them",
        ),
      );
    } else firstTable.set(key, i);
    checkTable(t, tat, loc, out);
  });
}

function checkTable(t: RawDatabaseTable, at: (string | number)[], loc: SourceLocator, out: Problem[]): void {
  if (t.columns !== undefined && t.exclude_columns !== undefined) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_DB_COLUMNS_AND_EXCLUDE",
        [...at, "exclude_columns"],
        "use either `columns` (these only) or `exclude_columns` (all but these), not both",
        undefined,
        "key",
      ),
    );
  }
  t.labels.forEach((label, i) => {
    if (t.exclude_columns?.includes(label)) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_DB_LABEL_EXCLUDED",
          [...at, "labels", i],
          `label column \`${label}\` is in exclude_columns: a label would publish what the event leaves out`,
          "remove it from one list",
        ),
      );
    }
  });
  if (t.update_columns !== undefined && !t.operations.includes("update")) {
    out.push(
      loc.problem(
        "warning",
        "HOOKLINE_DB_UPDATE_COLUMNS_UNUSED",
        [...at, "update_columns"],
        "update_columns does nothing without `update` in operations",
        "add update to operations, or remove update_columns",
        "key",
      ),
    );
  }
}

function toSource(raw: RawDatabaseSource, loc: SourceLocator, at: (string | number)[]): DatabaseSource {
  return {
    name: raw.name,
    urlEnv: raw.url_env ?? null,
    install: raw.install,
    captureSchema: raw.capture_schema,
    scopes: [...new Set(raw.scopes)],
    batchSize: raw.batch_size,
    pollMs: Math.round(parseDuration(raw.poll_interval)! * 1000),
    retentionMs: Math.round(parseDuration(raw.retention)! * 1000),
    maxImageBytes: raw.max_image_bytes,
    tables: raw.tables.map((t, i) => toTable(t, raw, loc.sourcePosition([...at, "tables", i]))),
    source: loc.sourcePosition(at),
  };
}

function toTable(t: RawDatabaseTable, source: RawDatabaseSource, position: DatabaseTable["source"]): DatabaseTable {
  return {
    schema: t.schema,
    table: t.table,
    operations: [...new Set(t.operations)],
    updateColumns: t.update_columns ? [...new Set(t.update_columns)] : null,
    columns: t.columns ? [...new Set(t.columns)] : null,
    excludeColumns: [...new Set(t.exclude_columns ?? [])],
    labels: [...new Set(t.labels)],
    triggerName: t.trigger_name ?? `${t.schema}_${t.table}`,
    scopes: [...new Set(t.scopes ?? source.scopes)],
    source: position,
  };
}
