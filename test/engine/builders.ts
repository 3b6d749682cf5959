/** Small builders for engine tests: configs, events and readable summaries of what the engine did. */
import type { HooklineEvent, Resource } from "../../src/events/event-schema.js";
import { uuidv5 } from "../../src/events/uuid.js";
import type {
  ActionSpec,
  Automation,
  AutomationsConfig,
  CompoundTriggerSpec,
  EventTriggerSpec,
  SequenceTriggerSpec,
  TriggerSpec,
} from "../../src/automations/types.js";
import type { Engine, EngineOutput, Firing } from "../../src/engine/index.js";

export const T0 = Date.parse("2024-01-01T00:00:00.000Z");
/** epoch ms of `sec` seconds after T0 */
export const ms = (sec: number): number => T0 + sec * 1000;
export const iso = (sec: number): string => new Date(ms(sec)).toISOString();
/** seconds after T0 of an ISO time */
export const sec = (isoTime: string): number => (Date.parse(isoTime) - T0) / 1000;

export function trigger(p: Partial<EventTriggerSpec> = {}): EventTriggerSpec {
  return {
    type: "event",
    match: {},
    match_related: [],
    after: [],
    expect: [],
    for_each: [],
    posture: "Reactive",
    threshold: 1,
    within: 0,
    repeat: null,
    ...p,
  };
}

export function proactive(p: Partial<EventTriggerSpec> = {}): EventTriggerSpec {
  return trigger({ posture: "Proactive", within: 60, ...p });
}

export function compound(
  triggers: TriggerSpec[],
  require: CompoundTriggerSpec["require"] = "all",
  within: number | null = null,
): CompoundTriggerSpec {
  return { type: "compound", triggers, require, within };
}

export function sequence(triggers: TriggerSpec[], within: number | null = null): SequenceTriggerSpec {
  return { type: "sequence", triggers, within };
}

export function action(p: Partial<ActionSpec> = {}): ActionSpec {
  return { type: "do-nothing", params: {}, only_states: null, ignore_states: null, max_retries: 3, retry_interval: 10, timeout: 30, ...p };
}

export function automation(name: string, t: TriggerSpec, p: Partial<Automation> = {}): Automation {
  return { name, description: "", enabled: true, trigger: t, actions: [action()], actions_on_trigger: [], actions_on_resolve: [], ...p };
}

export function config(...automations: Automation[]): AutomationsConfig {
  return { automations, notifiers: {} };
}

let counter = 0;
export function freshId(): string {
  return uuidv5(`engine-test-${counter++}`);
}

export interface EventOpts {
  id?: string;
  resource?: Resource;
  related?: Resource[];
  follows?: string | null;
  payload?: Record<string, unknown>;
}

/** an event named `name` at `atSec` seconds after T0 */
export function event(name: string, atSec: number, o: EventOpts = {}): HooklineEvent {
  return {
    id: o.id ?? freshId(),
    occurred: iso(atSec),
    event: name,
    resource: { "prefect.resource.id": "test.resource.1", ...o.resource },
    related: o.related ?? [],
    payload: o.payload ?? {},
    follows: o.follows ?? null,
  };
}

export type Input = HooklineEvent | { tick: number };

/** feeds events and ticks (`{tick: sec}`), returns every output in order */
export function run(engine: Engine, inputs: readonly Input[]): EngineOutput[] {
  const out: EngineOutput[] = [];
  for (const x of inputs) out.push(...("tick" in x ? engine.advanceTo(ms(x.tick)) : engine.ingest(x)));
  return out;
}

export function firingsOf(outputs: readonly EngineOutput[]): Firing[] {
  return outputs.flatMap((o) => (o.kind === "firing" ? [o.firing] : []));
}

/** compact: "name Triggered @12s by <event id>" */
export interface Summary {
  automation: string;
  state: string;
  at: number;
  by: string | null;
  labels: Record<string, string>;
}

export function summary(outputs: readonly EngineOutput[]): Summary[] {
  return firingsOf(outputs).map((f) => ({
    automation: f.automation,
    state: f.state,
    at: sec(f.at),
    by: f.triggering_event?.id ?? null,
    labels: f.labels,
  }));
}

/** [state, at-seconds] pairs: the shortest readable form */
export function timeline(outputs: readonly EngineOutput[]): [string, number][] {
  return firingsOf(outputs).map((f) => [f.state, sec(f.at)]);
}
