/**
 * What the filter modules share: the `this` a filter gets, nunjucks' built-ins, argument caps, and the charged
 * conversions (to text, to a list of items, attribute reads) every filter goes through, so no filter can touch
 * a value without paying for its size first.
 */
import { TemplateError } from "./errors.js";
import { builtinFilters, isSafeString } from "./nunjucks-internals.js";
import { TEMPLATE_CODES, WORK_COSTS } from "./policy.js";
import type { RenderState } from "./render-state.js";
import { lookupPath } from "./values.js";

export interface FilterThis {
  state: RenderState;
  env: unknown;
}
export type Fn = (this: FilterThis, ...args: unknown[]) => unknown;

export function limit(message: string): TemplateError {
  return new TemplateError(TEMPLATE_CODES.limit, message);
}

export function builtin(name: string): Fn {
  const f = builtinFilters[name];
  if (typeof f !== "function") throw new Error(`nunjucks has no filter ${name}`);
  return f as Fn;
}

export function intArg(v: unknown, fallback: number, min: number, max: number, what: string): number {
  const n = v === undefined || v === null || v === false ? fallback : Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw limit(`${what} must be a number from ${min} to ${max}`);
  return Math.floor(n);
}

/** Jinja converts to text; nunjucks' string filters crash on numbers and objects. Objects print as JSON, measured first. */
export function text(state: RenderState, v: unknown, what: string): unknown {
  return v === null || v === undefined || typeof v === "string" || isSafeString(v) ? v : state.format(v, what);
}

/** The plain string of a value (a SafeString's text, an object's JSON, "" for missing). */
export function plain(state: RenderState, v: unknown, what: string): string {
  return state.format(v, what);
}

/** The length of text(v) without building it again. */
export function textLength(v: unknown): number {
  if (typeof v === "string") return v.length;
  if (isSafeString(v)) return v.val.length;
  return 0;
}

/** The items a list filter walks (a string's characters, a mapping's keys), within the list limit and charged before they are built. */
export function items(state: RenderState, v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) {
    state.listOf(v.length, what);
    return v;
  }
  const s = typeof v === "string" ? v : isSafeString(v) ? v.val : null;
  if (s !== null) {
    state.listOf(s.length, what);
    return Array.from(s);
  }
  if (v && typeof v === "object") return state.keysOf(v, what);
  return [];
}

/** What reading `attr` (a dotted path) from one item costs. */
export function attrCost(attr: unknown): number {
  return WORK_COSTS.item + (typeof attr === "string" ? attr.length * WORK_COSTS.char : 0);
}

/** `attr` of every item, charged per item before the reads. */
export function attributes(state: RenderState, list: unknown[], attr: unknown, what: string): unknown[] {
  state.spend(list.length * attrCost(attr), what);
  return list.map((x) => lookupPath(x, attr));
}

/** Keyword arguments (`sort(attribute='name')`) merged over positional ones, by parameter name. */
export function named(args: unknown[], names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const last = args[args.length - 1];
  const kw =
    last && typeof last === "object" && (last as { __keywords?: unknown }).__keywords === true ? (last as Record<string, unknown>) : null;
  const positional = kw ? args.slice(0, -1) : args;
  names.forEach((n, i) => {
    if (i < positional.length) out[n] = positional[i];
  });
  if (kw) for (const n of names) if (Object.hasOwn(kw, n)) out[n] = kw[n];
  return out;
}

/**
 * What sorting costs: about n·log2(n) comparisons, each converting both sides (a case-insensitive comparison
 * lower-cases both strings every time; a list compares by joining itself). One large element may meet every
 * other one, so each comparison is charged at the largest element's conversion.
 */
export function sortCost(state: RenderState, keys: unknown[]): number {
  const n = keys.length;
  if (n < 2) return WORK_COSTS.step;
  let largest = 0;
  for (const k of keys) largest = Math.max(largest, state.coercion(k));
  return n * Math.ceil(Math.log2(n + 1)) * (WORK_COSTS.item + 2 * largest * WORK_COSTS.char);
}
