/**
 * The live feed, `GET /api/events/stream` (server-sent events), with the filters of `GET /api/events`.
 *
 * One poller per process, not one per connection: while at least one feed is open it reads the events stored
 * since the last one it saw (keyset on the storage sequence, POLL_MS apart, so a new event reaches the page
 * well within a second) and hands each to every open feed whose filter it passes: serialized once, written
 * once per feed per poll. Polling the
 * store instead of hooking ingest also carries the events the workers produce (firings, action outcomes, pauses)
 * and those other instances stored. Ingest itself does no extra work for open feeds.
 *
 * Each feed: `event: hookline` messages with the event JSON (`id:` its storage sequence), a comment line every
 * heartbeat so proxies keep it open, a bound on what may wait unsent (a reader that falls behind past it is
 * cut; EventSource reconnects), at most `maxConnections` at once (429 past it), closed when its console session
 * ends (sign-out) and on shutdown.
 */
import type { ServerResponse } from "node:http";
import type { HooklineEvent } from "../../../src/events/index.js";
import type { EventQuery, StoredEvent } from "../../../src/store/server-types.js";
import { sendError } from "../../../src/adapters/http-server/respond.js";
import { encodeCursor } from "../../../src/store/sql/event-cursor.js";
import type { EventFilter } from "../http/event-query.js";
import { eventFilterTest } from "../http/event-query.js";
import type { Logger } from "../work/types.js";

export const POLL_MS = 250;
export const HEARTBEAT_MS = 15_000;
export const MAX_STREAMS = 100;
/** bytes a feed may have waiting unsent before it is cut */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface StreamOptions {
  /** the store's listEvents; null while the server is not ready */
  listEvents(query: EventQuery): Promise<{ events: StoredEvent[]; next: string | null }> | null;
  log: Logger;
  pollMs?: number;
  heartbeatMs?: number;
  maxConnections?: number;
  maxBufferedBytes?: number;
}

interface Feed {
  res: ServerResponse;
  /** the filter as text: feeds with the same filter share one chunk */
  key: string;
  test(e: HooklineEvent): boolean;
  close(): void;
}

export interface EventStreams {
  /** starts a feed on `res` (or answers 429); `onClose` runs once when it ends */
  open(res: ServerResponse, filter: EventFilter): { close(): void } | null;
  count(): number;
  /** ends every feed (shutdown) and stops polling */
  closeAll(): void;
}

export function createEventStreams(o: StreamOptions): EventStreams {
  const pollMs = o.pollMs ?? POLL_MS;
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
  const max = o.maxConnections ?? MAX_STREAMS;
  const maxBuffered = o.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const feeds = new Set<Feed>();
  /** the asc cursor after the newest event handed out; null: not started (the next poll starts at the newest) */
  let cursor: string | null = null;
  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let polling = false;

  const write = (f: Feed, text: string) => {
    if (f.res.writableLength > maxBuffered) {
      o.log.warn({ buffered: f.res.writableLength }, "live feed reader fell behind: its connection is cut (the page reconnects)");
      f.close();
      return;
    }
    f.res.write(text);
  };

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      if (!started) {
        // start after the newest stored event: a feed shows what arrives from now on (the page loads history itself)
        const newest = await o.listEvents({ limit: 1, order: "desc" });
        if (!newest) return;
        started = true;
        cursor = newest.events[0] ? ascCursorAt(newest.events[0].seq) : null;
      }
      for (;;) {
        const page = o.listEvents({ limit: 500, order: "asc", ...(cursor ? { after: cursor } : {}) });
        if (!page) return;
        const { events } = await page;
        if (events.length === 0) return;
        cursor = ascCursorAt(events[events.length - 1]!.seq);
        // one write per feed per page, and one text per distinct filter: 50 tabs on the same feed cost one
        // serialization of each event and 50 writes per poll, not 50 writes per event
        const texts = new Map<StoredEvent, string>();
        const textOf = (s: StoredEvent) => {
          let t = texts.get(s);
          if (t === undefined) {
            t = `id: ${s.seq}\nevent: hookline\ndata: ${JSON.stringify({ ...s.event, received: new Date(s.received).toISOString() })}\n\n`;
            texts.set(s, t);
          }
          return t;
        };
        const chunks = new Map<string, string>();
        for (const f of feeds) {
          let chunk = chunks.get(f.key);
          if (chunk === undefined) {
            chunk = events
              .filter((s) => f.test(s.event))
              .map(textOf)
              .join("");
            chunks.set(f.key, chunk);
          }
          if (chunk) write(f, chunk);
        }
        if (events.length < 500) return;
      }
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, "live feed poll failed: retried on the next tick");
    } finally {
      polling = false;
    }
  }

  const startTimers = () => {
    timer ??= setInterval(() => void poll(), pollMs);
    heartbeat ??= setInterval(() => feeds.forEach((f) => write(f, `: heartbeat\n\n`)), heartbeatMs);
  };
  const stopTimers = () => {
    if (timer) clearInterval(timer);
    if (heartbeat) clearInterval(heartbeat);
    timer = heartbeat = null;
    // the next feed starts at the then newest event
    started = false;
    cursor = null;
  };

  return {
    open(res, filter) {
      if (feeds.size >= max) {
        sendError(
          res,
          429,
          "HOOKLINE_TOO_MANY_STREAMS",
          `${max} live feeds are open on this server: close one (or another tab) and retry`,
          {},
          {
            "retry-after": "5",
          },
        );
        return null;
      }
      let closed = false;
      const feed: Feed = {
        res,
        key: JSON.stringify(filter),
        test: eventFilterTest(filter),
        close() {
          if (closed) return;
          closed = true;
          feeds.delete(feed);
          if (feeds.size === 0) stopTimers();
          res.end();
        },
      };
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
      // the client reconnects after 2 s when the connection drops
      res.write(`retry: 2000\n: live feed open\n\n`);
      res.once("close", () => feed.close());
      feeds.add(feed);
      startTimers();
      void poll();
      return feed;
    },
    count: () => feeds.size,
    closeAll() {
      for (const f of [...feeds]) f.close();
      stopTimers();
    },
  };
}

const ascCursorAt = (seq: string) => encodeCursor("asc", seq);
