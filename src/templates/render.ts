/** Rendering: both walls, a bounded compile cache, text and type-preserving (single-expression) modes. */
import { TemplateError, fromNunjucksError, problemToError } from "./errors.js";
import type { TemplateContext } from "./context.js";
import { isTemplateData, toTemplateData } from "./data.js";
import { nj, isSafeString, type NjNode } from "./nunjucks-internals.js";
import { TEMPLATE_CODES, TEMPLATE_LIMITS } from "./policy.js";
import { type RootFn, VALUE_VAR, compileAst, valueAst } from "./safe-compiler.js";
import { HardenedRuntime, RenderContext, SAFE_ENV } from "./safe-runtime.js";
import { checkAst, parseTemplate } from "./static-check.js";
import { RenderState } from "./render-state.js";

export function isTemplate(value: string): boolean {
  return typeof value === "string" && (value.includes("{{") || value.includes("{%"));
}

type Mode = "text" | "value";
interface Compiled {
  root: RootFn;
  mode: Mode;
}

const cache = new Map<string, Compiled | TemplateError>();

/** The expression of a template that is exactly one `{{ expr }}`, else null. */
function singleExpression(source: string, ast: NjNode): NjNode | null {
  if (!source.startsWith("{{") || !source.endsWith("}}")) return null;
  const top = ast.children ?? [];
  if (top.length !== 1 || top[0]!.typename !== "Output") return null;
  const parts = top[0]!.children ?? [];
  if (parts.length !== 1 || parts[0]!.typename === "TemplateData") return null;
  return parts[0]!;
}

function build(source: string, wanted: Mode | "auto", checked: boolean): Compiled {
  const parsed = parseTemplate(source);
  if ("problem" in parsed) throw problemToError(parsed.problem);
  if (checked) {
    const problems = checkAst(parsed.ast);
    if (problems.length > 0) {
      const e = problemToError(problems[0]!);
      if (problems.length === 1) throw e;
      throw new TemplateError(e.code, `${e.message} (and ${problems.length - 1} more problem(s))`, e.line, e.col);
    }
  }
  const expr = wanted === "text" ? null : singleExpression(source, parsed.ast);
  try {
    if (expr) return { root: compileAst(valueAst(expr)), mode: "value" };
    return { root: compileAst(parsed.ast), mode: "text" };
  } catch (err) {
    throw fromNunjucksError(err, TEMPLATE_CODES.forbidden);
  }
}

function compiled(source: string, wanted: Mode | "auto", checked: boolean): Compiled {
  const key = `${wanted}:${checked ? "c" : "u"}:${source}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    if (hit instanceof TemplateError) throw hit;
    return hit;
  }
  let entry: Compiled | TemplateError;
  try {
    entry = build(source, wanted, checked);
  } catch (err) {
    entry = fromNunjucksError(err, TEMPLATE_CODES.syntax);
  }
  cache.set(key, entry);
  if (cache.size > TEMPLATE_LIMITS.cacheSize) cache.delete(cache.keys().next().value!);
  if (entry instanceof TemplateError) throw entry;
  return entry;
}

function utf8Length(s: string): number {
  if (s.length * 3 <= TEMPLATE_LIMITS.outputMaxBytes) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function checkOutput(s: string): string {
  const bytes = utf8Length(s);
  if (bytes > TEMPLATE_LIMITS.outputMaxBytes) {
    throw new TemplateError(
      TEMPLATE_CODES.tooLarge,
      `template output is ${bytes} bytes; the limit is ${TEMPLATE_LIMITS.outputMaxBytes} (64 KB): render less, or pass objects with a single "{{ expr }}"`,
    );
  }
  return s;
}

function contextData(context: unknown): object {
  if (isTemplateData(context)) return context as object;
  const data = toTemplateData(context && typeof context === "object" && !Array.isArray(context) ? context : {});
  return (data ?? {}) as object;
}

/** How one render may be bounded beyond TEMPLATE_LIMITS (the server's operator setting, tests). */
export interface RenderOptions {
  /** work units one render may spend; default TEMPLATE_LIMITS.workBudget */
  workBudget?: number;
}

function budgetOf(options: RenderOptions | undefined): number {
  const b = options?.workBudget;
  return typeof b === "number" && b > 0 ? b : TEMPLATE_LIMITS.workBudget;
}

/** Runs compiled code with a fresh hardened runtime; returns the text, or the value in value mode. */
function run(c: Compiled, data: object, sourceForErrors: string, state: RenderState): unknown {
  const runtime = new HardenedRuntime(state);
  const context = new RenderContext(data, state);
  const frame = new nj.runtime.Frame();
  frame.topLevel = true;
  let done = false;
  let error: unknown;
  let output: string | undefined;
  try {
    c.root(SAFE_ENV, context, frame, runtime, (err, res) => {
      if (done) return;
      done = true;
      error = err;
      output = res;
    });
  } catch (err) {
    error = err;
  }
  if (error) throw fromNunjucksError(error, TEMPLATE_CODES.render);
  if (!done) throw new TemplateError(TEMPLATE_CODES.render, `template did not finish: ${sourceForErrors.slice(0, 80)}`);
  if (c.mode === "text") return checkOutput(output ?? "");
  const value = context.variable(VALUE_VAR);
  if (value === undefined) {
    throw new TemplateError(
      TEMPLATE_CODES.missing,
      `${sourceForErrors.slice(0, 200)} has no value: check the name, or add a default, e.g. {{ x | default('') }}`,
    );
  }
  return plainResult(value, state);
}

/** Values leave as plain, unfrozen JSON data (measured and charged like `tojson`). */
function plainResult(value: unknown, state: RenderState): unknown {
  if (typeof value === "string") return checkOutput(value);
  if (isSafeString(value)) return checkOutput(value.val);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === "boolean") return value;
  const json = state.json(value, 0, "the value");
  return json === undefined ? null : JSON.parse(json);
}

/** Renders a template to text (both walls). Throws TemplateError. */
export function renderString(source: string, context: TemplateContext, options?: RenderOptions): string {
  return run(compiled(source, "text", true), contextData(context), source, new RenderState(budgetOf(options))) as string;
}

/**
 * Renders every template string inside a JSON value. A string that is exactly one `{{ expr }}` keeps the
 * expression's JSON type and fails with HOOKLINE_TEMPLATE_MISSING_VALUE when it is missing; other strings
 * render to text; non-template strings and other values are returned unchanged (objects and arrays copied).
 */
export function renderValue(value: unknown, context: TemplateContext, options?: RenderOptions): unknown {
  const data = contextData(context);
  // one budget for all the templates of one value (an action's parameters render as one)
  const state = new RenderState(budgetOf(options));
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > TEMPLATE_LIMITS.valueMaxDepth) {
      throw new TemplateError(TEMPLATE_CODES.limit, `parameters nested deeper than ${TEMPLATE_LIMITS.valueMaxDepth} levels`);
    }
    if (typeof v === "string") return isTemplate(v) ? run(compiled(v, "auto", true), data, v, state) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v && typeof v === "object") {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        if (!d || !("value" in d)) continue;
        Object.defineProperty(out, k, { value: walk(d.value, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return walk(value, 0);
}

/**
 * Test hook: renders WITHOUT the static check, so tests can prove the compile guard and the hardened runtime
 * hold on their own. Never use it for user templates.
 */
export function renderUnchecked(
  source: string,
  context: TemplateContext,
  mode: "text" | "auto" = "text",
  options?: RenderOptions,
): unknown {
  return run(compiled(source, mode, false), contextData(context), source, new RenderState(budgetOf(options)));
}

/** Test hook: number of cached compilations. */
export function cachedTemplateCount(): number {
  return cache.size;
}
