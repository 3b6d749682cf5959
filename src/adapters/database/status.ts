/**
 * `hookline db status` and `GET /api/database/sources`: is the capture installed, at which layout version, is
 * each configured table captured as the config asks (its triggers present, its definition current), and how
 * many changes wait for delivery, since when; and whether another role can now run code as the capture's functions
 * through a captured column type's cast to JSON (a cast or an owner changed after install: json-cast-hazards.ts).
 */
import type { Db } from "../../store/sql/db.js";
import { CAPTURE_VERSION, planTable, tableCaptureSql, triggerName, type DatabaseSource } from "../../database/index.js";
import { readCatalogTable } from "./catalog.js";
import { readJsonCastHazards } from "./json-cast-hazards.js";
import { createCaptureReader } from "./reader.js";
import { readMeta, readRegistry } from "./registry.js";

export interface TableStatus {
  schema: string;
  table: string;
  /** in database.yaml */
  configured: boolean;
  /** its triggers are installed */
  captured: boolean;
  /** the operations whose trigger exists */
  triggers: string[];
  /** what differs from the config, with the fix (empty: up to date) */
  drift: string[];
  backlog: number;
  /** ISO time of the oldest undelivered change, null when none */
  oldestUndelivered: string | null;
}

export interface CaptureStatus {
  source: string;
  captureSchema: string;
  installed: boolean;
  version: number | null;
  /** this hookline's layout version */
  expectedVersion: number;
  owner: string | null;
  backlog: number;
  oldestUndelivered: string | null;
  tables: TableStatus[];
}

export async function captureStatus(db: Db, source: DatabaseSource): Promise<CaptureStatus> {
  const cs = source.captureSchema;
  const meta = await readMeta(db, cs);
  const status: CaptureStatus = {
    source: source.name,
    captureSchema: cs,
    installed: meta !== null,
    version: meta?.version ?? null,
    expectedVersion: CAPTURE_VERSION,
    owner: meta?.source ?? null,
    backlog: 0,
    oldestUndelivered: null,
    tables: [],
  };
  const registry = meta ? await readRegistry(db, cs) : [];
  const backlog = meta ? new Map((await createCaptureReader(db, cs).backlog()).map((b) => [b.tableId, b])) : new Map();
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  const seen = new Set<number>();
  for (const t of source.tables) {
    const known = registry.find((r) => r.schema === t.schema && r.table === t.table);
    const facts = await readCatalogTable(db, t.schema, t.table);
    const triggers = (["insert", "update", "delete"] as const).filter((op) => facts.triggers.includes(triggerName(cs, op)));
    const drift: string[] = [];
    const plan = planTable(t, facts);
    if (!plan.ok) drift.push(...plan.problems);
    else if (!known || known.removedAt !== null) drift.push("not captured yet: run `hookline db install --source " + source.name + "`");
    else {
      if (tableCaptureSql(cs, known.id, plan.plan).definition !== known.definition)
        drift.push(
          `captured with another configuration (or the table, or hookline's capture SQL, changed): run \`hookline db install --source ${source.name}\``,
        );
      const missing = plan.plan.triggers.filter((op) => !triggers.includes(op));
      if (missing.length > 0)
        drift.push(
          `the ${missing.join(", ")} trigger${missing.length === 1 ? " is" : "s are"} missing: run \`hookline db install --source ${source.name}\``,
        );
      // a cast to JSON (or an owner) changed since install: another role can run code as the capture's functions
      for (const line of await readJsonCastHazards(db, cs, plan.plan)) drift.push(`unsafe (HOOKLINE_DB_UNSAFE_TYPE): ${line}`);
    }
    if (known) seen.add(known.id);
    const b = known ? backlog.get(known.id) : undefined;
    status.tables.push({
      schema: t.schema,
      table: t.table,
      configured: true,
      captured: triggers.length > 0,
      triggers,
      drift,
      backlog: b?.backlog ?? 0,
      oldestUndelivered: iso(b?.oldest),
    });
  }
  for (const r of registry) {
    if (seen.has(r.id)) continue;
    const b = backlog.get(r.id);
    if (r.removedAt !== null && (b?.backlog ?? 0) === 0) continue;
    status.tables.push({
      schema: r.schema,
      table: r.table,
      configured: false,
      captured: r.removedAt === null,
      triggers: r.operations,
      drift:
        r.removedAt === null
          ? [`not in database.yaml any more: run \`hookline db install --source ${source.name}\` to stop capturing it`]
          : [],
      backlog: b?.backlog ?? 0,
      oldestUndelivered: iso(b?.oldest),
    });
  }
  for (const b of backlog.values()) {
    status.backlog += b.backlog;
    if (b.oldest !== null && (status.oldestUndelivered === null || b.oldest < Date.parse(status.oldestUndelivered)))
      status.oldestUndelivered = iso(b.oldest);
  }
  return status;
}
