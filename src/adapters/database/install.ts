/**
 * `hookline db install` (and `install: true` at server start): creates or upgrades the capture of a source in
 * ONE transaction, so a failed install changes nothing. Idempotent: a table whose capture is already what the
 * config asks for is left alone (no lock is taken on it); a changed one gets its functions replaced and its
 * triggers dropped and created again in the same transaction (writers never see a moment without capture);
 * a table removed from the config loses its triggers (its captured changes are still delivered).
 * `lock_timeout` keeps a busy table from queueing every writer behind the install. It refuses a column whose type
 * another role could hook with a cast to JSON, run as the capture's functions (json-cast-hazards.ts).
 */
import type { Db } from "../../store/sql/db.js";
import {
  CAPTURE_LOCK_SQL,
  CAPTURE_MIGRATIONS,
  CAPTURE_VERSION,
  captureBaseSql,
  captureLockKey,
  dropTableCaptureSql,
  planTable,
  qualified,
  quoteIdent,
  tableCaptureSql,
  triggerName,
  type DatabaseSource,
  type TablePlan,
} from "../../database/index.js";
import { readCatalogTable, schemaExists } from "./catalog.js";
import { DatabaseSourceError } from "./errors.js";
import { readJsonCastHazards } from "./json-cast-hazards.js";
import { readMeta, readRegistry } from "./registry.js";

export const INSTALL_LOCK_TIMEOUT = "10s";

export interface InstallReport {
  source: string;
  captureSchema: string;
  /** the layout version before (0: not installed) and after */
  fromVersion: number;
  version: number;
  installId: string;
  tables: { schema: string; table: string; action: "installed" | "updated" | "unchanged" | "removed" }[];
}

function ownedByOther(cs: string, owner: string, source: string): DatabaseSourceError {
  return new DatabaseSourceError(
    "HOOKLINE_DB_CAPTURE_OWNED",
    `the capture schema ${cs} of this database belongs to source \`${owner}\`, not \`${source}\`: give this source its own \`capture_schema\`, or rename it back`,
  );
}

async function lockedTx<T>(db: Db, cs: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '${INSTALL_LOCK_TIMEOUT}'`);
    await tx.query(CAPTURE_LOCK_SQL, [captureLockKey(cs)]);
    return fn(tx);
  });
}

function lockTimeout(err: unknown, source: string): unknown {
  if ((err as { code?: unknown })?.code !== "55P03") return err;
  return new DatabaseSourceError(
    "HOOKLINE_DB_LOCK_TIMEOUT",
    `source ${source}: a table stayed locked by other transactions for ${INSTALL_LOCK_TIMEOUT} (long transactions, or a busy table): nothing was changed; try again`,
    [],
    { cause: err },
  );
}

export async function installCapture(db: Db, source: DatabaseSource, newInstallId: () => string): Promise<InstallReport> {
  const cs = source.captureSchema;
  try {
    return await lockedTx(db, cs, async (tx) => {
      for (const s of captureBaseSql(cs)) await tx.query(s);
      const meta = await readMeta(tx, cs);
      if (meta && meta.source !== source.name) throw ownedByOther(cs, meta.source, source.name);
      if (meta && meta.version > CAPTURE_VERSION) {
        throw new DatabaseSourceError(
          "HOOKLINE_DB_CAPTURE_NEWER",
          `the capture schema ${cs} has layout version ${meta.version}, newer than this hookline's ${CAPTURE_VERSION}: use the newer hookline`,
        );
      }
      const fromVersion = meta?.version ?? 0;
      for (const m of CAPTURE_MIGRATIONS) if (m.version > fromVersion) for (const s of m.statements(cs)) await tx.query(s);
      const installId = meta?.installId ?? newInstallId();
      if (!meta) {
        await tx.query(`INSERT INTO ${quoteIdent(cs)}.meta (version, install_id, source) VALUES ($1, $2::uuid, $3)`, [
          CAPTURE_VERSION,
          installId,
          source.name,
        ]);
      } else if (fromVersion < CAPTURE_VERSION) {
        await tx.query(`UPDATE ${quoteIdent(cs)}.meta SET version = $1, updated_at = now()`, [CAPTURE_VERSION]);
      }

      // plan every table first: one problem anywhere and nothing is installed
      const plans: { plan: TablePlan; triggers: string[] }[] = [];
      const problems: string[] = [];
      for (const t of source.tables) {
        const facts = await readCatalogTable(tx, t.schema, t.table);
        const r = planTable(t, facts);
        if (r.ok) plans.push({ plan: r.plan, triggers: facts.triggers });
        else problems.push(...r.problems);
      }
      if (problems.length > 0) {
        throw new DatabaseSourceError(
          "HOOKLINE_DB_INSTALL_FAILED",
          `source ${source.name}: the capture was not installed (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was changed`,
          problems,
        );
      }

      const report: InstallReport = {
        source: source.name,
        captureSchema: cs,
        fromVersion,
        version: CAPTURE_VERSION,
        installId,
        tables: [],
      };
      const registry = new Map((await readRegistry(tx, cs)).map((r) => [`${r.schema}\u0000${r.table}`, r]));
      const tables = qualified(cs, "tables");
      for (const { plan, triggers } of plans) {
        const known = registry.get(`${plan.schema}\u0000${plan.table}`);
        registry.delete(`${plan.schema}\u0000${plan.table}`);
        const operations = [...plan.triggers];
        let id: number;
        if (
          known &&
          known.removedAt === null &&
          known.triggerName === plan.triggerName &&
          known.keyColumns.join("\u0000") === plan.keyColumns.join("\u0000") &&
          known.operations.join(",") === operations.join(",")
        ) {
          id = known.id;
        } else {
          const { rows } = await tx.query<{ id: number }>(
            `INSERT INTO ${tables} (schema_name, table_name, key_columns, trigger_name, operations, definition)
             VALUES ($1, $2, $3::text[], $4, $5::text[], '')
             ON CONFLICT (schema_name, table_name) DO UPDATE
             SET key_columns = EXCLUDED.key_columns, trigger_name = EXCLUDED.trigger_name, operations = EXCLUDED.operations, removed_at = NULL
             RETURNING id`,
            [plan.schema, plan.table, plan.keyColumns, plan.triggerName, operations],
          );
          id = rows[0]!.id;
        }
        const sql = tableCaptureSql(cs, id, plan);
        const present = (["insert", "update", "delete"] as const).filter((op) => triggers.includes(triggerName(cs, op)));
        const wanted = plan.triggers;
        if (known && known.definition === sql.definition && present.join(",") === wanted.join(",")) {
          report.tables.push({ schema: plan.schema, table: plan.table, action: "unchanged" });
          continue;
        }
        for (const s of sql.statements) await tx.query(s);
        await tx.query(`UPDATE ${tables} SET definition = $2, installed_at = now() WHERE id = $1`, [id, sql.definition]);
        report.tables.push({ schema: plan.schema, table: plan.table, action: known && known.definition !== "" ? "updated" : "installed" });
      }
      // the functions exist now (a replaced one keeps its first owner): refuse, rolling everything back, when a
      // role other than their owner or a superuser could run code in them through a column type's cast to JSON
      const unsafe: string[] = [];
      for (const { plan } of plans) unsafe.push(...(await readJsonCastHazards(tx, cs, plan)));
      if (unsafe.length > 0) {
        throw new DatabaseSourceError(
          "HOOKLINE_DB_UNSAFE_TYPE",
          `source ${source.name}: the capture was not installed: another role could run code as its functions through a captured column's cast to JSON (${unsafe.length} problem${unsafe.length === 1 ? "" : "s"}); nothing was changed`,
          unsafe,
        );
      }
      // registry rows the config no longer lists: stop capturing them (their log rows stay, and are delivered)
      for (const gone of registry.values()) {
        if (gone.removedAt !== null) continue;
        const exists = (await readCatalogTable(tx, gone.schema, gone.table)).kind !== null;
        for (const s of dropTableCaptureSql(cs, gone.id, exists ? gone : null)) await tx.query(s);
        await tx.query(`UPDATE ${tables} SET removed_at = now(), operations = '{}' WHERE id = $1`, [gone.id]);
        report.tables.push({ schema: gone.schema, table: gone.table, action: "removed" });
      }
      return report;
    });
  } catch (err) {
    throw lockTimeout(err, source.name);
  }
}

export interface UninstallReport {
  source: string;
  captureSchema: string;
  /** false: nothing was installed */
  wasInstalled: boolean;
  /** the triggers of these tables were dropped */
  tables: string[];
  /** changes captured but not delivered yet */
  undelivered: number;
  /** the capture schema (log included) was dropped */
  schemaDropped: boolean;
}

/**
 * `hookline db uninstall`: drops the triggers of every captured table (capture stops), then the whole capture
 * schema, unless changes are still waiting for delivery: then the schema stays (a running server delivers
 * them; uninstall again afterwards) unless `force` discards them.
 */
export async function uninstallCapture(db: Db, source: DatabaseSource, options: { force?: boolean } = {}): Promise<UninstallReport> {
  const cs = source.captureSchema;
  try {
    return await lockedTx(db, cs, async (tx) => {
      const report: UninstallReport = {
        source: source.name,
        captureSchema: cs,
        wasInstalled: false,
        tables: [],
        undelivered: 0,
        schemaDropped: false,
      };
      if (!(await schemaExists(tx, cs))) return report;
      report.wasInstalled = true;
      const meta = await readMeta(tx, cs);
      if (meta && meta.source !== source.name && !options.force) throw ownedByOther(cs, meta.source, source.name);
      const registry = meta ? await readRegistry(tx, cs) : [];
      for (const r of registry) {
        const exists = (await readCatalogTable(tx, r.schema, r.table)).kind !== null;
        for (const s of dropTableCaptureSql(cs, r.id, exists ? r : null)) await tx.query(s);
        if (r.removedAt === null) report.tables.push(`${r.schema}.${r.table}`);
      }
      if (meta) {
        const { rows } = await tx.query<{ n: string }>(
          `SELECT coalesce(sum(changes), 0) AS n FROM ${qualified(cs, "log")} WHERE delivered_at IS NULL`,
        );
        report.undelivered = Number(rows[0]?.n ?? 0);
        await tx.query(`UPDATE ${qualified(cs, "tables")} SET removed_at = coalesce(removed_at, now()), operations = '{}'`);
      }
      if (report.undelivered === 0 || options.force) {
        await tx.query(`DROP SCHEMA ${quoteIdent(cs)} CASCADE`);
        report.schemaDropped = true;
      }
      return report;
    });
  } catch (err) {
    throw lockTimeout(err, source.name);
  }
}
