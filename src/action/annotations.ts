/**
 * Problems as GitHub annotations at file:line:col. GitHub shows at most 10 annotations per level per step,
 * so the first 10 of each level are annotations and the rest are summarised in one more line of that level.
 */
import type { Problem } from "../automations/index.js";

export const ANNOTATIONS_PER_LEVEL = 10;

export interface AnnotationSink {
  error(message: string, props: { title: string; file?: string; startLine?: number; startColumn?: number }): void;
  warning(message: string, props: { title: string; file?: string; startLine?: number; startColumn?: number }): void;
}

/** `problems` may come in any order: errors are annotated first, each level by position. */
export function annotate(problems: readonly Problem[], sink: AnnotationSink): void {
  for (const level of ["error", "warning"] as const) {
    const ofLevel = problems
      .filter((p) => p.severity === level)
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
    const shown = ofLevel.slice(0, ANNOTATIONS_PER_LEVEL);
    // the last slot summarises when there are more than fit
    const cut = ofLevel.length > ANNOTATIONS_PER_LEVEL ? ANNOTATIONS_PER_LEVEL - 1 : shown.length;
    for (const p of ofLevel.slice(0, cut)) {
      const message = p.hint ? `${p.message} (${p.hint})` : p.message;
      sink[level](message, { title: p.code, file: p.file, startLine: p.line, startColumn: p.col });
    }
    const rest = ofLevel.slice(cut);
    if (ofLevel.length > ANNOTATIONS_PER_LEVEL) {
      const where = rest.map((p) => `${p.file}:${p.line}:${p.col} ${p.code}`).join("; ");
      sink[level](`${rest.length} more ${level}s not shown as annotations (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level): ${where}`, {
        title: `hookline: ${rest.length} more ${level}s`,
      });
    }
  }
}
