/**
 * The zod schema of `database.yaml` (shape only; cross-field rules live in load.ts). It is the validator
 * (issues are mapped back to YAML positions) and the source of schema/database.schema.json, so it holds no
 * transforms.
 */
import { z } from "zod";
import { Duration } from "../automations/raw-schema.js";
import { utf8Length } from "../automations/yaml-source.js";
import { SLUG_RE } from "../webhooks/schema.js";
import { DATABASE_OPERATIONS, DEFAULT_CAPTURE_SCHEMA } from "./types.js";

/** PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and silently drops the rest. */
export const MAX_IDENTIFIER_BYTES = 63;

const identifier = (what: string) =>
  z
    .string({ error: `expected the ${what}'s name` })
    .min(1, `the ${what}'s name must not be empty`)
    .refine((s) => utf8Length(s) <= MAX_IDENTIFIER_BYTES, `PostgreSQL names are at most ${MAX_IDENTIFIER_BYTES} bytes`)
    .refine((s) => !s.includes("\u0000"), "a name cannot hold NUL");

/**
 * Schema and table names become parts of event names and resource ids (`postgres.<schema>.<table>.inserted`),
 * so they may not hold dots, whitespace or control characters (which would make those names ambiguous).
 */
const NAMEABLE = /^[^\s.\u0000-\u001f\u007f]+$/;
const EventPart = (what: string) =>
  identifier(what).refine(
    (s) => NAMEABLE.test(s),
    `a ${what} name that holds a dot, whitespace or a control character cannot be part of an event name: rename it, or capture a table with a plain name`,
  );

const Column = identifier("column");
const Columns = (what: string) => z.array(Column).min(1, `${what} must list at least one column (or leave it out)`);

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the NAME of an environment variable (letters, digits, _)");

/** `server` (the operator's automations) or `repo:<owner>/<name>` (a repository's, through the GitHub App) */
export const SCOPE_RE = /^(server|repo:[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100})$/;
const Scopes = z
  .array(z.string().regex(SCOPE_RE, "a scope is `server` or `repo:<owner>/<name>`"))
  .min(1, "scopes must name at least one scope");

export const TRIGGER_NAME_RE = /^[A-Za-z0-9_-]{1,63}$/;

export const DatabaseTableSchema = z
  .strictObject({
    table: EventPart("table").describe("the table's name"),
    schema: EventPart("schema").default("public").describe("the table's schema"),
    operations: z
      .array(z.enum(DATABASE_OPERATIONS))
      .min(1, "operations must list at least one of insert, update, delete, manual")
      .default(["insert", "update", "delete"])
      .describe("the changes captured; `manual` allows invoking a row on demand (POST /api/database/sources/<source>/invoke)"),
    update_columns: Columns("update_columns")
      .optional()
      .describe("updates that change none of these columns are not captured (default: a change of any column counts)"),
    columns: Columns("columns").optional().describe("the columns in the event (default: all); the primary key is always included"),
    exclude_columns: Columns("exclude_columns")
      .optional()
      .describe("all columns but these (e.g. secrets); columns added to the table later are left out until the next install"),
    labels: z
      .array(Column)
      .max(50, "at most 50 label columns")
      .default([])
      .describe("columns copied into the resource as `postgres.row.<column>` (and `postgres.old.<column>` for updates)"),
    trigger_name: z
      .string()
      .regex(TRIGGER_NAME_RE, "trigger_name: letters, digits, _ and - (at most 63)")
      .optional()
      .describe("the payload's `trigger.name`, as Hasura sends it (default: <schema>_<table>)"),
    scopes: Scopes.optional().describe("the scopes whose automations see this table's events (default: the source's)"),
  })
  .meta({ id: "DatabaseTable" });

export const DatabaseSourceSchema = z
  .strictObject({
    name: z
      .string()
      .regex(SLUG_RE, "a source name is url-safe: lower-case letters, digits, - and _ (at most 64), e.g. shop")
      .describe("the source's name: in resource ids (postgres.<name>.…) and the events' origin"),
    url_env: EnvName.optional().describe(
      "the environment variable holding the postgres:// URL; leave it out to capture tables of hookline's own database",
    ),
    install: z.boolean().default(false).describe("install or upgrade the capture when the server starts (else: hookline db install)"),
    capture_schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,39}$/, "capture_schema: lower-case letters, digits and _ (at most 40), e.g. hookline_capture")
      .default(DEFAULT_CAPTURE_SCHEMA)
      .describe("the schema hookline creates in the source database for its log, registry and trigger functions"),
    scopes: Scopes.default(["server"]).describe("the scopes whose automations see this source's events"),
    batch_size: z.int().min(1).max(5000).default(500).describe("log rows read per batch"),
    poll_interval: Duration.default("0.2s").describe("how long an idle reader waits before it looks again (at most 60 s)"),
    retention: Duration.default("1d").describe("how long delivered log rows are kept in the source database (0: deleted once delivered)"),
    max_image_bytes: z
      .int()
      .min(1024)
      .max(655_360)
      .default(262_144)
      .describe("each row image (old, new) in an event is at most this many bytes of JSON; larger values are cut (docs/database.md)"),
    tables: z.array(DatabaseTableSchema).min(1, "tables must list at least one table").describe("the tables whose changes become events"),
  })
  .meta({ id: "DatabaseSource" });

export const DatabaseFile = z
  .strictObject({ sources: z.array(DatabaseSourceSchema).describe("the databases to capture changes from") })
  .meta({ title: "hookline database sources" });

export type RawDatabaseSource = z.output<typeof DatabaseSourceSchema>;
export type RawDatabaseTable = z.output<typeof DatabaseTableSchema>;

/** The JSON Schema (draft 2020-12) of database.yaml, for editors; committed as schema/database.schema.json. */
export function databaseJsonSchema(): object {
  return z.toJSONSchema(DatabaseFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

export function databaseJsonSchemaText(): string {
  return `${JSON.stringify(databaseJsonSchema(), null, 2)}\n`;
}
