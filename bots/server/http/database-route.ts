/**
 * The operator's view of database change sources (docs/database.md "Operator tools"), behind /api's token:
 *
 *   GET  /api/database/sources                  every source: its tables (captured as configured? drift?),
 *                                               the backlog of undelivered changes and its oldest, the reader's
 *                                               last error
 *   POST /api/database/sources/:source/invoke   { "table": "orders", "schema"?: "public", "key": { "id": "42" } }
 *                                               logs the row as a MANUAL change (tables with `manual` only);
 *                                               202 with the log id and the id of the event it becomes
 */
import { captureStatus, DatabaseSourceError, invokeRow } from "../../../src/adapters/database/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import type { PartsHandler } from "./context.js";
import { readJson } from "./json-body.js";

const NONE = "no database sources are configured: add database.yaml to the configuration folder (docs/database.md)";

export const getDatabaseSources: PartsHandler = async (ctx, parts) => {
  const out = [];
  for (const h of parts.database?.sources.values() ?? []) {
    const conn = h.connection();
    let status: unknown = null;
    let error = h.lastError();
    if (conn) {
      try {
        status = await captureStatus(conn.db, h.source);
      } catch (err) {
        error = { code: "HOOKLINE_DB_UNREACHABLE", message: (err as Error).message };
      }
    }
    out.push({
      name: h.source.name,
      url_env: h.source.urlEnv,
      capture_schema: h.source.captureSchema,
      install: h.source.install,
      scopes: h.source.scopes,
      tables: h.source.tables.map((t) => ({ schema: t.schema, table: t.table, operations: t.operations, scopes: t.scopes })),
      status,
      error,
    });
  }
  sendJson(ctx.res, 200, { sources: out });
};

export const postInvoke: PartsHandler = async (ctx, parts) => {
  const name = ctx.params.source!;
  const handle = parts.database?.sources.get(name);
  if (!handle) {
    const known = [...(parts.database?.sources.keys() ?? [])];
    return sendError(
      ctx.res,
      404,
      "HOOKLINE_DB_SOURCE_NOT_FOUND",
      known.length ? `no database source ${JSON.stringify(name.slice(0, 100))}: sources are ${known.join(", ")}` : NONE,
    );
  }
  const body = await readJson(ctx);
  if (!body) return;
  const v = body.value as Record<string, unknown> | null;
  const key = v?.key;
  const keyOk =
    (Array.isArray(key) && key.every((k) => typeof k === "string")) ||
    (key !== null && typeof key === "object" && !Array.isArray(key) && Object.values(key).every((k) => typeof k === "string"));
  if (
    v === null ||
    typeof v !== "object" ||
    Array.isArray(v) ||
    typeof v.table !== "string" ||
    (v.schema !== undefined && typeof v.schema !== "string") ||
    !keyOk ||
    Object.keys(v).some((k) => !["table", "schema", "key"].includes(k))
  ) {
    return sendError(
      ctx.res,
      400,
      "HOOKLINE_DB_BAD_INVOKE",
      'send { "table": "<name>", "schema": "<schema, default public>", "key": { "<primary key column>": "<value as text>" } }',
    );
  }
  const conn = handle.connection();
  if (!conn)
    return sendError(
      ctx.res,
      503,
      "HOOKLINE_DB_UNREACHABLE",
      `source ${name} is not connected yet: ${handle.lastError()?.message ?? "retry in a moment"}`,
    );
  try {
    const r = await invokeRow(conn.db, handle.source, {
      schema: (v.schema as string | undefined) ?? "public",
      table: v.table,
      key: key as string[] | Record<string, string>,
    });
    ctx.note({ databaseSource: name, logId: r.logId });
    handle.wake();
    sendJson(ctx.res, 202, { log_id: r.logId, event_id: r.eventId });
  } catch (err) {
    if (!(err instanceof DatabaseSourceError)) throw err;
    const status =
      err.code === "HOOKLINE_DB_ROW_NOT_FOUND" || err.code === "HOOKLINE_DB_TABLE_UNKNOWN"
        ? 404
        : // the database's state, not the request: not installed, or a column another role could hook
          err.code === "HOOKLINE_DB_NOT_INSTALLED" || err.code === "HOOKLINE_DB_UNSAFE_TYPE"
          ? 409
          : 400;
    sendError(ctx.res, status, err.code, err.message, err.problems.length ? { problems: err.problems } : {});
  }
};
