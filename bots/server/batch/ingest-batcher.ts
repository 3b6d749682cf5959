/**
 * Group commit for ingest: concurrent `ingest` calls (one per HTTP delivery) are coalesced into one store
 * transaction. No timer: while a transaction is in flight, new items wait for the next one, so a lone
 * request is committed at once and a burst shares commits (fewer fsyncs, the bench's main lever). Each caller
 * learns only about its own items, and only after the transaction that holds them committed.
 */
import type { IngestItem, IngestResult, ServerStore } from "../../../src/store/server-types.js";

export interface IngestBatcherOptions {
  /** most items per transaction (default 500) */
  maxItems?: number;
}

interface Waiting {
  items: IngestItem[];
  resolve(result: IngestResult): void;
  reject(err: unknown): void;
}

export interface IngestBatcher {
  ingest(items: IngestItem[]): Promise<IngestResult>;
  /** resolves when every accepted call has been committed or failed */
  drain(): Promise<void>;
}

export function createIngestBatcher(store: Pick<ServerStore, "ingest">, options: IngestBatcherOptions = {}): IngestBatcher {
  const maxItems = Math.max(1, options.maxItems ?? 500);
  const queue: Waiting[] = [];
  let flushing: Promise<void> | null = null;

  const takeBatch = (): Waiting[] => {
    const batch: Waiting[] = [];
    let n = 0;
    while (queue.length > 0 && (batch.length === 0 || n + queue[0]!.items.length <= maxItems)) {
      const w = queue.shift()!;
      n += w.items.length;
      batch.push(w);
    }
    return batch;
  };

  const commit = async (batch: Waiting[]): Promise<void> => {
    try {
      const result = await store.ingest(batch.flatMap((w) => w.items));
      const fresh = new Set(result.inserted);
      for (const w of batch) {
        const mine: IngestResult = { inserted: [], duplicates: [] };
        for (const { event } of w.items) {
          // the first item of the transaction with a new id was stored; any later one with that id is a duplicate
          if (fresh.delete(event.id)) mine.inserted.push(event.id);
          else mine.duplicates.push(event.id);
        }
        w.resolve(mine);
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };

  const run = async (): Promise<void> => {
    while (queue.length > 0) await commit(takeBatch());
    flushing = null;
  };

  return {
    ingest(items) {
      if (items.length === 0) return Promise.resolve({ inserted: [], duplicates: [] });
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        flushing ??= Promise.resolve().then(run);
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
