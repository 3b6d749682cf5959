/**
 * loadAutomations: text of an automations.yaml → the normalized config, or positioned problems. Never throws:
 * bad input of any kind (malformed, oversized, hostile) becomes problems.
 */
import { explicitEntry, workflowEntry, type AutomationEntry } from "./entries.js";
import { normalizeAutomation } from "./normalize.js";
import { sortProblems, type LoadResult, type Problem } from "./problems.js";
import { Automation, AutomationsFile, WorkflowTrigger, type RawFile } from "./raw-schema.js";
import { SourceLocator, type Locator } from "./source-locator.js";
import type { AutomationsConfig, Notifier } from "./types.js";
import { checkActions } from "./validate-actions.js";
import { checkSelfTrigger } from "./validate-self-trigger.js";
import { checkNeverFires } from "./validate-never-fires.js";
import { checkTrigger } from "./validate-trigger.js";
import { readYaml } from "./yaml-source.js";
import { issuesToProblems } from "./zod-issues.js";

export interface LoadOptions {
  /**
   * `check` (default): every template string is checked at load, with its position (validate, the PR check).
   * `lazy`: templates are checked and compiled at their first render instead (render.ts runs the same static
   * check before compiling, SEMANTICS.md §7), so a runtime that fires one automation does not check fifty.
   */
  templates?: "check" | "lazy";
  /**
   * true: a trigger that can never fire (HOOKLINE_TRIGGER_NEVER_FIRES_*) is an error, not a warning
   * (`hookline validate --strict`, the Action's `strict` input).
   */
  strict?: boolean;
}

export function loadAutomations(text: string, file: string, options: LoadOptions = {}): LoadResult {
  try {
    return load(text, file, options);
  } catch (e) {
    const problem: Problem = {
      severity: "error",
      code: "HOOKLINE_INTERNAL",
      message: `the automations file could not be checked: ${(e as Error)?.message ?? String(e)}`,
      hint: "this is a bug in hookline; please report it with the file",
      file,
      line: 1,
      col: 1,
    };
    return { config: null, problems: [problem] };
  }
}

function load(text: string, file: string, options: LoadOptions): LoadResult {
  if (typeof text !== "string") {
    return fail({ severity: "error", code: "HOOKLINE_NOT_TEXT", message: "the automations file must be text", file, line: 1, col: 1 });
  }
  const read = readYaml(text, file);
  if (!read.ok) return fail(...read.problems);
  const { source } = read;
  const problems: Problem[] = [...read.problems];
  const loc = new SourceLocator(source.doc, source.lineCounter, text, file);
  const data = source.data;
  if (!isPlainObject(data)) {
    problems.push(
      loc.problem(
        "error",
        "HOOKLINE_NOT_A_MAPPING",
        [],
        `the automations file must be a mapping with \`automations:\`, not ${Array.isArray(data) ? "a list" : "a single value"}`,
        Array.isArray(data) ? "put the list under a top-level `automations:` key" : "start the file with `automations:`",
      ),
    );
    return fail(...problems);
  }
  return checkAndNormalize(data, loc, problems, options);
}

/** The schema, the semantic checks and normalization of a file read as a mapping; problems are collected with positions. */
export function checkAndNormalize(data: Record<string, unknown>, loc: Locator, problems: Problem[], options: LoadOptions): LoadResult {
  const parsed = AutomationsFile.safeParse(data);
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, AutomationsFile, data, loc));

  // semantic checks run on every part that is valid on its own, so one run reports as much as possible
  const entries = parsed.success ? entriesOf(parsed.data) : collectEntries(data);
  const notifierNames = new Set(isPlainObject(data.notifiers) ? Object.keys(data.notifiers) : []);
  const automationNames = new Set(entries.map((e) => e.raw.name));
  if (Array.isArray(data.automations)) {
    for (const a of data.automations) if (isPlainObject(a) && typeof a.name === "string") automationNames.add(a.name.trim());
  }
  checkDuplicateNames(entries, loc, problems);
  const refs = { notifiers: notifierNames, automations: automationNames, checkTemplates: options.templates !== "lazy" };
  for (const entry of entries) {
    checkTrigger(entry.raw.trigger as never, entry.triggerPath, loc, problems);
    checkNeverFires(entry.raw.trigger as never, entry.triggerPath, loc, problems, options.strict === true);
    checkActions(entry, refs, loc, problems);
    checkSelfTrigger(entry, loc, problems);
  }
  if (parsed.success && entries.length === 0) {
    problems.push(
      loc.problem("warning", "HOOKLINE_NO_AUTOMATIONS", [], "the file defines no automations", "add some under `automations:`"),
    );
  }

  if (!parsed.success || problems.some((p) => p.severity === "error")) return fail(...problems);
  const config: AutomationsConfig = {
    automations: entries.map((e) => normalizeAutomation(e, loc)),
    notifiers: normalizeNotifiers(parsed.data),
  };
  return { config, problems: sortProblems(problems) };
}

function fail(...problems: Problem[]): LoadResult {
  return { config: null, problems: sortProblems(problems) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The entries of a file that passed the schema: its parsed parts are what collectEntries would parse again. */
function entriesOf(file: RawFile): AutomationEntry[] {
  const entries: AutomationEntry[] = (file.automations ?? []).map((raw, i) => explicitEntry(raw, i));
  for (const [workflow, spec] of Object.entries(file.workflows ?? {})) {
    spec.triggers.forEach((t, i) => entries.push(workflowEntry(workflow, i, t)));
  }
  return entries;
}

/** Every automation and workflows trigger that is valid on its own (the file as a whole may not be). */
function collectEntries(data: Record<string, unknown>): AutomationEntry[] {
  const entries: AutomationEntry[] = [];
  if (Array.isArray(data.automations)) {
    data.automations.forEach((item, i) => {
      const r = Automation.safeParse(item);
      if (r.success) entries.push(explicitEntry(r.data, i));
    });
  }
  if (isPlainObject(data.workflows)) {
    for (const [workflow, spec] of Object.entries(data.workflows)) {
      const triggers = isPlainObject(spec) ? spec.triggers : undefined;
      if (!Array.isArray(triggers)) continue;
      triggers.forEach((t, i) => {
        const r = WorkflowTrigger.safeParse(t);
        if (r.success) entries.push(workflowEntry(workflow, i, r.data));
      });
    }
  }
  return entries;
}

function checkDuplicateNames(entries: readonly AutomationEntry[], loc: Locator, out: Problem[]): void {
  const first = new Map<string, AutomationEntry>();
  for (const entry of entries) {
    const seen = first.get(entry.raw.name);
    if (!seen) {
      first.set(entry.raw.name, entry);
      continue;
    }
    const { line } = loc.position(seen.namePath);
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_DUPLICATE_NAME",
        entry.namePath,
        `automation name \`${entry.raw.name}\` is already used (line ${line})`,
        entry.generated_from ? "give this workflows trigger a `name`" : "automation names must be unique: rename one",
      ),
    );
  }
}

function normalizeNotifiers(file: RawFile): Record<string, Notifier> {
  const out: Record<string, Notifier> = {};
  for (const [name, n] of Object.entries(file.notifiers ?? {})) {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) if (v !== undefined) clean[k] = v;
    out[name] = clean as Notifier;
  }
  return out;
}
