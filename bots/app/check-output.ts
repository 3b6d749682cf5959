/**
 * The PR check's output (pure): conclusion, title, a summary like the Action's job summary (verdict, the
 * automations and what they react to, the problems) and annotations at path:line:col, cut into the batches
 * of 50 the Checks API takes per request. With the server's stored events, a backtest of the change (what it would
 * have fired over the last 14 days, next to what the default branch's automations fired) joins the summary.
 */
import type { Problem } from "../../src/automations/index.js";
import type { Automation } from "../../src/automations/types.js";
import { describeActions as actionsOf, describeTrigger } from "../../src/automations/describe.js";
import { htmlTable, paragraph } from "../../src/report/html.js";
import type { WhatIfResult } from "../../src/adapters/what-if/what-if-runner.js";
import type { AutomationDiff } from "../../src/engine/replay-diff.js";

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

/** The backtest window of the PR check (issue 16 item 6). */
export const BACKTEST_DAYS = 14;
/**
 * History is "short" (the backtest is shown but judged neutral) when the repository's stored events in the window
 * are fewer than this, or began less than BACKTEST_MIN_HOURS ago: the server started storing them recently.
 */
export const BACKTEST_MIN_EVENTS = 20;
export const BACKTEST_MIN_HOURS = 24;

export type Backtest =
  | { kind: "done"; result: Pick<WhatIfResult, "events" | "first_event" | "truncated" | "diff">; nowMs: number }
  | { kind: "skipped"; reason: string };

function differenceText(d: AutomationDiff["first_differences"][number]): string {
  const labels = Object.entries(d.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `${d.change === "added" ? "+" : "−"} ${d.state} ${d.at}${labels ? ` (${labels})` : ""}`;
}

/** Whether the history is too short to judge, with the sentence that says so. */
export function shortHistory(b: Extract<Backtest, { kind: "done" }>): string | null {
  const hours = b.result.first_event === null ? 0 : (b.nowMs - Date.parse(b.result.first_event)) / 3_600_000;
  if (b.result.events >= BACKTEST_MIN_EVENTS && hours >= BACKTEST_MIN_HOURS) return null;
  return `History is short (${plural(b.result.events, "event")} over ${Math.max(0, Math.floor(hours))} h; at least ${BACKTEST_MIN_EVENTS} events over ${BACKTEST_MIN_HOURS} h are needed): the backtest is shown for information and judged neutral.`;
}

/**
 * The backtest part of the check's summary: per automation "over the last 14 days this change would have fired N
 * times (now M)" with the first differences. Never changes the conclusion: validation decides it.
 */
export function backtestBlocks(b: Backtest): string[] {
  if (b.kind === "skipped") return [paragraph(`Backtest: not run (${b.reason}). The conclusion is validation's alone.`)];
  const { result } = b;
  const blocks = [
    paragraph(
      `Backtest over the last ${BACKTEST_DAYS} days: ${plural(result.events, "stored event")} of this repository replayed through this change and through the automations on the default branch${result.truncated ? " (stopped at the replay limit: the newest events were not replayed)" : ""}.`,
    ),
  ];
  const short = shortHistory(b);
  if (short) blocks.push(paragraph(short));
  const sentence = (d: AutomationDiff) =>
    d.proposed === null
      ? `removed by this change (fired ${plural(d.live ?? 0, "time")})`
      : `over the last ${BACKTEST_DAYS} days this change would have fired ${plural(d.proposed, "time")} (now ${d.live === null ? "new" : d.live})`;
  blocks.push(
    htmlTable(
      ["Automation", "Backtest", "First differences"],
      result.diff.map((d) => [
        d.automation,
        sentence(d),
        d.first_differences.length ? d.first_differences.map(differenceText).join("; ") : "none",
      ]),
    ),
  );
  return blocks;
}

/** The check's output with the backtest added to its summary (conclusion and annotations unchanged). */
export function withBacktest(output: CheckOutput, b: Backtest): CheckOutput {
  let summary = [output.summary, ...backtestBlocks(b)].join("\n\n");
  if (summary.length > SUMMARY_MAX) summary = `${summary.slice(0, SUMMARY_MAX - 40)}\n\n(summary cut at GitHub's size limit)`;
  return { ...output, summary };
}
