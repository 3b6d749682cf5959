/**
 * `POST /api/database/sources/:source/replay` (docs/database.md "Replay"): the delivered changes captured in a
 * time range go through the automations again, as new events (ids derived from the replay id and the original
 * event; `payload.hookline.replay` names both). A dry run (the default) only counts them, per table and
 * operation; `"dry_run": false` replays. The same replay id replays as the same events (a retried request is
 * stored once).
 *
 *   { "from": "<ISO>", "to": "<ISO>", "dry_run": true, "id": "<optional replay id>" }
 */
import { randomUUID } from "node:crypto";
import { countReplay, readMeta, readRegistry, readReplay } from "../../../src/adapters/database/index.js";
import { sendError, sendJson } from "../../../src/adapters/http-server/respond.js";
import { translateChange } from "../../../src/database/index.js";
import type { IngestItem } from "../../../src/store/server-types.js";
import { capturedTables } from "../work/index.js";
import type { PartsHandler } from "./context.js";
import { readJson } from "./json-body.js";

/** the most changes one replay request sends: narrow the range for more */
export const MAX_REPLAY_CHANGES = 100_000;
const REPLAY_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const USAGE = 'send { "from": "<ISO time>", "to": "<ISO time>", "dry_run": true|false (default true), "id": "<optional replay id>" }';

export const postReplay: PartsHandler = async (ctx, parts) => {
  const name = ctx.params.source!;
  const handle = parts.database?.sources.get(name);
  if (!handle) return sendError(ctx.res, 404, "HOOKLINE_DB_SOURCE_NOT_FOUND", `no database source ${JSON.stringify(name.slice(0, 100))}`);
  const body = await readJson(ctx);
  if (!body) return;
  const v = body.value as Record<string, unknown> | null;
  const from = typeof v?.from === "string" ? Date.parse(v.from) : NaN;
  const to = typeof v?.to === "string" ? Date.parse(v.to) : NaN;
  if (
    v === null ||
    typeof v !== "object" ||
    Array.isArray(v) ||
    Object.keys(v).some((k) => !["from", "to", "dry_run", "id"].includes(k)) ||
    !Number.isFinite(from) ||
    !Number.isFinite(to) ||
    (v.dry_run !== undefined && typeof v.dry_run !== "boolean") ||
    (v.id !== undefined && (typeof v.id !== "string" || !REPLAY_ID.test(v.id)))
  ) {
    return sendError(ctx.res, 400, "HOOKLINE_DB_BAD_REPLAY", USAGE);
  }
  if (from >= to) return sendError(ctx.res, 400, "HOOKLINE_DB_BAD_REPLAY", "`from` must be before `to`");
  const conn = handle.connection();
  if (!conn) return sendError(ctx.res, 503, "HOOKLINE_DB_UNREACHABLE", `source ${name} is not connected yet: retry in a moment`);
  const cs = handle.source.captureSchema;
  const meta = await readMeta(conn.db, cs);
  if (!meta) return sendError(ctx.res, 409, "HOOKLINE_DB_NOT_INSTALLED", `source ${name}: the capture is not installed`);

  const range = { from, to };
  const counts = await countReplay(conn.db, cs, range);
  const total = counts.reduce((n, c) => n + c.changes, 0);
  if (v.dry_run !== false) return sendJson(ctx.res, 200, { dry_run: true, changes: total, tables: counts });
  if (total > MAX_REPLAY_CHANGES) {
    return sendError(
      ctx.res,
      400,
      "HOOKLINE_DB_REPLAY_TOO_LARGE",
      `the range holds ${total} changes, over ${MAX_REPLAY_CHANGES} per replay: replay it in shorter ranges`,
    );
  }

  const replayId = (v.id as string | undefined) ?? randomUUID();
  const tables = capturedTables(handle.source, await readRegistry(conn.db, cs));
  const context = { source: name, installId: meta.installId, maxImageBytes: handle.source.maxImageBytes, scopes: handle.source.scopes };
  let inserted = 0;
  let duplicates = 0;
  for await (const batch of readReplay(conn.db, cs, range, handle.source.batchSize)) {
    const items: IngestItem[] = [];
    for (const { tableId, row } of batch) {
      const table = tables.get(tableId);
      if (!table) continue;
      const t = translateChange(context, table, row, { id: replayId });
      items.push({ event: t.event, scopes: t.scopes, origin: { kind: "database", name } });
    }
    const r = await parts.ingest(items, "database", { databaseSource: name, replay: replayId });
    inserted += r.inserted.length;
    duplicates += r.duplicates.length;
  }
  ctx.note({ databaseSource: name, replay: replayId, inserted, duplicates });
  sendJson(ctx.res, 202, { dry_run: false, id: replayId, changes: total, inserted, duplicates, tables: counts });
};
