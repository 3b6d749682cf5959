/**
 * The I/O of database change sources (docs/database.md): install, upgrade and remove the capture in a source
 * database, report its status, read its log. The server's reader loop and the `hookline db` commands use these.
 */
export { DatabaseSourceError, isMissingCapture } from "./errors.js";
export { installCapture, uninstallCapture, INSTALL_LOCK_TIMEOUT, type InstallReport, type UninstallReport } from "./install.js";
export { captureStatus, type CaptureStatus, type TableStatus } from "./status.js";
export { createCaptureReader, BACKLOG_COUNT_LIMIT, type BacklogRow, type CaptureReader, type LaneRead } from "./reader.js";
export { readMeta, readRegistry, type CaptureMeta, type RegistryRow } from "./registry.js";
export { readCatalogTable, type CatalogFacts } from "./catalog.js";
export { readJsonCastHazards } from "./json-cast-hazards.js";
export { openSource, type SourceConnection } from "./open-source.js";
export { invokeRow, type InvokeResult } from "./invoke.js";
export { countReplay, readReplay, type ReplayCount, type ReplayRange } from "./replay.js";
