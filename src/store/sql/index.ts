/** The server's SQL store: open a database, migrate it, and put the ServerStore port on it. */
export { type Db, type QueryResult } from "./db.js";
export { migrate, type MigrateResult } from "./migrate.js";
export { MIGRATIONS, type Migration } from "./migrations/index.js";
export { createSqlStore } from "./sql-store.js";
export { dumpSchema } from "./schema-dump.js";
export { SqlStoreError } from "./errors.js";
export { MAX_EVENTS_PAGE } from "./list-events.js";
export { MAX_REPLAY_PAGE } from "./replay-page.js";
export { MAX_FIRINGS_PAGE } from "./queries.js";
