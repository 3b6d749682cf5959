/** Opens the database the server's SQL store runs on: PostgreSQL when a URL is given, else embedded PGlite. */
import type { Db } from "../store/sql/db.js";
import { SqlStoreError } from "../store/sql/errors.js";

export interface OpenDatabaseOptions {
  /** `postgres://…` / `postgresql://…` (DATABASE_URL): PostgreSQL. Unset: embedded PGlite. */
  url?: string;
  /** PGlite data folder (created when missing); unset: in memory (lost on exit). Ignored with `url`. */
  dataDir?: string;
  /** PostgreSQL pool size (default 10) */
  max?: number;
}

/** Picks the engine: PostgreSQL when `url` is given, else PGlite in `dataDir` (or in memory). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Db> {
  const url = options.url?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      throw new SqlStoreError(
        "HOOKLINE_DB_URL_INVALID",
        `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.split(":")[0]}:…"); unset it to use the embedded database.`,
      );
    }
    const { openPostgres } = await import("./postgres-db.js");
    return openPostgres(url, { max: options.max ?? 10 });
  }
  const { openPglite } = await import("./pglite-db.js");
  return openPglite(options.dataDir);
}
