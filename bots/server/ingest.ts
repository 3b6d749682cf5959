/**
 * The one ingest core every inbound path uses (custom webhooks, events API, GitHub App): store durably
 * (group commit through the batcher), count, log with the event ids, wake the evaluator. Resolves only after
 * the transaction holding the items committed, so callers answer 2xx/202 after it.
 */
import type { IngestItem, IngestResult, ServerStore } from "../../src/store/server-types.js";
import { createIngestBatcher } from "./batch/ingest-batcher.js";
import type { ServerMetrics } from "./metrics.js";
import type { Logger } from "./work/types.js";

export type IngestSource = "hooks" | "api" | "github" | "database" | "failed";

export interface Ingest {
  (items: IngestItem[], source: IngestSource, context?: Record<string, unknown>): Promise<IngestResult>;
  /** waits until every accepted call committed or failed */
  drain(): Promise<void>;
  /** the coalesced wake ingest uses: any number of calls in one turn of the event loop wake the workers once */
  wake(): void;
}

export function createIngest(opts: { store: Pick<ServerStore, "ingest">; metrics: ServerMetrics; log: Logger; wake(): void }): Ingest {
  const batcher = createIngestBatcher(opts.store);
  // one wake per committed batch, not one per delivery: the callers of a batch resume in the same turn of the
  // event loop, and each wake of a sleeping worker loop costs it a database pass
  let wakePending = false;
  const wake = () => {
    if (wakePending) return;
    wakePending = true;
    setImmediate(() => {
      wakePending = false;
      opts.wake();
    });
  };
  const ingest = async (items: IngestItem[], source: IngestSource, context: Record<string, unknown> = {}) => {
    const result = await batcher.ingest(items);
    opts.metrics.ingested(source, result.inserted.length, result.duplicates.length);
    // the GitHub App logs each delivery itself ("delivery stored": delivery id, event ids): one line per delivery;
    // database batches (up to batch_size changes each) are logged at debug
    const line = { ...context, source, inserted: result.inserted, duplicates: result.duplicates, events: items.map((i) => i.event.event) };
    if (source === "github" || source === "database") opts.log.debug?.(line, "ingested");
    else opts.log.info(line, "ingested");
    if (result.inserted.length > 0) wake();
    return result;
  };
  return Object.assign(ingest, { drain: () => batcher.drain(), wake });
}
