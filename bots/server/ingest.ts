/**
 * The one ingest core every inbound path uses (custom webhooks, events API, GitHub App): store durably
 * (group commit through the batcher), count, log with the event ids, wake the evaluator. Resolves only after
 * the transaction holding the items committed, so callers answer 2xx/202 after it.
 */
import type { IngestItem, IngestResult, ServerStore } from "../../src/store/server-types.js";
import { createIngestBatcher } from "./batch/ingest-batcher.js";
import type { ServerMetrics } from "./metrics.js";
import type { Logger } from "./work/types.js";

export type IngestSource = "hooks" | "api" | "github" | "failed";

export interface Ingest {
  (items: IngestItem[], source: IngestSource, context?: Record<string, unknown>): Promise<IngestResult>;
  /** waits until every accepted call committed or failed */
  drain(): Promise<void>;
}

export function createIngest(opts: { store: Pick<ServerStore, "ingest">; metrics: ServerMetrics; log: Logger; wake(): void }): Ingest {
  const batcher = createIngestBatcher(opts.store);
  const ingest = async (items: IngestItem[], source: IngestSource, context: Record<string, unknown> = {}) => {
    const result = await batcher.ingest(items);
    opts.metrics.ingested(source, result.inserted.length, result.duplicates.length);
    opts.log.info({ ...context, source, inserted: result.inserted, duplicates: result.duplicates, events: items.map((i) => i.event.event) }, "ingested");
    if (result.inserted.length > 0) opts.wake();
    return result;
  };
  return Object.assign(ingest, { drain: () => batcher.drain() });
}
