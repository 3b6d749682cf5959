/**
 * What-if replays off the event loop (docs/what-if.md): reads a scope's stored events in keyset pages (never all at
 * once), keeps those the scope evaluated (src/scopes/replay-scope.ts), and streams them to a worker thread that
 * runs the live and the proposed configuration side by side (./what-if-worker.ts). Ingest never waits for a
 * replay: the engine runs in the thread, the store is read one page at a time with the next page read while the
 * thread works on the last. Bounded three ways: at most `concurrency` replays at once (HOOKLINE_WHAT_IF_BUSY
 * beyond, with a Retry-After), at most `maxEvents` events (the answer says `truncated`), and a wall-clock
 * deadline that terminates the thread (HOOKLINE_WHAT_IF_TIMEOUT).
 */
import { MessageChannel, Worker } from "node:worker_threads";
import type { AutomationsConfig } from "../../automations/types.js";
import type { AutomationDiff } from "../../engine/replay-diff.js";
import { REPLAY_KEEP, type ReplayColumn } from "../../engine/replay.js";
import type { HooklineEvent } from "../../events/event-schema.js";
import { isoOf, parseIsoTime } from "../../events/event-schema.js";
import { replayTakes, type ReplayRoutes } from "../../scopes/replay-scope.js";
import type { ServerStore } from "../../store/server-types.js";
import type { WhatIfMessage, WhatIfReply } from "./what-if-worker.js";

export interface WhatIfRunnerOptions {
  /** replays at once (default 2) */
  concurrency?: number;
  /** wall-clock ms one replay may take, reading included (default 30 s) */
  deadlineMs?: number;
  /** events one replay takes at most (default 100,000); beyond, the answer is `truncated` */
  maxEvents?: number;
  /** events read per store page (default 500, the store's largest) */
  pageSize?: number;
  /** old-generation heap of a replay's thread, MB (default 512) */
  heapMb?: number;
  /** the worker module (default what-if-worker.js beside this file) */
  entry?: URL;
  /** Node options of the threads (tests running the TypeScript sources pass a loader) */
  execArgv?: string[];
}

export const WHAT_IF_DEFAULTS = { concurrency: 2, deadlineMs: 30_000, maxEvents: 100_000, pageSize: 500, heapMb: 512 } as const;

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
  const fail = (err: Error) => {
    failed ??= err;
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
  const ready = next();
  // a failure before anyone awaits the answer must not be an unhandled rejection: the awaiting code sees it
  ready.catch(() => undefined);
  return {
    ready,
    send(msg: WhatIfMessage, answered: boolean) {
      const reply = answered ? next() : null;
      reply?.catch(() => undefined);
      port1.postMessage(msg);
      return reply;
    },
    fail,
    async close() {
      port1.close();
      worker.removeAllListeners("exit");
      await worker.terminate().catch(() => undefined);
    },
  };
}

async function expect<T extends WhatIfReply["type"]>(p: Promise<unknown> | null, type: T): Promise<Extract<WhatIfReply, { type: T }>> {
  const r = (await p) as WhatIfReply;
  if (r.type === "error") throw new WhatIfError("HOOKLINE_WHAT_IF_FAILED", `the replay failed: ${r.message}`);
  if (r.type !== type) throw new WhatIfError("HOOKLINE_WHAT_IF_FAILED", `the replay's thread answered ${r.type}, expected ${type}`);
  return r as Extract<WhatIfReply, { type: T }>;
}

export function createWhatIfRunner(store: Pick<ServerStore, "listEvents">, options: WhatIfRunnerOptions = {}): WhatIfRunner {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? WHAT_IF_DEFAULTS.concurrency));
  const deadlineMs = Math.max(1, options.deadlineMs ?? WHAT_IF_DEFAULTS.deadlineMs);
  const maxEvents = Math.max(1, options.maxEvents ?? WHAT_IF_DEFAULTS.maxEvents);
  const pageSize = Math.min(500, Math.max(1, options.pageSize ?? WHAT_IF_DEFAULTS.pageSize));
  const heapMb = options.heapMb ?? WHAT_IF_DEFAULTS.heapMb;
  const entry = options.entry ?? defaultEntry();
  const running = new Set<{ fail(e: Error): void; close(): Promise<void> }>();
  let finished = 0;
  let timedOut = 0;
  let closed = false;

  async function replay(job: WhatIfJob, thread: ReturnType<typeof openThread>, expired: () => boolean): Promise<WhatIfResult> {
    await thread.ready;
    thread.send({ type: "start", live: job.live, proposed: job.proposed, sinceMs: job.sinceMs, keep: job.keep ?? REPLAY_KEEP }, false);
    let events = 0;
    let scanned = 0;
    let latest = job.sinceMs;
    let earliest = Number.POSITIVE_INFINITY;
    let truncated = false;
    let inFlight: Promise<unknown> | null = null;
    // The first event of the range is found with the range filter (one query); from it on, pages follow the
    // storage sequence alone and the range is checked here. A range filter on every page lets the database pick
    // the time index and sort all of the range's rows again for each page (measured: minutes for 100,000
    // events on a store without statistics); the sequence's own index reads one page per query.
    const first = await store.listEvents({ limit: 1, since: job.sinceMs, until: job.untilMs });
    let page: Awaited<ReturnType<typeof store.listEvents>> = first;
    for (;;) {
      if (expired()) break;
      scanned += page.events.length;
      const take: HooklineEvent[] = [];
      let pastRange = page.events.length > 0;
      for (const s of page.events) {
        const t = parseIsoTime(s.event.occurred);
        if (t < job.untilMs) pastRange = false;
        if (t < job.sinceMs || t >= job.untilMs || !replayTakes(job.scope, s.event, job.routes)) continue;
        if (events === maxEvents) {
          truncated = true;
          break;
        }
        take.push(s.event);
        events++;
        if (t > latest) latest = t;
        if (t < earliest) earliest = t;
      }
      if (inFlight) await expect(inFlight, "ack");
      inFlight = take.length ? thread.send({ type: "events", events: take }, true) : null;
      // a whole page stored after the range (every event at or past `until`): the range's events are behind us
      if (truncated || page.next === null || (pastRange && page !== first)) break;
      // the next page is read while the thread replays the last one
      page = await store.listEvents({ limit: pageSize, after: page.next });
    }
    if (inFlight) await expect(inFlight, "ack");
    const untilMs = truncated ? latest : job.untilMs;
    const result = await expect(thread.send({ type: "finish", untilMs }, true), "result");
    return {
      events,
      scanned,
      truncated,
      since: isoOf(job.sinceMs),
      first_event: events > 0 ? isoOf(earliest) : null,
      replayed_until: isoOf(untilMs),
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
