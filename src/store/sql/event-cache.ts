/**
 * Events this process stored lately, by id, kept until each scope they were queued for has evaluated them, so
 * that evaluating them (usually moments later, in the same process) needs neither the database nor a parse: a
 * 20 KB GitHub event would otherwise be written, TOAST-compressed, then read back, decompressed, sent and parsed
 * once per scope. Only events of COMMITTED rows go in (an event id names one immutable body once stored, so an
 * entry is never stale); a miss reads the database. Entries leave when their last reader took them, or, for
 * events another instance evaluates, when the bound (characters of their JSON text) pushes the oldest out.
 * The objects are shared with the ingest caller and the evaluations: nothing may mutate a stored event.
 */
import type { HooklineEvent } from "../../events/event-schema.js";

export interface EventCache {
  /** remembers `event` (stored as `json`) for `readers` evaluations; call only after its row committed */
  put(event: HooklineEvent, json: string, readers: number): void;
  /** the event with this id for one reader (the last reader removes it) */
  take(id: string): HooklineEvent | undefined;
  readonly size: number;
}

/** 32 Mi characters: ~1,600 GitHub events of 20 KB, seconds of evaluation backlog at full ingest */
export const DEFAULT_EVENT_CACHE_CHARS = 32 * 1024 * 1024;

interface Entry {
  event: HooklineEvent;
  chars: number;
  readers: number;
}

export function createEventCache(maxChars = DEFAULT_EVENT_CACHE_CHARS): EventCache {
  const entries = new Map<string, Entry>();
  let held = 0;
  const drop = (id: string, entry: Entry) => {
    entries.delete(id);
    held -= entry.chars;
  };
  return {
    put(event, json, readers) {
      const before = entries.get(event.id);
      // stored again after its row was deleted (a reset database): the newest is the stored one
      if (before !== undefined) drop(event.id, before);
      if (readers < 1 || json.length > maxChars) return;
      entries.set(event.id, { event, chars: json.length, readers });
      held += json.length;
      while (held > maxChars) {
        const [oldest, entry] = entries.entries().next().value as [string, Entry];
        drop(oldest, entry);
      }
    },
    take(id) {
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      if (--entry.readers <= 0) drop(id, entry);
      return entry.event;
    },
    get size() {
      return entries.size;
    },
  };
}
