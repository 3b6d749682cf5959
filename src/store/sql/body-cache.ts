/**
 * The JSON texts of events this process stored lately, by id, so that evaluating them (usually moments later,
 * in the same process) does not read the bodies back from the database: a 20 KB GitHub event would otherwise be
 * written, TOAST-compressed, then decompressed and sent back once per scope. Only texts of COMMITTED rows go in
 * (an event id names one immutable body once stored, so an entry is never stale); a miss reads the database.
 * Bounded by characters held; the oldest entries go first.
 */
export interface BodyCache {
  get(id: string): string | undefined;
  /** remembers `json` as the stored body of `id` (call only after the row committed) */
  put(id: string, json: string): void;
  readonly size: number;
}

/** 32 Mi characters: ~1,600 GitHub events of 20 KB, several seconds of evaluation backlog at full ingest */
export const DEFAULT_BODY_CACHE_CHARS = 32 * 1024 * 1024;

export function createBodyCache(maxChars = DEFAULT_BODY_CACHE_CHARS): BodyCache {
  const texts = new Map<string, string>();
  let held = 0;
  return {
    get: (id) => texts.get(id),
    put(id, json) {
      const before = texts.get(id);
      if (before !== undefined) {
        // stored again after its row was deleted (a reset database): the newest text is the stored one
        texts.delete(id);
        held -= before.length;
      }
      if (json.length > maxChars) return;
      texts.set(id, json);
      held += json.length;
      while (held > maxChars) {
        const [oldest, text] = texts.entries().next().value as [string, string];
        texts.delete(oldest);
        held -= text.length;
      }
    },
    get size() {
      return texts.size;
    },
  };
}
