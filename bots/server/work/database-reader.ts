/**
 * The server's reader of database change sources (issue 15, docs/database.md "Delivery"): one loop per source
 * that opens its connection (retrying with a growing pause while it is unreachable), installs or upgrades the
 * capture when the source asks for it, then reads the capture log table by table (a lane lock per table, so
 * several instances share the log) and hands each batch to the one ingest core, which resolves once the
 * events are committed; only then are the log rows marked (or deleted, with retention 0). Event ids derive from
 * the log row, so a batch read again after a crash is stored as duplicates: each change is stored exactly once,
 * and a table's changes in log order. The loop also prunes delivered log rows past the retention and samples
 * the backlog for the metrics and `GET /api/database/sources`.
 */
import { randomUUID } from "node:crypto";
import {
  createCaptureReader,
  DatabaseSourceError,
  installCapture,
  openSource,
  readMeta,
  readRegistry,
  type BacklogRow,
  type CaptureReader,
  type SourceConnection,
} from "../../../src/adapters/database/index.js";
import { translateChange, type CapturedTable, type DatabaseSource, type LogRow } from "../../../src/database/index.js";
import type { Db } from "../../../src/store/sql/db.js";
import type { IngestItem, IngestResult } from "../../../src/store/server-types.js";
import { systemClock } from "./clock.js";
import { errorInfo } from "./error-info.js";
import { runLoop } from "./loop.js";
import { createSleeper } from "./sleeper.js";
import type { Clock, Logger } from "./types.js";

/** how often the backlog is sampled, and delivered log rows past the retention pruned */
export const BACKLOG_EVERY_MS = 5_000;
export const PRUNE_EVERY_MS = 60_000;
export const PRUNE_BATCH = 5_000;

export interface DatabaseReaderOptions {
  sources: readonly DatabaseSource[];
  env: Readonly<Record<string, string | undefined>>;
  /** hookline's own database (sources without `url_env` capture it) */
  own: Db;
  ingest(items: IngestItem[], source: DatabaseSource): Promise<IngestResult>;
  instance: string;
  log: Logger;
  clock?: Clock;
  /** the backlog of a source was sampled */
  onBacklog?(source: string, rows: BacklogRow[]): void;
}

/** What the HTTP API sees of a running source. */
export interface SourceHandle {
  source: DatabaseSource;
  /** null until the connection is open */
  connection(): SourceConnection | null;
  reader(): CaptureReader | null;
  /** the last error of its loop (cleared by a good pass) */
  lastError(): { code: string; message: string } | null;
  /** the reader looks again now (after an invoke) */
  wake(): void;
}

export interface DatabaseReaders {
  sources: ReadonlyMap<string, SourceHandle>;
  stop(): Promise<void>;
}

interface State {
  conn: SourceConnection | null;
  reader: CaptureReader | null;
  installed: boolean;
  installId: string | null;
  tables: Map<number, CapturedTable>;
  lastPrune: number;
  lastBacklog: number;
  error: { code: string; message: string } | null;
}

export function capturedTables(source: DatabaseSource, registry: Awaited<ReturnType<typeof readRegistry>>): Map<number, CapturedTable> {
  const out = new Map<number, CapturedTable>();
  for (const r of registry) {
    const config = source.tables.find((t) => t.schema === r.schema && t.table === r.table) ?? null;
    out.set(r.id, { id: r.id, schema: r.schema, table: r.table, keyColumns: r.keyColumns, triggerName: r.triggerName, config });
  }
  return out;
}

export function startDatabaseReaders(opts: DatabaseReaderOptions): DatabaseReaders {
  const clock = opts.clock ?? systemClock;
  let stopping = false;
  const handles = new Map<string, SourceHandle>();
  const loops: Promise<void>[] = [];
  const sleepers: ReturnType<typeof createSleeper>[] = [];
  const states: State[] = [];

  for (const source of opts.sources) {
    const st: State = {
      conn: null,
      reader: null,
      installed: false,
      installId: null,
      tables: new Map(),
      lastPrune: 0,
      lastBacklog: 0,
      error: null,
    };
    states.push(st);
    const sleeper = createSleeper(clock);
    sleepers.push(sleeper);
    const ctx = { source: source.name, maxImageBytes: source.maxImageBytes, scopes: source.scopes };

    const deliver = async (table: CapturedTable, rows: LogRow[]) => {
      const installId = st.installId!;
      const items: IngestItem[] = rows.map((row) => {
        const t = translateChange({ ...ctx, installId }, table, row);
        return { event: t.event, scopes: t.scopes, origin: { kind: "database", name: source.name } };
      });
      await opts.ingest(items, source);
    };

    const pass = async (): Promise<{ again: boolean; sleepMs: number }> => {
      try {
        st.conn ??= await openSource(source, opts.env, opts.own);
        st.reader ??= createCaptureReader(st.conn.db, source.captureSchema);
        if (source.install && !st.installed) {
          const report = await installCapture(st.conn.db, source, randomUUID);
          opts.log.info({ ...report }, "database capture installed");
        }
        st.installed = true;
        if (st.installId === null) {
          const meta = await readMeta(st.conn.db, source.captureSchema);
          if (meta === null) {
            throw new DatabaseSourceError(
              "HOOKLINE_DB_NOT_INSTALLED",
              `source ${source.name}: the capture is not installed in its database: run \`hookline db install --source ${source.name}\`, or set \`install: true\``,
            );
          }
          st.installId = meta.installId;
          st.tables = capturedTables(source, await readRegistry(st.conn.db, source.captureSchema));
          opts.log.info(
            { source: source.name, tables: [...st.tables.values()].map((t) => `${t.schema}.${t.table}`) },
            "database source reading",
          );
        }
        let again = false;
        for (const lane of await st.reader.lanesWithWork()) {
          if (stopping) break;
          if (!st.tables.has(lane)) st.tables = capturedTables(source, await readRegistry(st.conn.db, source.captureSchema));
          const table = st.tables.get(lane);
          if (!table) continue;
          const n = await st.reader.deliverLane({
            tableId: lane,
            keyColumns: table.keyColumns,
            limit: source.batchSize,
            instance: opts.instance,
            deleteDelivered: source.retentionMs === 0,
            deliver: (rows) => deliver(table, rows),
          });
          if (n !== null && n >= source.batchSize) again = true;
        }
        const now = clock.now();
        if (source.retentionMs > 0 && now - st.lastPrune >= PRUNE_EVERY_MS) {
          st.lastPrune = now;
          const pruned = await st.reader.prune(now - source.retentionMs, PRUNE_BATCH);
          if (pruned > 0) opts.log.info({ source: source.name, pruned }, "database capture: delivered log rows past the retention deleted");
          if (pruned >= PRUNE_BATCH) st.lastPrune = 0;
        }
        if (opts.onBacklog && now - st.lastBacklog >= BACKLOG_EVERY_MS) {
          st.lastBacklog = now;
          opts.onBacklog(source.name, await st.reader.backlog());
        }
        st.error = null;
        return { again, sleepMs: source.pollMs };
      } catch (err) {
        const e = err as { code?: unknown; message?: string };
        st.error = { code: typeof e.code === "string" ? e.code : "HOOKLINE_DB_READ_FAILED", message: e.message ?? String(err) };
        // read the meta and registry again after any failure: the capture may have been reinstalled meanwhile
        st.installId = null;
        if (err instanceof DatabaseSourceError && err.problems.length > 0)
          opts.log.error({ source: source.name, problems: err.problems }, err.message);
        throw err;
      }
    };
    loops.push(
      runLoop(`database source ${source.name}`, pass, sleeper, { log: opts.log, pollMs: source.pollMs, stopping: () => stopping }),
    );
    handles.set(source.name, {
      source,
      connection: () => st.conn,
      reader: () => st.reader,
      lastError: () => st.error,
      wake: () => sleeper.wake(),
    });
  }

  let stopped: Promise<void> | null = null;
  return {
    sources: handles,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const s of sleepers) s.wake();
        await Promise.all(loops);
        for (const st of states) {
          await st.conn?.close().catch((err: unknown) => opts.log.warn({ err: errorInfo(err) }, "database source: close failed"));
          st.conn = null;
        }
      })();
      return stopped;
    },
  };
}
