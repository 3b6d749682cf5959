/**
 * What the modes do to the outside world, handed in by main.ts: logs, annotations, outputs, the job summary,
 * secrets to mask and files of the workspace. On the runner these are @actions/core (index.ts) and node:fs.
 */
import type { AnnotationSink } from "./annotations.js";

export { escapeCell, htmlTable, paragraph } from "../report/html.js";

export interface ActionIO extends AnnotationSink {
  /** log text, untrusted parts welcome: it is written so that no workflow command in it takes effect (log.ts) */
  info(text: string): void;
  setOutput(name: string, value: string): void;
  /** a job summary: a heading, then blocks of HTML/Markdown already escaped by the caller */
  writeSummary(heading: string, blocks: string[]): Promise<void>;
  /** a secret value the Action resolved: masked in the log from now on (`core.setSecret`) */
  mask(secret: string): void;
  /** a workspace file (path relative to the workspace), undefined when absent */
  readWorkspaceFile(path: string): string | undefined;
}
