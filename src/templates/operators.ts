/**
 * The template operators (`~`, `+`, comparisons, arithmetic), charged. nunjucks compiles `<`, `==`, `-`, ... to
 * the JavaScript operators, which convert a list by joining it, recursively: `{% if big_list < 1 %}` in a loop
 * joined a 100,000-item list on every iteration at no cost to any budget. The compiler routes them here, where
 * each conversion is charged at the size of what it converts before JavaScript does it (same results).
 */
import { TemplateError } from "./errors.js";
import { TEMPLATE_CODES, TEMPLATE_LIMITS, WORK_COSTS } from "./policy.js";
import type { RenderState } from "./render-state.js";

/** `a ~ b`: text concatenation, missing values as "". */
export function concat(state: RenderState, a: unknown, b: unknown): string {
  const sa = state.format(a, "~");
  const sb = state.format(b, "~");
  if (sa.length + sb.length > TEMPLATE_LIMITS.stringMaxChars) {
    throw new TemplateError(TEMPLATE_CODES.tooLarge, `a string grew beyond ${TEMPLATE_LIMITS.stringMaxChars} characters`);
  }
  return state.produce(sa + sb);
}

function numeric(x: unknown): boolean {
  return x === null || x === undefined || typeof x === "number" || typeof x === "boolean";
}

/** `a + b`: numbers add, lists join, anything with text concatenates (also `sum`). */
export function add(state: RenderState, a: unknown, b: unknown): unknown {
  if (numeric(a) && numeric(b)) {
    state.spend(WORK_COSTS.step, "+");
    return (a as number) + (b as number);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length + b.length > TEMPLATE_LIMITS.arrayMaxItems) {
      throw new TemplateError(TEMPLATE_CODES.limit, `a list grew beyond ${TEMPLATE_LIMITS.arrayMaxItems} items`);
    }
    state.spend((a.length + b.length) * WORK_COSTS.item, "+");
    return [...a, ...b];
  }
  return concat(state, a, b);
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === "object";
}

export type CompareOp = "==" | "===" | "!=" | "!==" | "<" | ">" | "<=" | ">=";

/**
 * One comparison, as JavaScript does it. Strict (in)equality reads strings only; loose (in)equality converts an
 * object compared with a primitive; `<`-style comparisons convert both sides.
 */
export function compare(state: RenderState, op: CompareOp, a: unknown, b: unknown): boolean {
  let cost: number;
  if (op === "===" || op === "!==") cost = typeof a === "string" && typeof b === "string" ? Math.min(a.length, b.length) : 0;
  else if ((op === "==" || op === "!=") && isObject(a) && isObject(b)) cost = 0;
  else cost = state.coercion(a) + state.coercion(b);
  state.spend(WORK_COSTS.step + cost * WORK_COSTS.char, `the comparison ${op}`);
  switch (op) {
    case "==":
      return a == b;
    case "===":
      return a === b;
    case "!=":
      return a != b;
    case "!==":
      return a !== b;
    case "<":
      return (a as number) < (b as number);
    case ">":
      return (a as number) > (b as number);
    case "<=":
      return (a as number) <= (b as number);
    case ">=":
      return (a as number) >= (b as number);
  }
}

export type ArithOp = "-" | "*" | "/" | "%" | "//" | "**";

/** `-`, `*`, `/`, `%`, `//`, `**` as nunjucks compiles them (JavaScript numbers, `//` floors, `**` is Math.pow). */
export function arith(state: RenderState, op: ArithOp, a: unknown, b: unknown): number {
  state.spend(WORK_COSTS.step + (state.coercion(a) + state.coercion(b)) * WORK_COSTS.char, `the operator ${op}`);
  const x = a as number;
  const y = b as number;
  switch (op) {
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return x % y;
    case "//":
      return Math.floor(x / y);
    case "**":
      return Math.pow(x, y);
  }
}

/** Unary `-x` and `+x`. */
export function unary(state: RenderState, op: "-" | "+", a: unknown): number {
  state.spend(WORK_COSTS.step + state.coercion(a) * WORK_COSTS.char, `the operator ${op}`);
  return op === "-" ? -(a as number) : +(a as number);
}
