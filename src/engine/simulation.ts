/**
 * The dry-run pipeline behind `hookline simulate` (DESIGN.md "CLI simulate contract", SEMANTICS §6b) and the
 * server's what-if replays (docs/what-if.md): events and ticks in, firings and rendered (never executed) action
 * requests out, in the order things happen. Pure: no I/O; the caller reads input and writes output. It lives in
 * the core so that the CLI and the server run the very same code.
 */
import type { Automation, AutomationsConfig } from "../automations/types.js";
import { chainFirings, chainStoppedWarning, createEngine, selectActions, type Engine, type EngineOutput, type Firing } from "./index.js";
import type { HooklineEvent } from "../events/event-schema.js";
import { buildTemplateContext, contextReads, renderValue, templateReads, TemplateError, type ContextReads } from "../templates/index.js";

export type SimulationItem =
  | { type: "firing"; firing: Firing }
  | {
      type: "action";
      firing: Firing;
      index: number;
      action: Automation["actions"][number];
      request: unknown;
      error: string | null;
      /** true when the request was not rendered: the simulation's `renderLimit` was reached */
      unrendered?: true;
    };

export interface SimulationOptions {
  /**
   * Render the parameters of this many actions, then list further actions unrendered (default: all). A what-if
   * replay answers with its first records only: rendering the other thousands would cost most of its time.
   */
  renderLimit?: number;
}

export { MAX_CHAIN_DEPTH } from "./index.js";

export class Simulation {
  private readonly engine: Engine;
  private readonly byName = new Map<string, Automation>();
  /** per automation, what its actions' templates read (null: build the whole context), found at its first firing */
  private readonly reads = new Map<Automation, ContextReads | null>();
  readonly warnings: string[] = [];
  private rendersLeft: number;

  constructor(config: AutomationsConfig, options: SimulationOptions = {}) {
    this.rendersLeft = options.renderLimit ?? Number.POSITIVE_INFINITY;
    this.engine = createEngine(config);
    for (const a of config.automations) this.byName.set(a.name, a);
  }

  /**
   * One input event: deadlines due before it (and what their firings chain into), then the event, then the
   * firings it causes, chained. The deadlines run first on their own so that a firing they cause is fed back
   * BEFORE the event is evaluated: an automation armed by another's alarm must see the event that follows.
   * A follower (§6) must not move the clock while it waits, so its deadlines are left to the engine.
   */
  event(event: HooklineEvent): SimulationItem[] {
    const before = event.follows === null ? this.expand(this.engine.advanceTo(Date.parse(event.occurred))) : [];
    const items = this.expand(this.engine.ingest(event));
    return before.length ? [...before, ...items] : items;
  }

  /** `{"tick": ISO}` or `--until`: advance the clock, firing every deadline up to it. */
  tick(ms: number): SimulationItem[] {
    return this.expand(this.engine.advanceTo(ms));
  }

  pendingFollowers(): HooklineEvent[] {
    return this.engine.pendingFollowers();
  }

  private expand(outputs: EngineOutput[]): SimulationItem[] {
    const items: SimulationItem[] = [];
    chainFirings(this.engine, outputs, {
      firing: (firing, _fired, stopped) => {
        items.push({ type: "firing", firing });
        const automation = this.byName.get(firing.automation);
        if (automation) items.push(...this.actionsOf(firing, automation));
        if (stopped) this.warnings.push(chainStoppedWarning(firing));
      },
    });
    return items;
  }

  private actionsOf(firing: Firing, automation: Automation): SimulationItem[] {
    const selected = selectActions(firing, automation);
    if (selected.length === 0) return [];
    if (this.rendersLeft <= 0)
      return selected.map(({ index, action }) => ({
        type: "action" as const,
        firing,
        index,
        action,
        request: null,
        error: null,
        unrendered: true,
      }));
    this.rendersLeft -= selected.length;
    let reads = this.reads.get(automation);
    if (reads === undefined) {
      const all = [...automation.actions, ...automation.actions_on_trigger, ...automation.actions_on_resolve];
      const tree = templateReads(all.map((a) => a.params));
      reads = tree === null ? null : contextReads(tree);
      this.reads.set(automation, reads);
    }
    // only what the templates can read is copied into their data (src/templates/reads.ts)
    const context = buildTemplateContext({ event: firing.triggering_event, automation, firing, ...(reads ? { reads } : {}) });
    return selected.map(({ index, action }) => {
      try {
        return { type: "action" as const, firing, index, action, request: renderValue(action.params, context), error: null };
      } catch (err) {
        const message = err instanceof TemplateError ? `${err.code}: ${err.message}` : String(err);
        return { type: "action" as const, firing, index, action, request: null, error: message };
      }
    });
  }
}

/** The JSON line of the `simulate --format json` contract. */
export function toContractRecord(item: SimulationItem): Record<string, unknown> {
  if (item.type === "firing") {
    const f = item.firing;
    return {
      kind: "firing",
      automation: f.automation,
      state: f.state,
      at: f.at,
      triggering_event: f.triggering_event === null ? null : f.triggering_event.id,
      labels: f.labels,
    };
  }
  const record: Record<string, unknown> = {
    kind: "action",
    automation: item.firing.automation,
    index: item.index,
    type: item.action.type,
    dry_run: true,
    request: item.request,
  };
  if (item.error !== null) record.error = item.error;
  return record;
}
