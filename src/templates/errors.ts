import { HooklineError } from "../errors/hookline-error.js";
import type { HooklineCode } from "../errors/registry.js";
import { TEMPLATE_CODES } from "./policy.js";

/** A template that cannot be rendered. `line` / `col` are 1-based inside the template string, when known. */
export class TemplateError extends HooklineError {
  readonly line?: number;
  readonly col?: number;
  constructor(code: HooklineCode, message: string, line?: number, col?: number) {
    super(code, message);
    this.name = "TemplateError";
    if (line !== undefined && line > 0) this.line = line;
    if (col !== undefined && col > 0) this.col = col;
  }
}

/** One reason a template is refused at validation. */
export interface TemplateProblem {
  code: HooklineCode;
  message: string;
  /** 1-based line/column inside the template string, when known */
  line?: number;
  col?: number;
}

export function limitError(message: string): TemplateError {
  return new TemplateError(TEMPLATE_CODES.limit, message);
}

export function problemToError(p: TemplateProblem): TemplateError {
  return new TemplateError(p.code, p.message, p.line, p.col);
}

/** nunjucks errors carry `lineno` / `colno` (1-based for parse errors) and a prefixed message. */
export function fromNunjucksError(err: unknown, code: HooklineCode): TemplateError {
  if (err instanceof TemplateError) return err;
  if (err instanceof RangeError) {
    return new TemplateError(TEMPLATE_CODES.limit, `template too complex: ${err.message}`);
  }
  const e = err as { message?: unknown; lineno?: unknown; colno?: unknown; cause?: unknown };
  if (e && e.cause instanceof TemplateError) return e.cause;
  const raw = typeof e?.message === "string" ? e.message : String(err);
  const message = raw.replace(/^\(unknown path\)( \[Line \d+(, Column \d+)?\])?\n\s*/, "");
  const line = typeof e?.lineno === "number" ? e.lineno : undefined;
  const col = typeof e?.colno === "number" ? e.colno : undefined;
  return new TemplateError(code, message, line, col);
}
