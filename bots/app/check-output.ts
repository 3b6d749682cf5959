/**
 * The PR check's output (pure): conclusion, title, a summary like the Action's job summary (verdict, the
 * automations and what they react to, the problems) and annotations at path:line:col, cut into the batches
 * of 50 the Checks API takes per request.
 */
import type { Problem } from "../../src/automations/index.js";
import type { Automation } from "../../src/automations/types.js";
import { describeActions as actionsOf, describeTrigger } from "../../src/automations/describe.js";
import { htmlTable, paragraph } from "../../src/report/html.js";

/** The Checks API takes at most 50 annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Beyond this many, problems are listed in the summary only (a hostile file must not cost hundreds of calls). */
export const MAX_ANNOTATIONS = 500;
const SUMMARY_MAX = 65_535;
const TITLE_MAX = 255;
const MESSAGE_MAX = 64 * 1024;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number;
  end_column: number;
  annotation_level: "failure" | "warning";
  message: string;
  title: string;
}

export interface CheckOutput {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function checkOutput(path: string, problems: readonly Problem[], automations: readonly Automation[] | null): CheckOutput {
  const sorted = [...problems].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
  const errors = sorted.filter((p) => p.severity === "error").length;
  const warnings = sorted.length - errors;
  const rows = (automations ?? []).map((a) => [a.name + (a.enabled ? "" : " (disabled)"), describeTrigger(a.trigger), actionsOf(a)]);
  const title = (
    errors
      ? `${path}: ${plural(errors, "error")}, ${plural(warnings, "warning")}`
      : `${path}: ${plural(rows.length, "automation")} OK${warnings ? ` (${plural(warnings, "warning")})` : ""}`
  ).slice(0, TITLE_MAX);
  const blocks = [paragraph(title)];
  if (rows.length) blocks.push(htmlTable(["Automation", "Reacts to", "Actions"], rows));
  if (sorted.length) {
    blocks.push(
      htmlTable(
        ["Where", "Severity", "Code", "Problem"],
        sorted.map((p) => [`${p.file}:${p.line}:${p.col}`, p.severity, p.code, p.hint ? `${p.message} (${p.hint})` : p.message]),
      ),
    );
  }
  if (sorted.length > MAX_ANNOTATIONS)
    blocks.push(
      paragraph(
        `${sorted.length - MAX_ANNOTATIONS} more problems are listed above but not annotated (at most ${MAX_ANNOTATIONS} annotations per check).`,
      ),
    );
  let summary = blocks.join("\n\n");
  if (summary.length > SUMMARY_MAX) summary = `${summary.slice(0, SUMMARY_MAX - 40)}\n\n(summary cut at GitHub's size limit)`;
  const annotations = sorted.slice(0, MAX_ANNOTATIONS).map((p): CheckAnnotation => ({
    path: p.file,
    start_line: p.line,
    end_line: p.line,
    start_column: p.col,
    end_column: p.col,
    annotation_level: p.severity === "error" ? "failure" : "warning",
    message: (p.hint ? `${p.message} (${p.hint})` : p.message).slice(0, MESSAGE_MAX),
    title: p.code,
  }));
  return { conclusion: errors ? "failure" : "success", title, summary, annotations };
}

/** A check for a commit that has no automations file (a PR that only touches workflows, or deletes the file). */
export function noFileOutput(path: string): CheckOutput {
  const title = `${path} is not in this commit`;
  return {
    conclusion: "neutral",
    title,
    summary: paragraph(
      `${title}: the repository has no automations of its own at this commit (the organisation's .github repository applies, if it has one). Nothing to check.`,
    ),
    annotations: [],
  };
}

export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
