/**
 * Database change events (pure core): `database.yaml` → sources; the capture's SQL text (triggers into a log
 * table of hookline's own); a captured change (log row) → a standard event. See docs/database.md.
 */
export * from "./types.js";
export { loadDatabaseConfig, MAX_POLL_SECONDS, MAX_RETENTION_DAYS, type DatabaseLoadResult } from "./load.js";
export { databaseJsonSchema, databaseJsonSchemaText, DatabaseFile, MAX_IDENTIFIER_BYTES, SCOPE_RE } from "./schema.js";
export { planTable, type CatalogTable, type PlanResult, type TablePlan } from "./capture-plan.js";
export {
  CAPTURE_LOCK_SQL,
  CAPTURE_MIGRATIONS,
  CHUNK_OP,
  CHUNK_ROWS,
  TRIGGER_OPS,
  captureBaseSql,
  captureLockKey,
  dropTableCaptureSql,
  functionName,
  imageSql,
  invokeSql,
  readerSql,
  tableCaptureSql,
  triggerName,
  updateConditionSql,
  type TableCaptureSql,
  type TriggerOp,
} from "./capture-sql.js";
export { JSON_CAST_HAZARDS_SQL, describeHazard, type JsonCastHazard } from "./json-cast-hazards.js";
export { quoteIdent, quoteLiteral, qualified, dollarQuote, UnsafeNameError } from "./identifiers.js";
export { parseRowJson, isExactNumber } from "./exact-json.js";
export { fitImage, prefixOf, TRUNCATED_STRING_CHARS, type Cut } from "./truncate.js";
export {
  changeEventId,
  keyText,
  tableResourceId,
  translateChange,
  MAX_LABEL_CHARS,
  type TranslateContext,
  type ReplayMark,
  type TranslatedChange,
} from "./translate.js";
