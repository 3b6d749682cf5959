/**
 * What the repository can tell about an automations file: the workflows that run-workflow / enable-workflow /
 * disable-workflow name exist in `.github/workflows/` and declare `workflow_dispatch` with the inputs passed.
 * Only same-repository, literal workflow file names are checked (templates and ids are known at run time only).
 */
import { parse } from "yaml";
import type { Problem } from "./problems.js";
import type { ActionSpec, AutomationsConfig } from "./types.js";
import { isTemplate } from "../templates/index.js";
import type { HooklineCode } from "../errors/registry.js";

/** Reads `.github/workflows/<name>` of the workspace; undefined when there is no such file. */
export type WorkflowReader = (name: string) => string | undefined;

type Dispatch = { ok: true; inputs: Map<string, { required: boolean; hasDefault: boolean }> } | { ok: false; reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function dispatchOf(text: string): Dispatch {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, reason: `is not valid YAML (${err instanceof Error ? err.message.split("\n")[0] : String(err)})` };
  }
  if (!isRecord(doc)) return { ok: false, reason: "is not a workflow (no mapping at the top)" };
  const on = Object.prototype.hasOwnProperty.call(doc, "on") ? doc.on : doc.true; // YAML 1.1 readers turn `on` into true
  const none = { ok: false as const, reason: "does not declare `on: workflow_dispatch`, so it cannot be dispatched" };
  if (on === "workflow_dispatch") return { ok: true, inputs: new Map() };
  if (Array.isArray(on)) return on.includes("workflow_dispatch") ? { ok: true, inputs: new Map() } : none;
  if (!isRecord(on) || !Object.prototype.hasOwnProperty.call(on, "workflow_dispatch")) return none;
  const wd = on.workflow_dispatch;
  const inputs = new Map<string, { required: boolean; hasDefault: boolean }>();
  if (isRecord(wd) && isRecord(wd.inputs)) {
    for (const [name, spec] of Object.entries(wd.inputs)) {
      inputs.set(name, { required: isRecord(spec) && spec.required === true, hasDefault: isRecord(spec) && spec.default !== undefined });
    }
  }
  return { ok: true, inputs };
}

const WORKFLOW_ACTIONS = new Set(["run-workflow", "enable-workflow", "disable-workflow"]);

export function checkWorkflows(config: AutomationsConfig, file: string, read: WorkflowReader): Problem[] {
  const problems: Problem[] = [];
  const cache = new Map<string, string | undefined>();
  for (const automation of config.automations) {
    for (const action of [...automation.actions, ...automation.actions_on_trigger, ...automation.actions_on_resolve]) {
      if (WORKFLOW_ACTIONS.has(action.type)) problems.push(...checkAction(action, automation.position, file, read, cache));
    }
  }
  return problems;
}

function checkAction(
  action: ActionSpec,
  fallback: { line: number; col: number } | undefined,
  file: string,
  read: WorkflowReader,
  cache: Map<string, string | undefined>,
): Problem[] {
  const { workflow, repository, inputs } = action.params as { workflow?: unknown; repository?: unknown; inputs?: unknown };
  if (typeof workflow !== "string" || isTemplate(workflow) || repository !== undefined) return [];
  if (!/^[\w.-]+\.ya?ml$/.test(workflow)) return []; // a workflow id or name: only GitHub knows
  const at = action.position ?? fallback ?? { line: 1, col: 1 };
  const problem = (severity: Problem["severity"], code: HooklineCode, message: string, hint: string): Problem => ({
    severity,
    code,
    message,
    hint,
    file,
    line: at.line,
    col: at.col,
  });
  if (!cache.has(workflow)) cache.set(workflow, read(workflow));
  const text = cache.get(workflow);
  const where = `.github/workflows/${workflow}`;
  if (text === undefined) {
    return [
      problem(
        "error",
        "HOOKLINE_WORKFLOW_NOT_FOUND",
        `${action.type} names ${where}, which does not exist in this repository`,
        "check the file name (with .yml or .yaml) or add `repository: owner/name` for another repository",
      ),
    ];
  }
  const dispatch = dispatchOf(text);
  if (!dispatch.ok) {
    return [
      problem(
        "error",
        "HOOKLINE_WORKFLOW_NOT_DISPATCHABLE",
        `${where} ${dispatch.reason}`,
        "add `on: workflow_dispatch:` (with its `inputs:`) to that workflow",
      ),
    ];
  }
  if (action.type !== "run-workflow") return [];
  const out: Problem[] = [];
  const passed = isRecord(inputs) ? Object.keys(inputs) : [];
  for (const name of passed) {
    if (!dispatch.inputs.has(name)) {
      const known = [...dispatch.inputs.keys()];
      out.push(
        problem(
          "error",
          "HOOKLINE_WORKFLOW_INPUT_UNKNOWN",
          `input \`${name}\` is not declared by ${where} (GitHub rejects the dispatch)`,
          known.length ? `declared inputs: ${known.join(", ")}` : `declare it under on.workflow_dispatch.inputs in ${where}`,
        ),
      );
    }
  }
  for (const [name, spec] of dispatch.inputs) {
    if (spec.required && !spec.hasDefault && !passed.includes(name)) {
      out.push(
        problem(
          "error",
          "HOOKLINE_WORKFLOW_INPUT_MISSING",
          `${where} requires the input \`${name}\`, which this action does not pass`,
          `add \`${name}:\` under the action's inputs`,
        ),
      );
    }
  }
  return out;
}
