/**
 * What-if replays off the event loop (docs/what-if.md): reads the stored events in keyset pages (never all at
 * once), each page one JSON text as stored (ServerStore.replayPage), and streams them to a worker thread that
 * parses them, keeps those the scope evaluated (src/scopes/replay-scope.ts) and runs the live and the proposed
 * configuration side by side in one pass (./what-if-worker.ts). Ingest waits for a replay as little as it can:
 * this thread only runs one query per page and passes a string on, the next page is read while the thread works
 * on the last, and this thread yields to pending I/O between pages. Bounded three ways: at most `concurrency` replays at once (HOOKLINE_WHAT_IF_BUSY
 * beyond, with a Retry-After), at most `maxEvents` events (the answer says `truncated`), and a wall-clock
 * deadline that terminates the thread (HOOKLINE_WHAT_IF_TIMEOUT).
 */
import { MessageChannel, Worker } from "node:worker_threads";
import type { AutomationsConfig } from "../../automations/types.js";
import type { AutomationDiff } from "../../engine/replay-diff.js";
import { REPLAY_KEEP, type ReplayColumn } from "../../engine/replay.js";
import { isoOf } from "../../events/event-schema.js";
import type { ReplayRoutes } from "../../scopes/replay-scope.js";
import type { ReplayPage, ServerStore } from "../../store/server-types.js";
import type { WhatIfMessage, WhatIfReply } from "./what-if-worker.js";

export interface WhatIfRunnerOptions {
  /** replays at once (default 2) */
  concurrency?: number;
  /** wall-clock ms one replay may take, reading included (default 30 s) */
  deadlineMs?: number;
  /** events one replay takes at most (default 100,000); beyond, the answer is `truncated` */
  maxEvents?: number;
  /** events read per store page (default 2,000; at most the store's MAX_REPLAY_PAGE, 5,000) */
  pageSize?: number;
  /** old-generation heap of a replay's thread, MB (default 512) */
  heapMb?: number;
  /** the worker module (default what-if-worker.js beside this file) */
  entry?: URL;
  /** Node options of the threads (tests running the TypeScript sources pass a loader) */
  execArgv?: string[];
}

export const WHAT_IF_DEFAULTS = { concurrency: 2, deadlineMs: 30_000, maxEvents: 100_000, pageSize: 2_000, heapMb: 512 } as const;

export interface WhatIfJob {
  scope: string;
  sinceMs: number;
  untilMs: number;
  /** the configuration the scope runs now (null: none) */
  live: AutomationsConfig | null;
  proposed: AutomationsConfig;
  routes: ReplayRoutes;
  /** records of each kind kept in the answer (default REPLAY_KEEP) */
  keep?: number;
}

export interface WhatIfResult {
  /** events replayed (the scope's, in the range) */
  events: number;
  /** stored events read (every scope's, in the range) */
  scanned: number;
  /** `maxEvents` was reached: the replay stopped at `replayed_until` */
  truncated: boolean;
  since: string;
  /** the time of the earliest event replayed (null: none): how much history there was */
  first_event: string | null;
  /** `until`, or when truncated the time of the latest event replayed */
  replayed_until: string;
  live: ReplayColumn;
  proposed: ReplayColumn;
  diff: AutomationDiff[];
}

export class WhatIfError extends Error {
  constructor(
    readonly code: "HOOKLINE_WHAT_IF_BUSY" | "HOOKLINE_WHAT_IF_TIMEOUT" | "HOOKLINE_WHAT_IF_FAILED" | "HOOKLINE_WHAT_IF_CLOSED",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface WhatIfRunner {
  run(job: WhatIfJob): Promise<WhatIfResult>;
  stats(): { running: number; finished: number; timedOut: number };
  readonly limits: Readonly<Required<Pick<WhatIfRunnerOptions, "concurrency" | "deadlineMs" | "maxEvents">>>;
  /** stops the running replays (they fail with HOOKLINE_WHAT_IF_CLOSED) */
  close(): Promise<void>;
}

function defaultEntry(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./what-if-worker${ext}`, import.meta.url);
}

/** A replay's thread, as promises: each `send` resolves with the thread's next answer. */
function openThread(entry: URL, execArgv: string[], heapMb: number) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(entry, {
    workerData: { port: port2 },
    transferList: [port2],
    execArgv,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64 },
    stdout: false,
    stderr: false,
  });
  let waiting: { resolve(r: WhatIfReply): void; reject(e: Error): void } | null = null;
  let failed: Error | null = null;
  let rejectFailure!: (e: Error) => void;
  // rejects when the thread fails or is stopped: a store read in progress is raced against it
  const failure = new Promise<never>((_, reject) => (rejectFailure = reject));
  failure.catch(() => undefined);
  const fail = (err: Error) => {
    failed ??= err;
    rejectFailure(failed);
    waiting?.reject(failed);
    waiting = null;
  };
  const next = () =>
    new Promise<WhatIfReply | { type: "ready" }>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting = { resolve: resolve as (r: WhatIfReply) => void, reject };
    });
  port1.on("message", (msg: WhatIfReply) => {
    const w = waiting;
    waiting = null;
    w?.resolve(msg);
  });
  worker.on("error", (err: Error & { code?: string }) =>
    fail(
      new WhatIfError(
        "HOOKLINE_WHAT_IF_FAILED",
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `the replay needed more than ${heapMb} MB: replay a shorter range`
          : `the replay failed: ${err.message}`,
      ),
    ),
  );
  worker.on("exit", (code) => fail(new WhatIfError("HOOKLINE_WHAT_IF_FAILED", `the replay's thread stopped (exit code ${code})`)));
  let closing: Promise<void> | null = null;
  const ready = next();
  // a failure before anyone awaits the answer must not be an unhandled rejection: the awaiting code sees it
  ready.catch(() => undefined);
  return {
    ready,
    failure,
    send(msg: WhatIfMessage, answered: boolean) {
      const reply = answered ? next() : null;
      reply?.catch(() => undefined);
      port1.postMessage(msg);
      return reply;
    },
    fail,
    // once: the runner's close() and the replay's own `finally` both close a stopped thread, and a second
    // removeAllListeners("exit") would drop the listener the first terminate() resolves on (close() hung)
    close: () =>
      (closing ??= (async () => {
        port1.close();
        worker.removeAllListeners("exit");
        await worker.terminate().catch(() => undefined);
      })()),
  };
}

async function expect<T extends WhatIfReply["type"]>(p: Promise<unknown> | null, type: T): Promise<Extract<WhatIfReply, { type: T }>> {
  const r = (await p) as WhatIfReply;
  if (r.type === "error") throw new WhatIfError("HOOKLINE_WHAT_IF_FAILED", `the replay failed: ${r.message}`);
  if (r.type !== type) throw new WhatIfError("HOOKLINE_WHAT_IF_FAILED", `the replay's thread answered ${r.type}, expected ${type}`);
  return r as Extract<WhatIfReply, { type: T }>;
}

/** Lets pending I/O (ingest's requests and queries) run before the next page is read. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createWhatIfRunner(store: Pick<ServerStore, "listEvents" | "replayPage">, options: WhatIfRunnerOptions = {}): WhatIfRunner {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? WHAT_IF_DEFAULTS.concurrency));
  const deadlineMs = Math.max(1, options.deadlineMs ?? WHAT_IF_DEFAULTS.deadlineMs);
  const maxEvents = Math.max(1, options.maxEvents ?? WHAT_IF_DEFAULTS.maxEvents);
  const pageSize = Math.min(5_000, Math.max(1, options.pageSize ?? WHAT_IF_DEFAULTS.pageSize));
  const heapMb = options.heapMb ?? WHAT_IF_DEFAULTS.heapMb;
  const entry = options.entry ?? defaultEntry();
  const running = new Set<{ fail(e: Error): void; close(): Promise<void> }>();
  let finished = 0;
  let timedOut = 0;
  let closed = false;

  async function replay(job: WhatIfJob, thread: ReturnType<typeof openThread>, expired: () => boolean): Promise<WhatIfResult> {
    const read = <T>(p: Promise<T>) => Promise.race([p, thread.failure]);
    await read(thread.ready);
    thread.send(
      {
        type: "start",
        live: job.live,
        proposed: job.proposed,
        scope: job.scope,
        routes: job.routes,
        sinceMs: job.sinceMs,
        untilMs: job.untilMs,
        maxEvents,
        keep: job.keep ?? REPLAY_KEEP,
      },
      false,
    );
    // The range's first and last stored events are found with the range filter (one query each); between them,
    // pages follow the storage sequence alone and the thread checks the range. A range filter on every page lets
    // the database pick the time index and sort all of the range's rows again for each page (measured: minutes
    // for 100,000 events on a store without statistics); the sequence's own index reads one page per query. The
    // last one bounds the read: events are stored out of time order (a late delivery of last week's event comes
    // after today's), so no page of events past the range says the range is over; the last sequence does.
    const range = { limit: 1, since: job.sinceMs, until: job.untilMs };
    const [first, last] = (await read(Promise.all([store.listEvents(range), store.listEvents({ ...range, order: "desc" })]))).map(
      (p) => p.events[0],
    );
    const end = last ? BigInt(last.seq) : 0n;
    const more = (p: ReplayPage) => p.count === pageSize && p.last !== null && BigInt(p.last) < end;
    let page: ReplayPage | null = first ? await read(store.replayPage((BigInt(first.seq) - 1n).toString(), pageSize)) : null;
    while (page && page.count > 0 && !expired()) {
      const ack = expect(thread.send({ type: "page", json: page.json }, true), "ack");
      // the next page is read while the thread replays this one (one page ahead at most)
      const next: Promise<ReplayPage> | null = more(page) ? yieldToIo().then(() => store.replayPage(page!.last, pageSize)) : null;
      next?.catch(() => undefined);
      const { more: wanted } = await ack;
      page = wanted && next ? await read(next) : null;
    }
    const result = await expect(thread.send({ type: "finish" }, true), "result");
    const c = result.counts;
    return {
      events: c.events,
      scanned: c.scanned,
      truncated: c.truncated,
      since: isoOf(job.sinceMs),
      first_event: c.earliest === null ? null : isoOf(c.earliest),
      replayed_until: isoOf(result.untilMs),
      live: result.live,
      proposed: result.proposed,
      diff: result.diff,
    };
  }

  return {
    limits: { concurrency, deadlineMs, maxEvents },
    async run(job) {
      if (closed) throw new WhatIfError("HOOKLINE_WHAT_IF_CLOSED", "the server is stopping: retry on another instance or later");
      if (running.size >= concurrency)
        throw new WhatIfError(
          "HOOKLINE_WHAT_IF_BUSY",
          `${running.size} what-if replays are running (at most ${concurrency} at once): retry in a few seconds`,
          Math.max(1, Math.ceil(deadlineMs / 1000 / 4)),
        );
      const thread = openThread(entry, options.execArgv ?? [], heapMb);
      running.add(thread);
      let expired = false;
      const timer = setTimeout(() => {
        expired = true;
        timedOut++;
        thread.fail(
          new WhatIfError(
            "HOOKLINE_WHAT_IF_TIMEOUT",
            `the replay ran longer than ${deadlineMs} ms and was stopped: replay a shorter range (since/until)`,
          ),
        );
      }, deadlineMs);
      try {
        const r = await replay(job, thread, () => expired);
        if (expired)
          throw new WhatIfError(
            "HOOKLINE_WHAT_IF_TIMEOUT",
            `the replay ran longer than ${deadlineMs} ms and was stopped: replay a shorter range (since/until)`,
          );
        return r;
      } finally {
        clearTimeout(timer);
        running.delete(thread);
        finished++;
        await thread.close();
      }
    },
    stats: () => ({ running: running.size, finished, timedOut }),
    async close() {
      closed = true;
      const all = [...running];
      for (const t of all) t.fail(new WhatIfError("HOOKLINE_WHAT_IF_CLOSED", "the server is stopping: the replay was stopped"));
      await Promise.all(all.map((t) => t.close()));
    },
  };
}
