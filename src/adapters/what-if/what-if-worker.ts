/**
 * The what-if worker thread (./what-if-runner.ts): parses the pages of stored events the runner reads (one JSON
 * text per page, as the store holds them), keeps the range's events that the scope evaluated
 * (src/scopes/replay-scope.ts), and runs the live and the proposed replay (src/engine/replay.ts) over each event in
 * one pass. So the event loop that serves HTTP and ingest never parses, filters or clones an event nor runs engine
 * code, and a replay past its deadline is ended by terminating the thread. One job per thread.
 *
 * Protocol on the runner's port: `start` (both configurations, the range, the scope and its routes, the event
 * bound), then `page`s (each answered `ack`, the runner's back-pressure, saying whether to read on), then
 * `finish`, answered with the `result`; any failure is answered `error`.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import type { AutomationsConfig } from "../../automations/types.js";
import type { HooklineEvent } from "../../events/event-schema.js";
import { parseIsoTime } from "../../events/event-schema.js";
import { Replay, type ReplayColumn } from "../../engine/replay.js";
import { diffReplays, type AutomationDiff } from "../../engine/replay-diff.js";
import { replayTakes, type ReplayRoutes } from "../../scopes/replay-scope.js";

export interface WhatIfStart {
  type: "start";
  live: AutomationsConfig | null;
  proposed: AutomationsConfig;
  scope: string;
  routes: ReplayRoutes;
  sinceMs: number;
  untilMs: number;
  maxEvents: number;
  keep: number;
}

export type WhatIfMessage = WhatIfStart | { type: "page"; json: string } | { type: "finish" };

/** what has been read so far */
export interface WhatIfCounts {
  /** events replayed */
  events: number;
  /** stored events parsed */
  scanned: number;
  truncated: boolean;
  /** the earliest and latest event time replayed (null: none yet) */
  earliest: number | null;
  latest: number | null;
}

export type WhatIfReply =
  | { type: "ack"; more: boolean }
  | { type: "result"; counts: WhatIfCounts; untilMs: number; live: ReplayColumn; proposed: ReplayColumn; diff: AutomationDiff[] }
  | { type: "error"; message: string };

const EMPTY: AutomationsConfig = { automations: [], notifiers: {} };

let job: WhatIfStart | null = null;
let live: Replay | null = null;
let proposed: Replay | null = null;
const counts: WhatIfCounts = { events: 0, scanned: 0, truncated: false, earliest: null, latest: null };

/** One page: false once maxEvents is reached (the runner knows where the range's stored events end). */
function page(j: WhatIfStart, l: Replay, p: Replay, json: string): boolean {
  const events = JSON.parse(json) as HooklineEvent[];
  for (const e of events) {
    counts.scanned++;
    const t = parseIsoTime(e.occurred);
    if (t < j.sinceMs || t >= j.untilMs || !replayTakes(j.scope, e, j.routes)) continue;
    if (counts.events === j.maxEvents) {
      counts.truncated = true;
      return false;
    }
    l.event(e);
    p.event(e);
    counts.events++;
    if (counts.latest === null || t > counts.latest) counts.latest = t;
    if (counts.earliest === null || t < counts.earliest) counts.earliest = t;
  }
  return true;
}

function handle(msg: WhatIfMessage): WhatIfReply | null {
  if (msg.type === "start") {
    job = msg;
    live = new Replay(msg.live ?? EMPTY, msg.sinceMs, msg.keep);
    proposed = new Replay(msg.proposed, msg.sinceMs, msg.keep);
    return null;
  }
  if (!job || !live || !proposed) return { type: "error", message: "the what-if worker got events before its start" };
  if (msg.type === "page") return { type: "ack", more: page(job, live, proposed, msg.json) };
  // truncated: the replay ends at the last event it took, not at `until` (no deadline after it fires)
  const untilMs = counts.truncated ? (counts.latest ?? job.sinceMs) : job.untilMs;
  const l = live.finish(untilMs);
  const p = proposed.finish(untilMs);
  const names = (r: Replay) => r.config.automations.map((a) => a.name);
  return {
    type: "result",
    counts,
    untilMs,
    live: l,
    proposed: p,
    diff: diffReplays(live.byAutomation, proposed.byAutomation, names(live), names(proposed)),
  };
}

const port = (workerData as { port?: MessagePort } | null)?.port;
if (port) {
  port.on("message", (msg: WhatIfMessage) => {
    let reply: WhatIfReply | null;
    try {
      reply = handle(msg);
    } catch (err) {
      reply = { type: "error", message: err instanceof Error ? err.message : String(err) };
    }
    if (reply) port.postMessage(reply);
  });
  port.postMessage({ type: "ready" });
}
