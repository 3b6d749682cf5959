import { TEMPLATE_CODES } from "./policy.js";

/** A template that cannot be rendered. `line` / `col` are 1-based inside the template string, when known. */
export class TemplateError extends Error {
  readonly code: string;
  readonly line?: number;
  readonly col?: number;
  constructor(code: string, message: string, line?: number, col?: number) {
    super(message);
    this.name = "TemplateError";
    this.code = code;
    if (line !== undefined && line > 0) this.line = line;
    if (col !== undefined && col > 0) this.col = col;
  }
}

/** One reason a template is refused at validation. */
export interface TemplateProblem {
  code: string;
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
export function fromNunjucksError(err: unknown, code: string): TemplateError {
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
