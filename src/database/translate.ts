/**
 * One captured change (a log row) → one standard event (docs/database.md "Events"). Deterministic: the same
 * log row always gives the same event, so a row read again after a crash is a duplicate the store drops.
 *
 * - id: UUIDv5 of (source, the capture's install id, the log row id): nothing in the row's content takes part.
 * - event: `postgres.<schema>.<table>.inserted|updated|deleted|invoked`, from the configured names only.
 * - resource: `postgres.<source>.<schema>.<table>.<primary key>`, with labels for the source, schema, table,
 *   operation and the configured label columns (`postgres.row.<column>`; `postgres.old.<column>` for updates).
 * - related: the table, the transaction, and the origin (`hookline.origin.database.<source>`) no row can forge.
 * - payload: the body Hasura's event triggers send (`op`, `data.old`, `data.new`, `trigger`, `table`, …), plus
 *   `hookline` (source, log id, transaction id, capture time, truncations).
 * - a replay (POST /api/database/sources/<source>/replay) is the same translation with its own ids, derived
 *   from the replay's id as well, and `hookline.replay` naming the replay and the original event.
 */
import type { HooklineEvent, Resource } from "../events/event-schema.js";
import { isoOf } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { withOrigin } from "../events/origin.js";
import { uuidv5 } from "../events/uuid.js";
import { utf8Length } from "../automations/yaml-source.js";
import { parseRowJson } from "./exact-json.js";
import { fitImage, prefixOf, type Cut } from "./truncate.js";
import { VERB_OF, type CapturedTable, type LogRow } from "./types.js";

/** label values are cut to this many characters */
export const MAX_LABEL_CHARS = 1024;

export interface TranslateContext {
  /** the source's name */
  source: string;
  /** the capture's random install id (meta.install_id) */
  installId: string;
  maxImageBytes: number;
  /** the scopes a table without its own take */
  scopes: readonly string[];
}

/** A replay of captured changes: its id makes the replayed events new (and a repeated replay the same again). */
export interface ReplayMark {
  id: string;
}

export interface TranslatedChange {
  event: HooklineEvent;
  scopes: string[];
}

/**
 * The event id of a change: the same log row (and place in it) of the same installed capture is always the same
 * event. A change alone in its log row has the id of layout 1 (so an upgrade does not repeat an event).
 */
export function changeEventId(source: string, installId: string, logId: string, index: number | null = null): string {
  return uuidv5(`database:${source}:${installId}:${index === null ? logId : `${logId}.${index}`}`);
}

/** The key's text in resource ids: one column as it is; several joined by `,` (each with `%` and `,` escaped). */
export function keyText(key: readonly (string | null)[]): string {
  if (key.length === 1) return key[0] ?? "";
  return key.map((k) => (k ?? "").replace(/%/g, "%25").replace(/,/g, "%2C")).join(",");
}

export function tableResourceId(source: string, schema: string, table: string): string {
  return `postgres.${source}.${schema}.${table}`;
}

function image(text: string | null): { value: Record<string, unknown> | null; size: number } {
  if (text === null) return { value: null, size: 0 };
  const parsed = parseRowJson(text);
  // a row image is always a JSON object (to_json of a row); anything else is kept under `value`
  const value =
    parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  return { value, size: utf8Length(text) };
}

function labelValue(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return prefixOf(typeof v === "string" ? v : JSON.stringify(v), MAX_LABEL_CHARS);
}

function sessionVariables(text: string | null): Record<string, string> | null {
  if (text === null || text === "") return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
    return out;
  } catch {
    return null;
  }
}

export function translateChange(ctx: TranslateContext, table: CapturedTable, row: LogRow, replay?: ReplayMark): TranslatedChange {
  const original = changeEventId(ctx.source, ctx.installId, row.id, row.index ?? null);
  const id = replay ? uuidv5(`database-replay:${replay.id}:${original}`) : original;
  const key = keyText(row.key);
  const occurred = isoOf(row.capturedAt);
  const oldImage = image(row.oldRow);
  const newImage = image(row.newRow);

  const resource: Resource = {
    [RESOURCE_ID]: `${tableResourceId(ctx.source, table.schema, table.table)}.${key}`,
    [RESOURCE_NAME]: `${table.schema}.${table.table} ${key}`,
    "postgres.source": ctx.source,
    "postgres.schema": table.schema,
    "postgres.table": table.table,
    "postgres.operation": row.op,
  };
  const current = newImage.value ?? oldImage.value;
  for (const column of table.config?.labels ?? []) {
    const now = current && Object.hasOwn(current, column) ? labelValue(current[column]) : undefined;
    if (now !== undefined) resource[`postgres.row.${column}`] = now;
    if (row.op === "UPDATE" && oldImage.value && Object.hasOwn(oldImage.value, column)) {
      const before = labelValue(oldImage.value[column]);
      if (before !== undefined) resource[`postgres.old.${column}`] = before;
    }
  }

  const cuts: Cut[] = [];
  const fit = (img: ReturnType<typeof image>, which: Cut["image"]) => {
    if (img.value === null) return null;
    const r = fitImage(img.value, img.size, ctx.maxImageBytes, which);
    cuts.push(...r.cuts);
    return r.image;
  };
  const data = { old: fit(oldImage, "old"), new: fit(newImage, "new") };

  const hookline: Record<string, unknown> = { source: ctx.source, log_id: row.id, transaction_id: row.txid, captured_at: occurred };
  if (row.index !== undefined && row.index !== null) hookline.log_index = row.index;
  if (cuts.length > 0) hookline.truncated = cuts;
  if (replay) hookline.replay = { id: replay.id, original_event_id: original };
  const event: HooklineEvent = {
    id,
    occurred,
    event: `postgres.${table.schema}.${table.table}.${VERB_OF[row.op]}`,
    resource,
    related: [
      {
        [RESOURCE_ID]: tableResourceId(ctx.source, table.schema, table.table),
        [RESOURCE_ROLE]: "table",
        [RESOURCE_NAME]: `${table.schema}.${table.table}`,
      },
      { [RESOURCE_ID]: `postgres.${ctx.source}.transaction.${row.txid}`, [RESOURCE_ROLE]: "transaction" },
    ],
    payload: {
      id,
      created_at: occurred,
      trigger: { name: table.triggerName },
      table: { schema: table.schema, name: table.table },
      event: { op: row.op, data, session_variables: sessionVariables(row.session) },
      delivery_info: { max_retries: 0, current_retry: 0 },
      hookline,
    },
    follows: null,
  };
  return { event: withOrigin(event, { kind: "database", name: ctx.source }), scopes: [...(table.config?.scopes ?? ctx.scopes)] };
}
