/**
 * The what-if worker thread (./what-if-runner.ts): runs the live and the proposed replay (src/engine/replay.ts)
 * over pages of events the runner streams in, so the event loop that serves HTTP and ingest never runs engine
 * code, and a replay past its deadline is ended by terminating the thread. One job per thread.
 *
 * Protocol on the runner's port: `start` (both configurations, `since`), then `events` pages (each answered
 * `ack`, the runner's back-pressure), then `finish` (`until`), answered with the `result`; any failure is
 * answered `error`.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import type { AutomationsConfig } from "../../automations/types.js";
import type { HooklineEvent } from "../../events/event-schema.js";
import { Replay, type ReplayColumn } from "../../engine/replay.js";
import { diffReplays, type AutomationDiff } from "../../engine/replay-diff.js";

export type WhatIfMessage =
  | { type: "start"; live: AutomationsConfig | null; proposed: AutomationsConfig; sinceMs: number; keep: number }
  | { type: "events"; events: HooklineEvent[] }
  | { type: "finish"; untilMs: number };

export type WhatIfReply =
  | { type: "ack" }
  | { type: "result"; live: ReplayColumn; proposed: ReplayColumn; diff: AutomationDiff[] }
  | { type: "error"; message: string };

const EMPTY: AutomationsConfig = { automations: [], notifiers: {} };

let live: Replay | null = null;
let proposed: Replay | null = null;

function handle(msg: WhatIfMessage): WhatIfReply | null {
  if (msg.type === "start") {
    live = new Replay(msg.live ?? EMPTY, msg.sinceMs, msg.keep);
    proposed = new Replay(msg.proposed, msg.sinceMs, msg.keep);
    return null;
  }
  if (!live || !proposed) return { type: "error", message: "the what-if worker got events before its start" };
  if (msg.type === "events") {
    for (const e of msg.events) {
      live.event(e);
      proposed.event(e);
    }
    return { type: "ack" };
  }
  const l = live.finish(msg.untilMs);
  const p = proposed.finish(msg.untilMs);
  const names = (r: Replay) => r.config.automations.map((a) => a.name);
  return {
    type: "result",
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
