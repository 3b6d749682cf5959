/**
 * `manual` (Hasura's "invoke event trigger"): logs the current row with a given primary key as a MANUAL change,
 * so it is delivered in order with the row's other changes and becomes a `postgres.<schema>.<table>.invoked`
 * event. Only tables whose config lists `manual` may be invoked; the key is matched by the primary key's index.
 * The row's image is built on this connection, as its role, not in the capture's functions: a cast to JSON that
 * another role could hook (json-cast-hazards.ts) would run as the server's role, so such a row is refused.
 */
import type { Db } from "../../store/sql/db.js";
import { changeEventId, planTable, type DatabaseSource } from "../../database/index.js";
import { readCatalogTable } from "./catalog.js";
import { DatabaseSourceError } from "./errors.js";
import { readJsonCastHazards } from "./json-cast-hazards.js";
import { createCaptureReader } from "./reader.js";
import { readMeta, readRegistry } from "./registry.js";

export interface InvokeResult {
  logId: string;
  /** the id of the event the change becomes */
  eventId: string;
}

/** `key`: the primary key's values as text, in key order (or by column name). */
export async function invokeRow(
  db: Db,
  source: DatabaseSource,
  target: { schema: string; table: string; key: string[] | Record<string, string> },
): Promise<InvokeResult> {
  const name = `${target.schema}.${target.table}`;
  const config = source.tables.find((t) => t.schema === target.schema && t.table === target.table);
  if (!config) {
    const known = source.tables.map((t) => `${t.schema}.${t.table}`).join(", ");
    throw new DatabaseSourceError("HOOKLINE_DB_TABLE_UNKNOWN", `source ${source.name} does not capture ${name}: its tables are ${known}`);
  }
  if (!config.operations.includes("manual")) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_MANUAL_NOT_ALLOWED",
      `${name} of source ${source.name} does not allow invoking a row: add \`manual\` to its operations in database.yaml`,
    );
  }
  const meta = await readMeta(db, source.captureSchema);
  const registered = meta
    ? (await readRegistry(db, source.captureSchema)).find((r) => r.schema === target.schema && r.table === target.table)
    : undefined;
  if (!meta || !registered || registered.removedAt !== null) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_NOT_INSTALLED",
      `${name} of source ${source.name} is not captured yet: run \`hookline db install --source ${source.name}\``,
    );
  }
  const planned = planTable(config, await readCatalogTable(db, target.schema, target.table));
  if (!planned.ok)
    throw new DatabaseSourceError("HOOKLINE_DB_INSTALL_FAILED", `${name}: the table no longer matches the config`, planned.problems);
  const plan = planned.plan;
  const key = Array.isArray(target.key) ? target.key : plan.keyColumns.map((k) => (target.key as Record<string, string>)[k]);
  if (key.length !== plan.keyColumns.length || key.some((k) => typeof k !== "string")) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_BAD_KEY",
      `${name}'s primary key is (${plan.keyColumns.join(", ")}): give ${plan.keyColumns.length === 1 ? "its value" : "their values"} as text, e.g. { "key": { ${plan.keyColumns.map((k) => `"${k}": "42"`).join(", ")} } }`,
    );
  }
  // the image is turned into JSON as this connection's role: refuse what another role could run code in
  const hazards = await readJsonCastHazards(db, source.captureSchema, plan, true);
  if (hazards.length > 0) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_UNSAFE_TYPE",
      `${name}: the row was not invoked: another role could run code as this connection's role or the capture's through a column's cast to JSON`,
      hazards,
    );
  }
  let logId: string | null;
  try {
    logId = await createCaptureReader(db, source.captureSchema).invoke(registered.id, plan, key as string[]);
  } catch (err) {
    // 22P02 & co: a key value the column's type cannot hold
    if (typeof (err as { code?: unknown }).code === "string" && (err as { code: string }).code.startsWith("22")) {
      throw new DatabaseSourceError(
        "HOOKLINE_DB_BAD_KEY",
        `${name}: ${(err as Error).message}: give the primary key's value as its column's text form`,
      );
    }
    throw err;
  }
  if (logId === null) throw new DatabaseSourceError("HOOKLINE_DB_ROW_NOT_FOUND", `${name} has no row with the key (${key.join(", ")})`);
  return { logId, eventId: changeEventId(source.name, meta.installId, logId) };
}
