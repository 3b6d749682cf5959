/**
 * SEMANTICS §6b: a firing's event goes back through the engine, so automations that react to other automations'
 * firings are tried, up to MAX_CHAIN_DEPTH links. The one chaining loop of every host (the Action, the server's
 * evaluation round, `hookline simulate`); what each does with a firing is its visitor's business.
 */
import type { HooklineEvent } from "../events/event-schema.js";
import { firingEvent } from "./firing-event.js";
import type { Engine, EngineOutput, Firing } from "./types.js";

/** Chained automations (one reacting to another's firing) deeper than this stop, with a warning. */
export const MAX_CHAIN_DEPTH = 16;

export interface ChainVisitor {
  /**
   * Each firing, in the order things happen, with its firing event. Returns the events to feed back after
   * `fired` (in order; e.g. the server's `hookline.action.triggered`). `stopped`: the chain is deeper than
   * MAX_CHAIN_DEPTH, and nothing of this firing is fed back (see chainStoppedWarning).
   */
  firing(firing: Firing, fired: HooklineEvent, stopped: boolean): readonly HooklineEvent[] | void;
  /** an event about to be fed back into the engine (a firing event, or one `firing` returned) */
  fedBack?(event: HooklineEvent): void;
}

/** Feeds the firings among `outputs` (of an ingest or a clock advance at chain `depth`) back, depth first. */
export function chainFirings(engine: Engine, outputs: readonly EngineOutput[], visitor: ChainVisitor, depth = 0): void {
  for (const out of outputs) {
    if (out.kind !== "firing") continue;
    const fired = firingEvent(out.firing);
    const stopped = depth >= MAX_CHAIN_DEPTH;
    const extra = visitor.firing(out.firing, fired, stopped) ?? [];
    if (stopped) continue;
    for (const event of [fired, ...extra]) {
      visitor.fedBack?.(event);
      chainFirings(engine, engine.ingest(event), visitor, depth + 1);
    }
  }
}

/** The warning a host reports for a stopped chain. */
export function chainStoppedWarning(firing: Firing): string {
  return `automation chain deeper than ${MAX_CHAIN_DEPTH} stopped at "${firing.automation}" (${firing.at}): check for automations that trigger each other`;
}
