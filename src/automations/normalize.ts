/**
 * Raw (schema-valid, semantically checked) automations → the normalized model of types.ts: defaults filled,
 * durations in seconds, lists as lists, for_each sorted, action common fields split from `params`.
 */
import type { ResourceMatch } from "../events/match.js";
import { parseDuration } from "./duration.js";
import { ACTION_LISTS, type AutomationEntry } from "./entries.js";
import type { RawAction, RawCompound, RawEventTrigger, RawSequence, RawTrigger } from "./raw-schema.js";
import { COMMON_ACTION_FIELDS } from "./raw-schema.js";
import type { Locator } from "./source-locator.js";
import { ACTION_DEFAULTS, type ActionSpec, type Automation, type EventTriggerSpec, type StateName, type TriggerSpec } from "./types.js";

/** Proactive triggers default to (and must be at least) this window, in seconds. */
export const PROACTIVE_MIN_WITHIN = 10;

export function toList<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as T[])] : [value as T];
}

export function normalizeTrigger(raw: RawTrigger): TriggerSpec {
  if (raw.type === "compound") {
    const c = raw as RawCompound;
    return {
      type: "compound",
      triggers: (c.triggers as RawTrigger[]).map(normalizeTrigger),
      require: c.require,
      within: durationOrNull(c.within),
    };
  }
  if (raw.type === "sequence") {
    const s = raw as RawSequence;
    return { type: "sequence", triggers: (s.triggers as RawTrigger[]).map(normalizeTrigger), within: durationOrNull(s.within) };
  }
  return normalizeEventTrigger(raw as RawEventTrigger);
}

function normalizeEventTrigger(t: RawEventTrigger): EventTriggerSpec {
  const posture = t.posture ?? "Reactive";
  const within = t.within === undefined ? null : parseDuration(t.within);
  return {
    type: "event",
    match: { ...(t.match ?? {}) } as ResourceMatch,
    // an empty mapping constrains nothing (as in Prefect): dropped, so it does not demand a related resource
    match_related: toList<ResourceMatch>(t.match_related as ResourceMatch | ResourceMatch[] | undefined)
      .filter((m) => Object.keys(m).length > 0)
      .map((m) => ({ ...m })),
    after: toList(t.after),
    expect: toList(t.expect),
    for_each: [...new Set(toList(t.for_each))].sort(),
    posture,
    threshold: t.threshold ?? 1,
    within: within ?? (posture === "Proactive" ? PROACTIVE_MIN_WITHIN : 0),
    repeat: t.repeat === undefined ? null : parseDuration(t.repeat),
  };
}

function durationOrNull(value: unknown): number | null {
  return value === undefined || value === null ? null : parseDuration(value);
}

/** `source` of the run / automation actions: `selected` when the id is given, else `inferred` */
export const SOURCE_ID_FIELD: Partial<Record<RawAction["type"], string>> = {
  "cancel-workflow-run": "run_id",
  "rerun-workflow-run": "run_id",
  "pause-automation": "automation",
  "resume-automation": "automation",
};

export function normalizeAction(raw: RawAction, position?: ActionSpec["position"]): ActionSpec {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!COMMON_ACTION_FIELDS.includes(k) && v !== undefined) params[k] = v;
  const idField = SOURCE_ID_FIELD[raw.type];
  if (idField && params.source === undefined) params.source = params[idField] === undefined ? "inferred" : "selected";
  if (raw.type === "call-webhook" && params.method === undefined) params.method = "POST";
  const spec: ActionSpec = {
    type: raw.type,
    params,
    only_states: raw.only_states === undefined ? null : toList(raw.only_states as StateName | StateName[]),
    ignore_states: raw.ignore_states === undefined ? null : toList(raw.ignore_states as StateName | StateName[]),
    max_retries: raw.max_retries ?? ACTION_DEFAULTS.max_retries,
    retry_interval: raw.retry_interval === undefined ? ACTION_DEFAULTS.retry_interval : parseDuration(raw.retry_interval)!,
    timeout: raw.timeout === undefined ? ACTION_DEFAULTS.timeout : parseDuration(raw.timeout)!,
  };
  if (position) spec.position = position;
  return spec;
}

export function normalizeAutomation(entry: AutomationEntry, locator: Locator): Automation {
  const { raw } = entry;
  const lists = {} as Record<(typeof ACTION_LISTS)[number], ActionSpec[]>;
  for (const list of ACTION_LISTS) {
    lists[list] = raw[list].map((a, i) => normalizeAction(a as RawAction, locator.sourcePosition(entry.actionPath(list, i))));
  }
  const automation: Automation = {
    name: raw.name,
    description: raw.description,
    enabled: raw.enabled,
    trigger: normalizeTrigger(raw.trigger as RawTrigger),
    actions: lists.actions,
    actions_on_trigger: lists.actions_on_trigger,
    actions_on_resolve: lists.actions_on_resolve,
    position: locator.sourcePosition(entry.path),
  };
  if (entry.generated_from) automation.generated_from = { ...entry.generated_from };
  return automation;
}
