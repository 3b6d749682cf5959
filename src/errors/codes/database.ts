/** Codes of database sources (docs/database.md): database.yaml, installing the capture, reading and replaying changes. */
import type { CodeTable } from "./table.js";

export const DATABASE_CODES = {
  HOOKLINE_DB_NO_SOURCES: {
    summary: "database.yaml defines no sources (a warning).",
    fix: "Add sources under `sources:`.",
  },
  HOOKLINE_DB_DUPLICATE_SOURCE: { summary: "Two sources have the same name.", fix: "Give each source its own name." },
  HOOKLINE_DB_DUPLICATE_TABLE: { summary: "A source lists the same table twice.", fix: "Keep one entry per table." },
  HOOKLINE_DB_SHARED_CAPTURE: {
    summary: "Two sources would share the capture schema of one database.",
    fix: "Give one of them its own `capture_schema`.",
  },
  HOOKLINE_DB_BAD_POLL_INTERVAL: {
    summary: "`poll_interval` is out of range.",
    fix: "Use a number of seconds within the range the message names.",
  },
  HOOKLINE_DB_BAD_RETENTION: {
    summary: "`retention` is longer than allowed.",
    fix: "Use a number of days within the range the message names.",
  },
  HOOKLINE_DB_COLUMNS_AND_EXCLUDE: {
    summary: "A table sets both `columns` and `exclude_columns`.",
    fix: "Use `columns` (these only) or `exclude_columns` (all but these), not both.",
  },
  HOOKLINE_DB_LABEL_EXCLUDED: {
    summary: "A label column is also excluded: the label would publish what the event leaves out.",
    fix: "Remove it from `labels` or from `exclude_columns`.",
  },
  HOOKLINE_DB_UPDATE_COLUMNS_UNUSED: {
    summary: "`update_columns` is set but `update` is not among the operations.",
    fix: "Add `update` to `operations`, or remove `update_columns`.",
  },
  HOOKLINE_DB_BAD_NAME: {
    summary: "A schema, table or column name cannot be a PostgreSQL name (empty, or holds NUL).",
    fix: "Fix the name in database.yaml.",
  },
  HOOKLINE_DB_SOURCE_URL_UNSET: {
    summary: "The variable a source's `url_env` names is not set.",
    fix: "Set it to the postgres:// URL of the database to capture.",
  },
  HOOKLINE_DB_SOURCE_URL_INVALID: {
    summary: "The variable a source's `url_env` names is not a postgres:// URL.",
    fix: "Set it to a postgres:// (or postgresql://) URL.",
  },
  HOOKLINE_DB_SOURCE_NEEDS_URL: {
    summary: "The source captures hookline's own database, which this command cannot open.",
    fix: "Set DATABASE_URL to it, or give the source a `url_env`.",
  },
  HOOKLINE_DB_SOURCE_NOT_FOUND: {
    summary: "No database source has that name.",
    fix: "Use a source name of database.yaml (the answer lists them).",
  },
  HOOKLINE_DB_CAPTURE_OWNED: {
    summary: "The capture schema belongs to another source.",
    fix: "Give this source its own `capture_schema`, or rename it back.",
  },
  HOOKLINE_DB_CAPTURE_NEWER: {
    summary: "The capture schema was installed by a newer hookline.",
    fix: "Use the newer hookline.",
  },
  HOOKLINE_DB_LOCK_TIMEOUT: {
    summary: "A table stayed locked by other transactions while installing the capture; nothing was changed.",
    fix: "Try again when long transactions have ended.",
  },
  HOOKLINE_DB_INSTALL_FAILED: {
    summary: "The capture was not installed; nothing was changed.",
    fix: "Fix the problems listed (permissions, missing tables or columns) and install again.",
  },
  HOOKLINE_DB_UNSAFE_TYPE: {
    summary:
      "A captured column's type (or an element, field, domain base or range subtype of it), or its cast to JSON, belongs to a role that is neither a superuser nor the capture functions' owner (for `db invoke`: nor the role the server connects as), so it could run code with that role's rights; nothing was installed or invoked.",
    fix: "Install (or, to invoke, connect the server) as the type's owner, have a superuser make that role own the type (ALTER TYPE … OWNER TO), drop the cast, or leave the column out with `exclude_columns`.",
  },
  HOOKLINE_DB_NOT_INSTALLED: {
    summary: "The source's capture is not installed in its database.",
    fix: "Run `hookline db install --source <name>`, or set `install: true`.",
  },
  HOOKLINE_DB_TABLE_UNKNOWN: { summary: "The source does not capture that table.", fix: "Use one of the tables the message lists." },
  HOOKLINE_DB_MANUAL_NOT_ALLOWED: {
    summary: "The table does not allow invoking a row by hand.",
    fix: "Add `manual` to the table's operations in database.yaml.",
  },
  HOOKLINE_DB_BAD_KEY: {
    summary: "The key given does not match the table's primary key.",
    fix: "Give every primary-key column's value as text, as the message shows.",
  },
  HOOKLINE_DB_ROW_NOT_FOUND: { summary: "No row has that key.", fix: "Check the key's values." },
  HOOKLINE_DB_BAD_INVOKE: {
    summary: "The invoke request's body is not `{ table, schema, key }`.",
    fix: 'Send { "table": "<name>", "schema": "<schema>", "key": { "<column>": "<value>" } }.',
  },
  HOOKLINE_DB_BAD_REPLAY: {
    summary: "The replay request's range is not valid.",
    fix: "Send `from` and `to` as times, `from` before `to`.",
  },
  HOOKLINE_DB_REPLAY_TOO_LARGE: {
    summary: "The replay range holds more changes than one replay may.",
    fix: "Replay it in shorter ranges.",
  },
  HOOKLINE_DB_BAD_LOG_ROW: {
    summary: "The capture log holds a row hookline's triggers did not write.",
    fix: "Only hookline's triggers may write the log: remove the row, or reinstall the capture.",
  },
  HOOKLINE_DB_READ_FAILED: {
    summary: "Reading a source's changes failed (retried).",
    fix: "Read the message; check the source database's health and hookline's access to it.",
  },
} as const satisfies CodeTable;
