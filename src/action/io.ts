/**
 * What the modes do to the outside world, handed in by main.ts: logs, annotations, outputs, the job summary
 * and files of the workspace. On the runner these are @actions/core and node:fs.
 */
import type { AnnotationSink } from "./annotations.js";

export interface ActionIO extends AnnotationSink {
  /** one log line; untrusted text is flattened first so it can never start a `::command::` line */
  info(line: string): void;
  setOutput(name: string, value: string): void;
  /** a job summary: a heading, then blocks of HTML/Markdown already escaped by the caller */
  writeSummary(heading: string, blocks: string[]): Promise<void>;
  /** a workspace file (path relative to the workspace), undefined when absent */
  readWorkspaceFile(path: string): string | undefined;
}

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "|": "&#124;", "`": "&#96;" };

/** Text for an HTML cell: no markup, no Markdown table breaks, one line. */
export function escapeCell(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ");
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[&<>"'|`]/g, (c) => HTML[c]!);
}

/** An HTML table (what `core.summary.addTable` writes), cells escaped. */
export function htmlTable(header: string[], rows: string[][]): string {
  const tr = (cells: string[], tag: "th" | "td") => `<tr>${cells.map((c) => `<${tag}>${escapeCell(c)}</${tag}>`).join("")}</tr>`;
  return `<table>${tr(header, "th")}${rows.map((r) => tr(r, "td")).join("")}</table>`;
}

/** A paragraph of escaped text. */
export function paragraph(text: string): string {
  return `<p>${escapeCell(text, 2000)}</p>`;
}

/** One log line from untrusted parts: newlines and `::` at the start cannot reach the runner's command parser. */
export function logLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ⏎ ").replace(/^::/, ": :");
}
