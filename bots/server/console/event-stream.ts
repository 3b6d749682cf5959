/**
 * The live feed, `GET /api/events/stream` (server-sent events), with the filters of `GET /api/events`.
 *
 * Push first, poll as the fallback. Every store write of events (ingest, and the workers' firings, action
 * outcomes, pauses, redeliveries) hands them to `publish` after its transaction committed (nothing uncommitted
 * is ever sent); they are queued and flushed FLUSH_MS later, coalesced: each event serialized once per flush,
 * one chunk (one Buffer) per distinct filter shared by every feed with that filter, one write per feed per
 * flush; the store is never read per feed. With no feed open, `publish` returns at once: ingest pays nothing.
 * What this process did not store (events other instances stored on the same PostgreSQL database; embedded
 * PGlite has no other writer, so nothing polls there) is found by one shared poll per process, POLL_MS apart,
 * which reads only the GAPS between the sequences handed out (seq-ranges.ts: they are kept as a few intervals,
 * the poll reads at most MAX_RANGES index ranges), so a poll that finds nothing foreign costs a few index probes
 * whatever the ingest rate. It reads from a floor SETTLE_MS behind its cursor, not from the cursor: an event
 * another writer commits after a later one was sent (its transaction took its sequence first) still arrives.
 *
 * Correctness per connection: every event is sent at most once (the intervals of storage sequences handed out,
 * kept until the floor passed them) and each flush is in storage sequence order.
 *
 * Each feed: `event: hookline` messages with the event JSON (`id:` its storage sequence), a comment line every
 * heartbeat so proxies keep it open, a bound on what may wait unsent (a reader that falls behind past it is
 * cut; EventSource reconnects), at most `maxConnections` at once (429 past it), closed when its console session
 * ends (sign-out) and on shutdown.
 *
 * Resume: a feed opened with `Last-Event-ID` (EventSource sends it when it reconnects, e.g. after the cut above)
 * first gets the events after that one which pass its filter, read from the store (at most RESUME_MAX, through
 * the paged read of `GET /api/events`), then the live ones: what was pushed meanwhile is held for it and sent
 * after, less what the read already had. Past the bound (or with an id that is not a storage sequence) it gets
 * one `event: resync` message instead: the page reloads its first page. So a dropped connection loses nothing.
 */
import type { ServerResponse } from "node:http";
import type { HooklineEvent } from "../../../src/events/index.js";
import { RESOURCE_ID } from "../../../src/events/labels.js";
import type { StoredEvent } from "../../../src/store/server-types.js";
import { sendError } from "../../../src/adapters/http-server/respond.js";
import type { EventFilter } from "../http/event-query.js";
import { eventFilterTest } from "../http/event-query.js";
import type { Logger } from "../work/types.js";
import { readMissed, RESUME_MAX } from "./feed-resume.js";
import { createSeqIntervals, gapRanges, type SeqRange } from "./seq-ranges.js";

/** the fallback poll: events this process did not store (other instances on the same database) */
export const POLL_MS = 1000;
/** pushes are coalesced this long: fewer, larger writes per feed (well inside the 1 s the page promises) */
export const FLUSH_MS = 25;
export const HEARTBEAT_MS = 15_000;
export const MAX_STREAMS = 100;
/** bytes a feed may have waiting unsent before it is cut */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
/** how long a handed-out sequence is remembered after the poll passed it (the push may come after the poll) */
const SETTLE_MS = 5000;
/** events per fallback read */
const POLL_PAGE = 500;
/** index ranges one poll reads at most (past it, gaps are joined across the smallest pushed runs) */
export const MAX_RANGES = 64;
/** events held for a resuming feed while it reads the store; past it, a resync message */
const HELD_MAX = 10_000;

/** the store's side of the fallback poll */
export interface FeedSource {
  /**
   * other processes may store events in this database (PostgreSQL): poll for them. False (embedded PGlite, one
   * process): every event stored was pushed, there is nothing to poll for and no push/poll dedupe to keep.
   */
  shared: boolean;
  /** the newest storage sequence, null for an empty store */
  newestSeq(): Promise<string | null>;
  /** up to `limit` events whose storage sequence lies in one of `ranges` (closed; sorted, disjoint), oldest first */
  eventsIn(ranges: readonly SeqRange[], limit: number): Promise<StoredEvent[]>;
  /** up to `limit` events after `after` that pass `filter`, oldest first; `next`: where to read on, null at the end */
  matchingAfter(filter: EventFilter, after: string, limit: number): Promise<{ events: StoredEvent[]; next: string | null }>;
}

export interface StreamOptions {
  /** the store's side of the poll; null while the server is not ready */
  source(): FeedSource | null;
  log: Logger;
  pollMs?: number;
  heartbeatMs?: number;
  maxConnections?: number;
  maxBufferedBytes?: number;
  /** events a resume sends from the store at most (RESUME_MAX) */
  resumeMax?: number;
}

interface Feed {
  res: ServerResponse;
  /** the filter and view as text: feeds with the same filter and view share one chunk */
  key: string;
  view: FeedView;
  test(e: HooklineEvent): boolean;
  /** while the feed resumes from the store: the live events that passed its filter meanwhile (null: it is live) */
  held: StoredEvent[] | null;
  close(): void;
}

export interface EventStreams {
  /** starts a feed on `res` (or answers 429), after `lastEventId` when it resumes (the `Last-Event-ID` header) */
  open(res: ServerResponse, filter: EventFilter, lastEventId?: string, view?: FeedView): { close(): void } | null;
  /** events this process stored, after their commit (ingest's post-commit hook) */
  publish(events: readonly StoredEvent[]): void;
  count(): number;
  /** ends every feed (shutdown) and stops polling */
  closeAll(): void;
}

const bySeq = (a: StoredEvent, b: StoredEvent) => a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0);
/** what a feed's messages carry: the whole event, or (`summary`) what a list of events shows */
export type FeedView = "full" | "summary";
/** one event as an SSE message */
const frame = (s: StoredEvent, view: FeedView = "full") => {
  const received = new Date(s.received).toISOString();
  const e = s.event;
  // summary: the console's table (time, name, resource) links to the event's page, which reads it whole; a
  // tenth of the bytes of a GitHub event, and 50 open consoles stream 50 copies of every event
  const data =
    view === "full"
      ? { ...e, received }
      : { id: e.id, occurred: e.occurred, received, event: e.event, resource: { [RESOURCE_ID]: e.resource[RESOURCE_ID] } };
  return `id: ${s.seq}\nevent: hookline\ndata: ${JSON.stringify(data)}\n\n`;
};
/** the page reloads its first page: what came between is not sent */
const RESYNC = `event: resync\ndata: {}\n\n`;

export function createEventStreams(o: StreamOptions): EventStreams {
  const pollMs = o.pollMs ?? POLL_MS;
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
  const max = o.maxConnections ?? MAX_STREAMS;
  const maxBuffered = o.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const resumeMax = o.resumeMax ?? RESUME_MAX;
  const feeds = new Set<Feed>();
  /** the poll's position: events up to it were handed out (or pushed); null until the first poll read the newest */
  let cursor: bigint | null = null;
  /** the cursor at the last settle tick: the next tick's floor */
  let settled: bigint | null = null;
  let settledAt = 0;
  /**
   * a cursor of a poll at least SETTLE_MS ago, where the poll reads from: sequences at or below it can no longer
   * arrive on either path (the push of an event the poll found first comes when its writer's callback runs, which
   * can be a few polls later; a sequence another writer took commits when its transaction does). Above it, the
   * poll reads the gaps in `sent` again each time: an event committed after a later one was read is still found
   */
  let floor: bigint | null = null;
  /** storage sequences handed out and not yet settled (the per-connection dedupe), as intervals */
  const sent = createSeqIntervals();
  /** events waiting for the next flush */
  let queue: StoredEvent[] = [];
  let flushScheduled = false;
  let timer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let polling = false;
  /** bumped on stop: a poll in flight from before then must not touch the new state */
  let generation = 0;

  const write = (f: Feed, data: string | Buffer) => {
    if (f.res.writableLength > maxBuffered) {
      o.log.warn(
        { buffered: f.res.writableLength },
        "live feed reader fell behind: its connection is cut (the page reconnects and resumes)",
      );
      // destroyed, not ended: what waits unsent is dropped now (it is in the store: the reconnect resumes from it)
      f.res.destroy();
      f.close();
      return;
    }
    f.res.write(data);
  };

  function flush(): void {
    flushScheduled = false;
    const shared = o.source()?.shared ?? false;
    const fresh: StoredEvent[] = [];
    for (const s of queue.sort(bySeq)) {
      // the dedupe is between push and poll: only kept while something polls
      if (shared && !sent.add(BigInt(s.seq))) continue;
      fresh.push(s);
    }
    queue = [];
    if (fresh.length === 0 || feeds.size === 0) return;
    // each event serialized once (and only if a feed's filter passes it), one chunk (encoded once) per distinct
    // filter, one write per feed
    const texts: Record<FeedView, (string | undefined)[]> = { full: [], summary: [] };
    const text = (i: number, view: FeedView) => (texts[view][i] ??= frame(fresh[i]!, view));
    const chunks = new Map<string, Buffer | null>();
    for (const f of [...feeds]) {
      if (f.held) {
        hold(f, fresh);
        continue;
      }
      let chunk = chunks.get(f.key);
      if (chunk === undefined) {
        let out = "";
        for (let i = 0; i < fresh.length; i++) if (f.test(fresh[i]!.event)) out += text(i, f.view);
        chunk = out ? Buffer.from(out) : null;
        chunks.set(f.key, chunk);
      }
      if (chunk) write(f, chunk);
    }
  }

  const hold = (f: Feed, fresh: readonly StoredEvent[]) => {
    for (const s of fresh) if (f.test(s.event)) f.held!.push(s);
    if (f.held!.length > HELD_MAX) f.held!.length = HELD_MAX + 1; // resync when the read returns
  };

  /** sends `f` the events after `last` from the store, then what was held for it meanwhile; it is live after */
  async function resume(f: Feed, filter: EventFilter, last: string): Promise<void> {
    const source = o.source();
    const read = await readMissed(source ? source.matchingAfter : null, filter, last, resumeMax, o.log);
    if (!feeds.has(f)) return;
    const held = f.held!;
    f.held = null;
    if (read === null || held.length > HELD_MAX) {
      write(f, RESYNC);
      return;
    }
    // what was pushed meanwhile, less what the read already had
    const seen = new Set(read.map((s) => s.seq));
    const rest = held.filter((s) => !seen.has(s.seq) && BigInt(s.seq) > BigInt(last));
    const text = [...read, ...rest].map((s) => frame(s, f.view)).join("");
    if (text) write(f, Buffer.from(text));
  }

  const enqueue = (events: readonly StoredEvent[]) => {
    for (const e of events) queue.push(e);
    if (flushScheduled) return;
    flushScheduled = true;
    setTimeout(flush, FLUSH_MS);
  };

  async function poll(): Promise<void> {
    if (polling) return;
    const source = o.source();
    if (!source?.shared) return;
    polling = true;
    const gen = generation;
    try {
      if (cursor === null) {
        // start after the newest stored event: a feed shows what arrives from now on (the page loads history itself)
        const newest = await source.newestSeq();
        if (gen !== generation) return;
        cursor = settled = floor = newest === null ? 0n : BigInt(newest);
      }
      // from the floor: the gaps are what was neither pushed nor found yet (each a few index probes when empty)
      for (let after: bigint = floor!; ;) {
        // what was handed out when the read starts (all committed): the read skips it, and passes it when short
        const pushedTop = sent.max();
        const events = await source.eventsIn(gapRanges(sent.intervals(after), after, MAX_RANGES), POLL_PAGE);
        if (gen !== generation) return;
        let top = after;
        for (const e of events) if (BigInt(e.seq) > top) top = BigInt(e.seq);
        if (top > cursor!) cursor = top;
        // a short page saw every committed event after the floor: the pushed ones (all committed) are behind it too
        if (events.length < POLL_PAGE && pushedTop !== null && pushedTop > cursor!) cursor = pushedTop;
        if (events.length > 0) enqueue(events);
        if (events.length < POLL_PAGE) break;
        after = top;
      }
      // forget what has been behind the cursor for SETTLE_MS: neither path can bring it again
      if (Date.now() - settledAt >= SETTLE_MS) {
        floor = settled!;
        sent.dropThrough(floor);
        settled = cursor;
        settledAt = Date.now();
      }
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, "live feed poll failed: retried on the next tick");
    } finally {
      if (gen === generation) polling = false;
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
    generation++;
    polling = false;
    cursor = settled = floor = null;
    sent.clear();
    queue = [];
  };

  return {
    open(res, filter, lastEventId, view = "full") {
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
        key: `${view} ${JSON.stringify(filter)}`,
        view,
        test: eventFilterTest(filter),
        held: lastEventId === undefined ? null : [],
        close() {
          if (closed) return;
          closed = true;
          feeds.delete(feed);
          if (feeds.size === 0) stopTimers();
          if (!res.destroyed) res.end();
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
      if (lastEventId !== undefined) void resume(feed, filter, lastEventId);
      return feed;
    },
    publish(events) {
      // no feed open: ingest pays nothing
      if (feeds.size === 0 || events.length === 0) return;
      enqueue(events);
    },
    count: () => feeds.size,
    closeAll() {
      for (const f of [...feeds]) f.close();
      stopTimers();
    },
  };
}
