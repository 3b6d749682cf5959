/**
 * Events in, firings and action outcomes out. Rounds: (1) the engine evaluates the round's events and chains
 * firing events (pure, synchronous: inside the engine host, which may retry it on a state conflict); (2) the
 * selected actions run through `execute`; (3) the events their executions produce (hookline.action.*,
 * emit-event) are the next round's input, up to MAX_ROUNDS.
 */
import type { Invocation } from "../executors/types.js";
import type { Automation, AutomationsConfig } from "../automations/types.js";
import {
  chainFirings,
  chainStoppedWarning,
  createEngine,
  idempotencyKey,
  selectActions,
  type ChainVisitor,
  type Engine,
  type Firing,
} from "../engine/index.js";
import type { HooklineEvent } from "../events/index.js";
import { buildTemplateContext, renderValue, TemplateError } from "../templates/index.js";

/** One action of one firing: the executors' own type (type-only: nothing is loaded at start). */
export type { Invocation };

export interface InvocationResult {
  /** skipped: an earlier attempt of this workflow run already executed it (re-run) */
  status: "dry-run" | "executed" | "failed" | "skipped";
  /** dry-run: the rendered request */
  request?: unknown;
  /** executed: what the executor reports (e.g. the Slack message ts, the dispatched run) */
  result?: unknown;
  reason?: string;
  code?: string;
  /** events the execution produced, evaluated in the next round */
  events: HooklineEvent[];
}

export type Execute = (invocation: Invocation) => Promise<InvocationResult>;

/**
 * Where the engine lives between runs. `run` hands `fn` an engine restored from the stored state and the
 * round's events not yet processed by an earlier attempt, and stores the state after; it may call `fn` again on
 * a compare-and-swap conflict, so `fn` must be pure. Actions run only after `run` resolved (the firing is
 * recorded first: at-least-once), then their keys are recorded so a re-run skips them: in the next round's
 * write (`executed`), or by `recordExecuted` when there is no next round.
 */
export interface EngineHost {
  run<T>(events: HooklineEvent[], fn: (engine: Engine, fresh: HooklineEvent[]) => T, executed?: string[]): Promise<T>;
  /** true when an earlier attempt of this workflow run already executed this invocation */
  alreadyExecuted(idempotencyKey: string): Promise<boolean>;
  recordExecuted(idempotencyKeys: string[]): Promise<void>;
}

/** No stored state: one engine for this step only (dry runs). */
export function memoryHost(config: AutomationsConfig): EngineHost {
  const engine = createEngine(config);
  return { run: async (events, fn) => fn(engine, events), alreadyExecuted: async () => false, recordExecuted: async () => {} };
}

export { MAX_CHAIN_DEPTH } from "../engine/index.js";
const LOCAL_ACTIONS = new Set(["do-nothing", "emit-event"]);
export const MAX_ROUNDS = 8;

export interface EvaluationReport {
  events: HooklineEvent[];
  firings: Firing[];
  actions: Array<{ invocation: Invocation; result: InvocationResult }>;
  warnings: string[];
}

interface Round {
  events: HooklineEvent[];
  firings: Firing[];
  invocations: Invocation[];
  warnings: string[];
}

function engineRound(engine: Engine, byName: Map<string, Automation>, events: HooklineEvent[], advanceTo: number | null): Round {
  const round: Round = { events: [], firings: [], invocations: [], warnings: [] };
  const visitor: ChainVisitor = {
    firing(firing, _fired, stopped) {
      round.firings.push(firing);
      const automation = byName.get(firing.automation);
      if (automation) {
        for (const { index, action } of selectActions(firing, automation)) {
          round.invocations.push({ firing, automation, index, action, idempotencyKey: idempotencyKey(firing, index) });
        }
      }
      if (stopped) round.warnings.push(chainStoppedWarning(firing));
    },
    fedBack: (event) => void round.events.push(event),
  };
  for (const event of events) {
    round.events.push(event);
    chainFirings(engine, engine.ingest(event), visitor);
  }
  if (advanceTo !== null && (engine.clock() ?? -Infinity) < advanceTo) chainFirings(engine, engine.advanceTo(advanceTo), visitor);
  return round;
}

export async function evaluate(args: {
  config: AutomationsConfig;
  host: EngineHost;
  events: HooklineEvent[];
  /** epoch ms to move the clock to after the events (schedule runs), or null */
  advanceTo: number | null;
  execute: Execute;
}): Promise<EvaluationReport> {
  const byName = new Map(args.config.automations.map((a) => [a.name, a] as const));
  const report: EvaluationReport = { events: [], firings: [], actions: [], warnings: [] };
  let pending = args.events;
  let advanceTo = args.advanceTo;
  let executed: string[] = [];
  for (let round = 0; pending.length > 0 || advanceTo !== null; round++) {
    if (round >= MAX_ROUNDS) {
      report.warnings.push(
        `${pending.length} action events not evaluated: more than ${MAX_ROUNDS} rounds of automations reacting to actions`,
      );
      break;
    }
    const input = pending;
    const at = advanceTo;
    const r = await args.host.run(input, (engine, fresh) => engineRound(engine, byName, fresh, at), executed);
    executed = [];
    advanceTo = null;
    report.events.push(...r.events);
    report.firings.push(...r.firings);
    report.warnings.push(...r.warnings);
    pending = [];
    for (const invocation of r.invocations) {
      if (await args.host.alreadyExecuted(invocation.idempotencyKey)) {
        report.actions.push({
          invocation,
          result: { status: "skipped", reason: "already executed by an earlier attempt of this workflow run", events: [] },
        });
        continue;
      }
      const result = await args.execute(invocation);
      report.actions.push({ invocation, result });
      // do-nothing and emit-event touch nothing outside (an emitted event has a stable id): not recorded
      if (result.status === "executed" && !LOCAL_ACTIONS.has(invocation.action.type)) executed.push(invocation.idempotencyKey);
      pending.push(...result.events);
    }
  }
  await args.host.recordExecuted(executed);
  return report;
}

/** Dry run: render the request, execute nothing, produce no events (as `hookline simulate`). */
export const dryRun: Execute = async (inv) => {
  try {
    const context = buildTemplateContext({ event: inv.firing.triggering_event, automation: inv.automation, firing: inv.firing });
    return { status: "dry-run", request: renderValue(inv.action.params, context), events: [] };
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return { status: "failed", code: err.code, reason: `template: ${err.message}`, events: [] };
  }
};
