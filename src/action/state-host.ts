/**
 * Engine hosts over the repository's state ref (src/store, README "Re-runs"):
 * - `full` (the config needs state): every round is ONE compare-and-swap `updateState` whose pure `fn` restores
 *   the engine (with the stored pauses), drops events already recorded, runs the round, snapshots the engine,
 *   records the event ids and compacts. Actions run after that write; their keys are recorded after.
 *   Slack threads and pause flags live in the same state.
 * - `lazy` (stateless config): an in-memory engine; no state call unless an action executes (then one write
 *   recording its key). A re-run (GITHUB_RUN_ATTEMPT > 1) loads once to skip what an earlier attempt executed.
 */
import type { AutomationsConfig } from "../automations/types.js";
import { createEngine, type Engine } from "../engine/index.js";
import { isoOf, parseIsoTime, type HooklineEvent } from "../events/index.js";
import type { PauseStore, ThreadStore } from "../executors/index.js";
import {
  actionKey,
  compactState,
  eventKey,
  isRecorded,
  recordKeys,
  updateState,
  type ActionState,
  type StateStore,
  type UpdateOptions,
} from "../store/index.js";
import type { EngineHost } from "./evaluation.js";

export interface StateHostOptions {
  config: AutomationsConfig;
  store: StateStore;
  now: () => number;
  /** GITHUB_RUN_ATTEMPT */
  attempt: number;
  warn: (message: string) => void;
  update?: UpdateOptions;
}

export interface StatefulHost extends EngineHost {
  threads: ThreadStore;
  pauses: PauseStore;
}

function activePauses(state: ActionState, now: number): string[] {
  return Object.entries(state.paused)
    .filter(([, p]) => p.until === undefined || parseIsoTime(p.until) > now)
    .map(([name]) => name);
}

function restore(config: AutomationsConfig, state: ActionState, now: number, warn: (m: string) => void): Engine {
  const paused = activePauses(state, now);
  if (state.engine === null) return createEngine(config, { paused });
  try {
    return createEngine(config, { paused }, state.engine);
  } catch (err) {
    warn(`the stored engine state could not be restored (${err instanceof Error ? err.message : String(err)}); counting starts afresh`);
    return createEngine(config, { paused });
  }
}

export function fullStateHost(o: StateHostOptions): StatefulHost {
  let latest: ActionState | null = null;
  const nowIso = () => isoOf(o.now());
  const write = async (fn: (s: ActionState) => ActionState) => {
    const r = await updateState(o.store, (s) => compactState(fn(s), { now: o.now() }), o.update);
    latest = r.state;
  };
  return {
    async run<T>(events: HooklineEvent[], fn: (engine: Engine, fresh: HooklineEvent[]) => T, executed: string[] = []): Promise<T> {
      let result: { value: T } | undefined;
      await write((state) => {
        const fresh = events.filter((e) => !isRecorded(state, eventKey(e.id)));
        const engine = restore(o.config, state, o.now(), o.warn);
        result = { value: fn(engine, fresh) };
        const keys = [...executed.map(actionKey), ...fresh.map((e) => eventKey(e.id))];
        return recordKeys({ ...state, engine: engine.snapshot() }, keys, nowIso());
      });
      return result!.value;
    },
    async alreadyExecuted(key) {
      return latest !== null && isRecorded(latest, actionKey(key));
    },
    async recordExecuted(keys) {
      if (keys.length) await write((s) => recordKeys(s, keys.map(actionKey), nowIso()));
    },
    threads: {
      async get(key) {
        const t = latest?.threads[key];
        return t ? { channel: t.channel, ts: t.ts } : undefined;
      },
      async set(key, thread) {
        await write((s) => ({ ...s, threads: { ...s.threads, [key]: { channel: thread.channel, ts: thread.ts, updated: nowIso() } } }));
      },
    },
    pauses: {
      async setPaused(name, paused) {
        await write((s) => {
          const next = { ...s.paused };
          if (paused) next[name] = { by: "hookline", at: nowIso() };
          else delete next[name];
          return { ...s, paused: next };
        });
      },
    },
  };
}

export function lazyStateHost(o: StateHostOptions): EngineHost {
  const engine = createEngine(o.config);
  let earlier: Promise<ActionState> | null = null;
  // executed keys wait for the end of the evaluation: one write per run however many rounds
  const waiting: string[] = [];
  return {
    run: async (events, fn, executed = []) => {
      waiting.push(...executed);
      return fn(engine, events);
    },
    async alreadyExecuted(key) {
      if (o.attempt <= 1) return false;
      earlier ??= o.store.load().then((l) => l.state);
      return isRecorded(await earlier, actionKey(key));
    },
    async recordExecuted(keys) {
      const all = [...waiting.splice(0), ...keys];
      if (all.length === 0) return;
      await updateState(o.store, (s) => compactState(recordKeys(s, all.map(actionKey), isoOf(o.now())), { now: o.now() }), o.update);
    },
  };
}
