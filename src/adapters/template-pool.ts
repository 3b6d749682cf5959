/**
 * Templates rendered off the event loop, with a hard wall-clock limit (SEMANTICS.md §7, issue 12). The pure
 * renderer's work budget is deterministic and bounds what a template can do; this pool is the second wall for
 * what the budget did not foresee: a small set of reused worker threads (template-worker.ts), each rendering one
 * job at a time. A render still running at its deadline terminates its worker (a fresh one replaces it) and fails
 * with HOOKLINE_TEMPLATE_TIMEOUT; a worker over its memory limit dies and the render fails with
 * HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE. Jobs wait in a bounded queue (HOOKLINE_TEMPLATE_BUSY past it); the
 * deadline counts from the moment a ready worker takes the job, so a worker's start-up never eats it.
 */
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";
import { TEMPLATE_CODES, TemplateError, type TemplateContextInput } from "../templates/index.js";
import type { TemplateJob, TemplateJobBody, TemplateReply } from "./template-worker.js";
import { HooklineError, isHooklineCode } from "../errors/index.js";

export interface TemplatePoolOptions {
  /** worker threads (default 2) */
  size?: number;
  /** wall-clock ms one render may take once a worker runs it (default 1000) */
  deadlineMs?: number;
  /** renders waiting for a worker before new ones are refused (default 256) */
  maxQueue?: number;
  /** work units one render may spend (default TEMPLATE_LIMITS.workBudget; tests raise it to reach the deadline) */
  workBudget?: number;
  /** old-generation heap of one worker, MB (default 128) */
  heapMb?: number;
  /** the worker module (default template-worker.js beside this file) */
  entry?: URL;
  /** Node options of the workers (tests running the TypeScript sources pass a loader) */
  execArgv?: string[];
}

export interface TemplatePoolStats {
  workers: number;
  busy: number;
  queued: number;
  /** workers terminated at a deadline, or that died, and were replaced */
  replaced: number;
  rendered: number;
}

/** One render's own limit, shorter than the pool's (a request with little time left) */
export interface RenderLimit {
  deadlineMs?: number;
}

export interface TemplatePool {
  /** renderValue(value, context) in a worker; rejects with a TemplateError */
  renderValue(value: unknown, context: Record<string, unknown>, limit?: RenderLimit): Promise<unknown>;
  /** renderValue(params, buildTemplateContext(input)) in a worker (action parameters); rejects with a TemplateError */
  renderParams(params: unknown, input: TemplateContextInput, limit?: RenderLimit): Promise<unknown>;
  stats(): TemplatePoolStats;
  /**
   * starts up to `n` workers now (default: all), so the first renders do not wait for a thread to start;
   * resolves when they are ready, rejects when one cannot start (a missing or broken worker module)
   */
  warm(n?: number): Promise<void>;
  /** ends the workers; pending renders fail */
  close(): Promise<void>;
}

export const TEMPLATE_POOL_DEFAULTS = { size: 2, deadlineMs: 1_000, maxQueue: 256, heapMb: 128 } as const;

interface Pending {
  job: TemplateJob;
  deadlineMs: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}
interface Slot {
  worker: Worker;
  /** the worker's replies: a port of our own, so a deadline can look for a reply already sent (receiveMessageOnPort) */
  port: MessagePort;
  ready: boolean;
  /** settles when the worker is ready, or fails to start */
  started: Promise<void>;
  onStarted(err?: Error): void;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
}

function defaultEntry(): URL {
  // compiled: template-worker.js; the TypeScript sources (tests) need a loader in execArgv
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./template-worker${ext}`, import.meta.url);
}

function replyError(reply: Extract<TemplateReply, { ok: false }>): Error {
  const e = reply.error;
  if (e.template && isHooklineCode(e.code)) return new TemplateError(e.code, e.message, e.line, e.col);
  return new TemplateError(TEMPLATE_CODES.render, `the template could not be rendered: ${e.message}`);
}

/**
 * Not the template's fault (the server is stopping): not a TemplateError, so an action's attempt is retried later
 * (HOOKLINE_ACTION_RUNTIME_UNAVAILABLE) instead of failing for good.
 */
function poolClosed(message: string): Error {
  return new HooklineError("HOOKLINE_TEMPLATE_POOL_CLOSED", message);
}

export function createTemplatePool(options: TemplatePoolOptions = {}): TemplatePool {
  const size = Math.max(1, Math.floor(options.size ?? TEMPLATE_POOL_DEFAULTS.size));
  const deadlineMs = Math.max(1, options.deadlineMs ?? TEMPLATE_POOL_DEFAULTS.deadlineMs);
  const maxQueue = Math.max(0, options.maxQueue ?? TEMPLATE_POOL_DEFAULTS.maxQueue);
  const heapMb = options.heapMb ?? TEMPLATE_POOL_DEFAULTS.heapMb;
  const entry = options.entry ?? defaultEntry();
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let replaced = 0;
  let rendered = 0;
  let closed = false;

  function settle(slot: Slot): Pending | null {
    const p = slot.current;
    slot.current = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return p;
  }

  /** The slot's worker is gone (deadline, crash, out of memory): fail its job, drop it, start another if work waits. */
  function retire(slot: Slot, err: Error): void {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    replaced++;
    slot.onStarted(err);
    settle(slot)?.reject(err);
    slot.worker.removeAllListeners();
    slot.port.close();
    // an error after this point (the terminated thread) is nobody's
    slot.worker.on("error", () => undefined);
    void slot.worker.terminate().catch(() => undefined);
    dispatch();
  }

  function onMessage(slot: Slot, msg: TemplateReply | { ready: true }): void {
    if ("ready" in msg) {
      slot.ready = true;
      slot.onStarted();
      dispatch();
      return;
    }
    const p = slot.current;
    if (!p || p.job.id !== msg.id) return;
    settle(slot);
    rendered++;
    if (msg.ok) p.resolve(msg.value);
    else p.reject(replyError(msg));
    dispatch();
  }

  function spawn(): Slot {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(entry, {
      workerData: { port: port2 },
      transferList: [port2],
      execArgv: options.execArgv ?? [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(32, heapMb) },
      stdout: false,
      stderr: false,
    });
    let onStarted: (err?: Error) => void = () => {};
    const started = new Promise<void>((resolve, reject) => (onStarted = (err) => (err ? reject(err) : resolve())));
    // nobody may be waiting for it (a worker started for a render)
    started.catch(() => undefined);
    const slot: Slot = { worker, port: port1, ready: false, started, onStarted, current: null, timer: null };
    port1.on("message", (msg: TemplateReply | { ready: true }) => onMessage(slot, msg));
    worker.on("error", (err: Error & { code?: string }) => {
      const oom = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      retire(
        slot,
        oom
          ? new TemplateError(TEMPLATE_CODES.tooLarge, `the template needed more than ${heapMb} MB of memory: render less`)
          : new TemplateError(TEMPLATE_CODES.render, `the template worker failed: ${err.message}`),
      );
    });
    worker.on("exit", (code) => {
      if (!closed) retire(slot, new TemplateError(TEMPLATE_CODES.render, `the template worker stopped (exit code ${code})`));
    });
    // a starting worker keeps the process alive (a render waits for it); once idle it no longer does (dispatch)
    slots.push(slot);
    return slot;
  }

  function start(slot: Slot, p: Pending): void {
    slot.current = p;
    slot.worker.ref();
    slot.port.ref();
    slot.timer = setTimeout(() => {
      // this thread may have been too busy to read a reply the worker sent in time: take it before judging
      for (let m = receiveMessageOnPort(slot.port); m && slot.current === p; m = receiveMessageOnPort(slot.port)) {
        onMessage(slot, m.message as TemplateReply);
      }
      if (slot.current !== p) return;
      retire(
        slot,
        new TemplateError(
          TEMPLATE_CODES.timeout,
          `the template ran longer than ${p.deadlineMs} ms and was stopped: filter, sort or print large values once instead of inside loops, and render less`,
        ),
      );
    }, p.deadlineMs);
    slot.port.postMessage(p.job);
  }

  function dispatch(): void {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (slot.ready && !slot.current) start(slot, queue.shift()!);
    }
    // an idle pool does not keep the process alive
    for (const slot of slots) {
      if (slot.ready && !slot.current) {
        slot.worker.unref();
        slot.port.unref();
      }
    }
    // start workers for waiting jobs, up to the pool's size (a starting worker takes the next job when ready)
    const starting = slots.filter((s) => !s.ready).length;
    for (let n = Math.min(size - slots.length, queue.length - starting); n > 0; n--) spawn();
  }

  function submit(body: TemplateJobBody, limit: RenderLimit | undefined): Promise<unknown> {
    if (closed) return Promise.reject(poolClosed("the template pool is closed (the server is stopping)"));
    if (queue.length >= maxQueue) {
      return Promise.reject(
        new TemplateError(
          TEMPLATE_CODES.busy,
          `${queue.length} templates are waiting to render: try again later (or raise the pool's queue)`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const own = limit?.deadlineMs;
      const ms = typeof own === "number" && own > 0 ? Math.min(own, deadlineMs) : deadlineMs;
      queue.push({
        job: { ...body, id: nextId++, ...(options.workBudget !== undefined ? { workBudget: options.workBudget } : {}) },
        deadlineMs: ms,
        resolve,
        reject,
      });
      dispatch();
    });
  }

  return {
    renderValue: (value, context, limit) => submit({ value, context }, limit),
    renderParams: (params, input, limit) => submit({ value: params, input }, limit),
    async warm(n = size) {
      if (closed) return;
      for (let k = Math.min(n, size) - slots.length; k > 0; k--) spawn();
      await Promise.all(slots.slice(0, n).map((s) => s.started));
    },
    stats: () => ({
      workers: slots.length,
      busy: slots.filter((s) => s.current).length,
      queued: queue.length,
      replaced,
      rendered,
    }),
    async close() {
      if (closed) return;
      closed = true;
      const err = poolClosed("the template pool closed before the template rendered");
      for (const p of queue.splice(0)) p.reject(err);
      await Promise.all(
        slots.splice(0).map((slot) => {
          settle(slot)?.reject(err);
          slot.port.close();
          return slot.worker.terminate().catch(() => undefined);
        }),
      );
    },
  };
}
