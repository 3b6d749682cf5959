/**
 * The migration runner: applies the missing numbered migrations in ONE transaction, recorded in
 * `hookline_migrations`. Several instances starting at once are safe: each takes the same transaction-level
 * advisory lock first, so one migrates and the others then find nothing left to do.
 */
import type { Db } from "./db.js";
import { SqlStoreError } from "./errors.js";
import { MIGRATIONS, type Migration } from "./migrations/index.js";

/** "hookline" in ASCII: the advisory lock every migrating instance takes */
const MIGRATION_LOCK_KEY = "7526485478386199141";

const LOCK = `SELECT pg_advisory_xact_lock($1::bigint)`;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS hookline_migrations (
  id         integer     NOT NULL,
  name       text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT hookline_migrations_pkey PRIMARY KEY (id)
)`;

const SELECT_APPLIED = `SELECT id, name FROM hookline_migrations ORDER BY id`;
const RECORD_APPLIED = `INSERT INTO hookline_migrations (id, name) VALUES ($1, $2)`;

export interface MigrateResult {
  /** ids applied now */
  applied: number[];
  /** the schema version after migrating (the highest id recorded) */
  version: number;
}

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new Error(`migration list out of order: position ${i + 1} holds ${m.id}-${m.name}`);
  });
}

/** Brings the schema up to date. Idempotent; safe to call from every instance at start-up. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  checkList(migrations);
  return db.transaction(async (tx) => {
    await tx.query(LOCK, [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await tx.query<{ id: number; name: string }>(SELECT_APPLIED);
    const done = new Map(rows.map((r) => [r.id, r.name]));
    for (const [id, name] of done) {
      const known = migrations[id - 1];
      if (known && known.name !== name) {
        throw new SqlStoreError(
          "HOOKLINE_DB_MIGRATION_MISMATCH",
          `the database has migration ${id} "${name}" but this hookline calls it "${known.name}": ` +
            "the database was migrated by another hookline build. Use that build, or a fresh database.",
        );
      }
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query(RECORD_APPLIED, [m.id, m.name]);
      applied.push(m.id);
    }
    // a newer build may have migrated further: its extra tables are not ours to judge (rolling deploys)
    const version = Math.max(0, ...done.keys(), ...applied);
    return { applied, version };
  });
}
