/**
 * Triggers that can never fire (issue 13): an `expect`/`after` pattern in a namespace hookline produces (`github.*`,
 * `hookline.*`) that matches no name hookline can emit, a run state in the wrong case, or a `github.*` label key that
 * no GitHub event carries. Checked against the catalogue generated from the translator and hookline's constants
 * (event-catalogue.generated.ts), each with a did-you-mean. Other names are free text (as in Prefect) and never
 * checked. Warnings, or errors when the caller asks for strict checking (`hookline validate --strict`).
 */
import { compilePattern } from "../events/glob.js";
import { closest } from "./did-you-mean.js";
import { GITHUB_EVENT_NAMES, GITHUB_PRIMARY_LABELS, GITHUB_RELATED_LABELS, HOOKLINE_EVENT_NAMES } from "./event-catalogue.generated.js";
import { toList } from "./normalize.js";
import { show, type Problem } from "./problems.js";
import type { RawCompound, RawEventTrigger, RawSequence, RawTrigger } from "./raw-schema.js";
import type { Locator, Path } from "./source-locator.js";
import { STATE_NAMES } from "./types.js";
import type { HooklineCode } from "../errors/registry.js";

export const NEVER_FIRES_CODES = {
  name: "HOOKLINE_TRIGGER_NEVER_FIRES_NAME",
  state: "HOOKLINE_TRIGGER_NEVER_FIRES_STATE",
  label: "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL",
} as const;

const STATE_LABEL = "github.state";
const STATE_HINT = "run states are capitalized (`Failed`, `TimedOut`, ...), in event names, `github.state` and `only_states` alike";
const knownNames = new Set([...GITHUB_EVENT_NAMES, ...HOOKLINE_EVENT_NAMES]);
const primaryLabels = new Set(GITHUB_PRIMARY_LABELS);
const relatedLabels = new Set(GITHUB_RELATED_LABELS);
const allLabels = [...new Set([...GITHUB_PRIMARY_LABELS, ...GITHUB_RELATED_LABELS])].sort();

type Report = (code: HooklineCode, path: Path, message: string, hint: string | undefined, where?: "key") => void;

export function checkNeverFires(trigger: RawTrigger, path: Path, loc: Locator, out: Problem[], strict = false): void {
  const severity = strict ? "error" : "warning";
  const report: Report = (code, p, message, hint, where) => out.push(loc.problem(severity, code, p, message, hint, where));
  walk(trigger, path, report);
}

function walk(trigger: RawTrigger, path: Path, report: Report): void {
  if (trigger.type === "compound" || trigger.type === "sequence") {
    ((trigger as RawCompound | RawSequence).triggers as RawTrigger[]).forEach((child, i) => walk(child, [...path, "triggers", i], report));
    return;
  }
  const t = trigger as RawEventTrigger;
  for (const field of ["expect", "after"] as const) {
    const value = t[field];
    toList(value).forEach((pattern, i) => checkName(pattern, Array.isArray(value) ? [...path, field, i] : [...path, field], report));
  }
  for (const [label, patterns] of Object.entries(t.match ?? {})) {
    checkLabel(label, "primary", [...path, "match", label], report);
    if (label === STATE_LABEL) checkStateValues(patterns, [...path, "match", label], report);
  }
  const related = t.match_related;
  toList<Record<string, string | string[]>>(related).forEach((m, i) => {
    for (const label of Object.keys(m)) {
      checkLabel(
        label,
        "related",
        [...(Array.isArray(related) ? [...path, "match_related", i] : [...path, "match_related"]), label],
        report,
      );
    }
  });
  const forEach = t.for_each;
  toList(forEach).forEach((key, i) => {
    const p = Array.isArray(forEach) ? [...path, "for_each", i] : [...path, "for_each"];
    const rel = /^related:[^:]*:(.*)$/s.exec(key);
    checkLabel(rel ? rel[1]! : key, rel ? "related" : "primary", p, report, key);
  });
}

function checkName(pattern: string, path: Path, report: Report): void {
  if (typeof pattern !== "string" || pattern.startsWith("!")) return; // a negated pattern still matches other names
  const names = pattern.startsWith("github.") ? GITHUB_EVENT_NAMES : pattern.startsWith("hookline.") ? HOOKLINE_EVENT_NAMES : null;
  if (names === null) return; // free text: any source may send it
  const glob = compilePattern(pattern);
  if (glob.literal ? knownNames.has(pattern) : names.some((n) => glob.test(n))) return;
  const folded = compilePattern(pattern.toLowerCase());
  const byCase = names.find((n) => folded.test(n.toLowerCase()));
  if (byCase !== undefined && pattern.startsWith("github.") && STATE_NAMES.some((s) => byCase.endsWith(`.${s}`))) {
    report(
      NEVER_FIRES_CODES.state,
      path,
      `${show(pattern)} never matches: hookline names run events after their state in its own case`,
      `did you mean \`${glob.literal ? byCase : fixStateCase(pattern)}\`? ${STATE_HINT}`,
    );
    return;
  }
  const suggestion = suggestName(pattern, names);
  const namespace = pattern.startsWith("github.") ? "the GitHub translator" : "hookline";
  report(
    NEVER_FIRES_CODES.name,
    path,
    `${show(pattern)} matches no event name ${namespace} produces, so this trigger never fires`,
    [
      suggestion !== undefined ? `did you mean \`${suggestion}\`?` : "see docs/validate.md for the names hookline produces",
      pattern.startsWith("github.")
        ? "kinds are kebab-case (`workflow-run`) and run events end in their state (`github.workflow-run.Failed`)"
        : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
}

/** the pattern with its kind in kebab case and a state-like last segment in canonical case, when that matches */
function suggestName(pattern: string, names: readonly string[]): string | undefined {
  const parts = pattern.split(".");
  if (parts.length >= 3 && parts[0] === "github") parts[1] = parts[1]!.replace(/_/g, "-");
  const fixed = fixStateCase(parts.join("."));
  if (fixed !== pattern && names.some((n) => compilePattern(fixed).test(n))) {
    return compilePattern(fixed).literal ? (names.find((n) => n === fixed) ?? fixed) : fixed;
  }
  return closest(pattern, names);
}

function fixStateCase(pattern: string): string {
  const dot = pattern.lastIndexOf(".");
  const last = pattern.slice(dot + 1);
  const state = STATE_NAMES.find((s) => s.toLowerCase() === last.toLowerCase().replace(/[-_]/g, ""));
  return state === undefined ? pattern : `${pattern.slice(0, dot + 1)}${state}`;
}

function checkStateValues(patterns: string | string[], path: Path, report: Report): void {
  toList(patterns).forEach((raw, i) => {
    if (typeof raw !== "string") return;
    const body = raw.startsWith("!") ? raw.slice(1) : raw;
    const glob = compilePattern(body);
    if (STATE_NAMES.some((s) => glob.test(s))) return;
    const folded = compilePattern(body.toLowerCase().replace(/[-_]/g, ""));
    const state = STATE_NAMES.find((s) => folded.test(s.toLowerCase()));
    if (state === undefined) return;
    report(
      NEVER_FIRES_CODES.state,
      Array.isArray(patterns) ? [...path, i] : path,
      `${show(raw)} is no state: \`${STATE_LABEL}\` holds ${STATE_NAMES.map((s) => `\`${s}\``).join(", ")}`,
      `did you mean \`${raw.startsWith("!") ? "!" : ""}${state}\`? ${STATE_HINT}`,
    );
  });
}

function checkLabel(label: string, where: "primary" | "related", path: Path, report: Report, written = label): void {
  if (!label.startsWith("github.")) return;
  const own = where === "primary" ? primaryLabels : relatedLabels;
  if (own.has(label)) return;
  const other = where === "primary" ? relatedLabels : primaryLabels;
  const onOther = other.has(label);
  const candidates = where === "primary" ? GITHUB_PRIMARY_LABELS : GITHUB_RELATED_LABELS;
  // a cut-short name (`github.base` for `github.base_branch`) before a typo
  const longer = candidates.find((c) => c.startsWith(`${label}_`));
  const suggestion = onOther ? undefined : (longer ?? closest(label, candidates));
  const fallback = onOther ? undefined : closest(label, allLabels);
  const hint = onOther
    ? where === "primary"
      ? `\`${label}\` is a label of related resources: match it with \`match_related\` (or \`for_each: related:ROLE:${label}\`)`
      : `\`${label}\` is a label of the primary resource: match it with \`match\``
    : (suggestion ?? fallback) !== undefined
      ? `did you mean \`${suggestion ?? fallback}\`?`
      : "see docs/validate.md for the labels GitHub events carry";
  report(
    NEVER_FIRES_CODES.label,
    path,
    `no GitHub event's ${where === "primary" ? "primary resource" : "related resource"} carries the label ${show(written)}, so ${
      path.includes("for_each") ? "its value is always empty and every event lands in one bucket" : "this never matches"
    }`,
    hint,
    path[path.length - 1] === label ? "key" : undefined,
  );
}
