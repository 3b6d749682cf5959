/**
 * An automation as validated by the raw schema, with the paths its parts came from. Explicit automations
 * come from `automations:`; the `workflows:` section expands into more (Prefect's deployment triggers).
 */
import type { RawAction, RawAutomation, RawWorkflowTrigger } from "./raw-schema.js";
import type { Path } from "./source-locator.js";

export type ActionList = "actions" | "actions_on_trigger" | "actions_on_resolve";
export const ACTION_LISTS: readonly ActionList[] = ["actions", "actions_on_trigger", "actions_on_resolve"];

export interface AutomationEntry {
  raw: RawAutomation;
  /** the automation's mapping (for workflows: the trigger entry) */
  path: Path;
  /** where `name` is (or would be) */
  namePath: Path;
  /** the trigger's mapping (for workflows: the entry, whose fields are the trigger's) */
  triggerPath: Path;
  /** the mapping of an action; its params are found under it by field name */
  actionPath(list: ActionList, index: number): Path;
  generated_from?: { workflow: string; trigger_index: number };
}

export function explicitEntry(raw: RawAutomation, index: number): AutomationEntry {
  const path: Path = ["automations", index];
  return {
    raw,
    path,
    namePath: [...path, "name"],
    triggerPath: [...path, "trigger"],
    actionPath: (list, i) => [...path, list, i],
  };
}

const TRIGGER_ONLY = new Set(["name", "description", "enabled", "inputs", "ref"]);

/**
 * `workflows: {deploy.yml: {triggers: [{expect, match, inputs, ...}]}}` → one automation per trigger, named
 * `deploy.yml#1`, `deploy.yml#2`, ... (1-based) unless the trigger has a `name`, with one `run-workflow` action
 * (workflow = the key, inputs and ref from the trigger). `generated_from.trigger_index` is 0-based.
 */
export function workflowEntry(workflow: string, index: number, t: RawWorkflowTrigger): AutomationEntry {
  const path: Path = ["workflows", workflow, "triggers", index];
  const trigger: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t)) if (!TRIGGER_ONLY.has(k) && v !== undefined) trigger[k] = v;
  const run: Record<string, unknown> = { type: "run-workflow", workflow };
  if (t.ref !== undefined) run.ref = t.ref;
  if (t.inputs !== undefined) run.inputs = t.inputs;
  const raw: RawAutomation = {
    name: t.name ?? `${workflow}#${index + 1}`,
    description: t.description ?? `Runs ${workflow} (workflows: trigger ${index + 1})`,
    enabled: t.enabled,
    trigger: trigger as RawAutomation["trigger"],
    actions: [run as RawAction],
    actions_on_trigger: [],
    actions_on_resolve: [],
  };
  return {
    raw,
    path,
    namePath: t.name !== undefined ? [...path, "name"] : path,
    triggerPath: path,
    actionPath: () => path,
    generated_from: { workflow, trigger_index: index },
  };
}
