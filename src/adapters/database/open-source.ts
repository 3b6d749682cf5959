/**
 * The connection to a source database: its own pool from the URL in the variable `url_env` names, or
 * hookline's own database (the store's Db) when the source names none. Errors name the variable and the fix;
 * the URL itself (it holds a password) never appears in a message.
 */
import type { Db } from "../../store/sql/db.js";
import type { DatabaseSource } from "../../database/index.js";
import { openPostgres } from "../postgres-db.js";
import { DatabaseSourceError } from "./errors.js";
import { isHooklineCode } from "../../errors/index.js";

export interface SourceConnection {
  db: Db;
  /** true: hookline's own database (closing the connection leaves it open) */
  shared: boolean;
  close(): Promise<void>;
}

export async function openSource(
  source: DatabaseSource,
  env: Readonly<Record<string, string | undefined>>,
  own: Db | null,
  options: { max?: number } = {},
): Promise<SourceConnection> {
  if (source.urlEnv === null) {
    if (own === null) {
      throw new DatabaseSourceError(
        "HOOKLINE_DB_SOURCE_NEEDS_URL",
        `source ${source.name} captures hookline's own database, which this command cannot open: set DATABASE_URL to it, or give the source a \`url_env\``,
      );
    }
    return { db: own, shared: true, close: async () => {} };
  }
  const url = env[source.urlEnv]?.trim();
  if (!url) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_SOURCE_URL_UNSET",
      `source ${source.name}: ${source.urlEnv} is not set: set it to the postgres:// URL of the database to capture`,
    );
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new DatabaseSourceError(
      "HOOKLINE_DB_SOURCE_URL_INVALID",
      `source ${source.name}: ${source.urlEnv} must be a postgres:// (or postgresql://) URL`,
    );
  }
  try {
    const db = await openPostgres(url, { max: options.max ?? 4 });
    return { db, shared: false, close: () => db.close() };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const code = isHooklineCode(e.code) ? e.code : "HOOKLINE_DB_UNREACHABLE";
    const message = (e.message ?? String(err))
      .replace(/check DATABASE_URL[^.]*\./, `check ${source.urlEnv}.`)
      .replace(/ in DATABASE_URL/, ` in ${source.urlEnv}`);
    throw new DatabaseSourceError(code, `source ${source.name} (${source.urlEnv}): ${message}`, [], { cause: err });
  }
}
