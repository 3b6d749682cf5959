/**
 * What the modes do to the outside world, handed in by main.ts: logs, annotations, outputs, the job summary
 * and files of the workspace. On the runner these are @actions/core and node:fs.
 */
import type { AnnotationSink } from "./annotations.js";

export { escapeCell, htmlTable, paragraph } from "../report/html.js";

export interface ActionIO extends AnnotationSink {
  /** one log line; untrusted text is flattened first so it can never start a `::command::` line */
  info(line: string): void;
  setOutput(name: string, value: string): void;
  /** a job summary: a heading, then blocks of HTML/Markdown already escaped by the caller */
  writeSummary(heading: string, blocks: string[]): Promise<void>;
  /** a workspace file (path relative to the workspace), undefined when absent */
  readWorkspaceFile(path: string): string | undefined;
}

/** One log line from untrusted parts: newlines and `::` at the start cannot reach the runner's command parser. */
export function logLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ⏎ ").replace(/^::/, ": :");
}
