/**
 * One evaluation of one scope, as the synchronous, pure callback of `store.evaluateScope`: restore the engine
 * (with the pauses that hold now), ingest the pending events in order, chain the firing events (and the
 * `hookline.action.triggered` events of the queued actions) through the same engine up to MAX_CHAIN_DEPTH, move
 * the clock to `now` so proactive deadlines fire on time, and hand back the state, the firings, the outbox items
 * and the produced events. No I/O, no clock: the same work and `now` always give the same result.
 *
 * The chaining is src/engine `chainFirings` (shared with the Action and `simulate`); this visitor adds one thing:
 * the server records `hookline.action.triggered` when it queues an action (the Action records it when it runs
 * one), and the engine ingests it too, so the `executed|failed` event that later follows it is not left waiting
 * for its leader.
 */
import { actionEvents, type Invocation } from "../../../src/executors/index.js";
import type { Automation } from "../../../src/automations/types.js";
import {
  chainFirings,
  chainStoppedWarning,
  createEngine,
  idempotencyKey,
  selectActions,
  type ChainVisitor,
  type Engine,
  type Firing,
} from "../../../src/engine/index.js";
import type { HooklineEvent } from "../../../src/events/index.js";
import type { EvaluationResult, IngestItem, OutboxItem, ScopeWork } from "../../../src/store/server-types.js";
import { originOfScope, scopesOfProduced } from "../../../src/scopes/routing.js";
import type { ScopeConfig } from "./types.js";

export { MAX_CHAIN_DEPTH } from "../../../src/engine/index.js";

/** Actions that touch nothing: not queued, no action events. */
const NOT_QUEUED = new Set(["do-nothing"]);

/**
 * The server's engines do not save processed ids (the engine default keeps 100,000 for an hour in its state,
 * the Action's only dedupe): the store hands each event id to a scope once (duplicate ids are dropped at ingest,
 * pending rows leave in the transaction that saves the state), and a follower whose leader an earlier batch
 * evaluated is released by the store's `settledLeaders`. Within one evaluation the engine still remembers the
 * ids it saw (up to 5,000: DEFAULT_EVALUATE_LIMIT events and what they produce). Saving them made the state that
 * every evaluation rewrites ~290 KB bigger (5,000 ids), most of the server scope's write per evaluation.
 */
export const SERVER_ENGINE_MEMORY = { dedupeMaxIds: 5_000, dedupeWindowSeconds: 900, snapshotProcessedIds: false } as const;

export interface RoundReport {
  result: EvaluationResult;
  warnings: string[];
}

/** The outbox row of one selected action. */
export function outboxItemOf(scope: string, inv: Invocation): OutboxItem {
  return { id: inv.idempotencyKey, scope, invocation: inv, maxAttempts: 1 + Math.max(0, Math.floor(inv.action.max_retries)) };
}

/** `hookline.action.triggered` for an action queued now (its outcome event is produced by the outbox worker). */
export function triggeredEventOf(inv: Invocation): HooklineEvent {
  return actionEvents(inv, { status: "executed", attempts: 0 })[0];
}

export function evaluationRound(work: ScopeWork, scoped: ScopeConfig, now: number): RoundReport {
  const { config } = scoped;
  const byName = new Map<string, Automation>(config.automations.map((a) => [a.name, a] as const));
  // the scope in every firing id: automations of the same name in two scopes never share ids or outbox keys
  // a follower whose leader an earlier batch evaluated (or that never comes to this scope) does not wait for it
  const settled = work.settledLeaders !== undefined && work.settledLeaders.size > 0 ? { settledLeaders: work.settledLeaders } : {};
  const engine: Engine = createEngine(
    config,
    { paused: work.paused, idNamespace: work.scope, ...SERVER_ENGINE_MEMORY, ...settled },
    work.state ?? undefined,
  );
  const firings: Firing[] = [];
  const outbox: OutboxItem[] = [];
  const produced: HooklineEvent[] = [];
  const unchained: HooklineEvent[] = [];
  const warnings: string[] = [];

  const visitor: ChainVisitor = {
    firing(firing, fired, stopped) {
      firings.push(firing);
      const automation = byName.get(firing.automation);
      const queued: Invocation[] = [];
      if (automation) {
        for (const { index, action } of selectActions(firing, automation)) {
          if (NOT_QUEUED.has(action.type)) continue;
          const inv: Invocation = { firing, automation, index, action, idempotencyKey: idempotencyKey(firing, index) };
          queued.push(inv);
          outbox.push(outboxItemOf(work.scope, inv));
        }
      }
      const triggered = queued.map(triggeredEventOf);
      if (stopped) {
        warnings.push(chainStoppedWarning(firing));
        // recorded for the feed, evaluated by no engine (that is what stops the loop)
        unchained.push(fired, ...triggered);
      }
      return triggered;
    },
    fedBack: (event) => void produced.push(event),
  };

  for (const event of work.events) chainFirings(engine, engine.ingest(event), visitor);
  if ((engine.clock() ?? -Infinity) < now) chainFirings(engine, engine.advanceTo(now), visitor);

  const scopes = scopesOfProduced(work.scope, "firing");
  const origin = originOfScope(work.scope);
  const events: IngestItem[] = [
    ...produced.map((event) => ({ event, scopes, origin })),
    ...unchained.map((event) => ({ event, scopes: [], origin })),
  ];
  return {
    result: { state: engine.snapshot(), configVersion: scoped.version, nextDeadline: engine.nextDeadline(), firings, outbox, events },
    warnings,
  };
}

/** A scope with no automations: its events are consumed, its state is kept as it was, nothing is due. */
export function emptyRound(work: ScopeWork): EvaluationResult {
  const state = work.state ?? createEngine({ automations: [], notifiers: {} }).snapshot();
  return { state, configVersion: work.configVersion, nextDeadline: null, firings: [], outbox: [], events: [] };
}
