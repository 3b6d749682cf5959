/**
 * A what-if replay (docs/what-if.md): automations run over a slice of stored history, from `since` to `until`,
 * through the same dry-run pipeline as `hookline simulate` (./simulation.ts), so both answer the same thing for
 * the same events. The replay starts with empty state at `since` (a tick, exactly as `{"tick": since}` as the
 * first line of a simulate input), takes events in storage order, and ends with a tick at `until`. It keeps the
 * first `keep` records of each kind for the answer, the totals, and a short summary of every firing per
 * automation for the comparison (./replay-diff.ts). Pure: the caller streams events in and reads the column out.
 */
import type { AutomationsConfig } from "../automations/types.js";
import type { HooklineEvent } from "../events/event-schema.js";
import { Simulation, toContractRecord, type SimulationItem } from "./simulation.js";
import type { FiringState } from "./types.js";

/** What the comparison needs of a firing. */
export interface FiringSummary {
  state: FiringState;
  at: string;
  triggering_event: string | null;
  labels: Record<string, string>;
}

/** One side of a what-if answer: the records of the `simulate --format json` contract, first `keep` of each. */
export interface ReplayColumn {
  firings: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  totals: { firings: number; actions: number; triggered: number; resolved: number };
  /** the records above stop before the totals (`keep` reached) */
  cut: boolean;
  /** chains stopped at MAX_CHAIN_DEPTH, templates that failed to render are in the action records */
  warnings: string[];
}

/** records of each kind kept for the answer by default */
export const REPLAY_KEEP = 1_000;

export class Replay {
  private readonly sim: Simulation;
  private readonly column: ReplayColumn;
  /** every firing per automation, in order (the answer's lists are cut, the comparison is not) */
  readonly byAutomation = new Map<string, FiringSummary[]>();

  constructor(
    readonly config: AutomationsConfig,
    sinceMs: number,
    private readonly keep = REPLAY_KEEP,
  ) {
    // only the kept action records are shown: render those, count the rest
    this.sim = new Simulation(config, { renderLimit: keep });
    this.column = { firings: [], actions: [], totals: { firings: 0, actions: 0, triggered: 0, resolved: 0 }, cut: false, warnings: [] };
    this.take(this.sim.tick(sinceMs));
  }

  event(event: HooklineEvent): void {
    this.take(this.sim.event(event));
  }

  /** the last tick (deadlines up to `untilMs` fire), then the column */
  finish(untilMs: number): ReplayColumn {
    this.take(this.sim.tick(untilMs));
    this.column.warnings.push(...this.sim.warnings.slice(0, 20));
    const waiting = this.sim.pendingFollowers().length;
    if (waiting > 0)
      this.column.warnings.push(`${waiting} event${waiting === 1 ? " was" : "s were"} still waiting for the event they follow`);
    return this.column;
  }

  private take(items: SimulationItem[]): void {
    const c = this.column;
    for (const item of items) {
      if (item.type === "firing") {
        const f = item.firing;
        c.totals.firings++;
        if (f.state === "Triggered") c.totals.triggered++;
        else c.totals.resolved++;
        let list = this.byAutomation.get(f.automation);
        if (!list) this.byAutomation.set(f.automation, (list = []));
        list.push({ state: f.state, at: f.at, triggering_event: f.triggering_event?.id ?? null, labels: f.labels });
        if (c.firings.length < this.keep) c.firings.push(toContractRecord(item));
        else c.cut = true;
      } else {
        c.totals.actions++;
        if (c.actions.length < this.keep) c.actions.push(toContractRecord(item));
        else c.cut = true;
      }
    }
  }
}
