/**
 * The filters and tests templates may use: nunjucks' Jinja built-ins (minus `random`, which is not
 * deterministic) behind argument caps, own-property re-implementations of the attribute-reading ones, plus
 * `tojson` and `ui_url`. Every filter result passes `guardResult`: never a function, strings within budget.
 */
import { TemplateError } from "./errors.js";
import { builtinFilters, builtinTests, isSafeString } from "./nunjucks-internals.js";
import { ALLOWED_FILTERS, ALLOWED_TESTS, TEMPLATE_CODES, TEMPLATE_LIMITS } from "./policy.js";
import { type RenderState, formatValue, lookupMember, lookupPath, toJson } from "./values.js";

export interface FilterThis {
  state: RenderState;
  env: unknown;
}
type Fn = (this: FilterThis, ...args: unknown[]) => unknown;

const ARRAY_MAX = 100_000;
const REGEX_INPUT_MAX = 65_536;

function limit(message: string): TemplateError {
  return new TemplateError(TEMPLATE_CODES.limit, message);
}

function builtin(name: string): Fn {
  const f = builtinFilters[name];
  if (typeof f !== "function") throw new Error(`nunjucks has no filter ${name}`);
  return f as Fn;
}

/** Jinja converts to text; nunjucks' string filters crash on numbers and objects. */
function text(v: unknown): unknown {
  return v === null || v === undefined || typeof v === "string" || isSafeString(v) ? v : formatValue(v);
}
function plain(v: unknown): string {
  return formatValue(v);
}

function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return Array.from(v);
  if (isSafeString(v)) return Array.from(v.val);
  if (v && typeof v === "object") return Object.keys(v);
  return [];
}

function intArg(v: unknown, fallback: number, min: number, max: number, what: string): number {
  const n = v === undefined || v === null || v === false ? fallback : Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw limit(`${what} must be a number from ${min} to ${max}`);
  return Math.floor(n);
}

function stringFilter(name: string, check?: (s: string, args: unknown[]) => void): Fn {
  const f = builtin(name);
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    const v = text(value);
    if (check) check(plain(v), args);
    return f.call(this, v, ...args);
  };
}

function regexInput(name: string): (s: string) => void {
  return (s) => {
    if (s.length > REGEX_INPUT_MAX) throw limit(`${name}: input longer than ${REGEX_INPUT_MAX} characters`);
  };
}

function replace(this: FilterThis, value: unknown, old: unknown, replacement: unknown, maxCount?: unknown): unknown {
  const v = text(value);
  if (v === null || v === undefined) return v;
  const s = plain(v);
  if (typeof old !== "string" && typeof old !== "number") return v;
  const o = String(old);
  const r = plain(replacement);
  const max = maxCount === undefined || maxCount === null ? -1 : Number(maxCount);
  let count = o === "" ? s.length + 1 : s.split(o).length - 1;
  if (max >= 0) count = Math.min(count, max);
  const size = s.length + count * Math.max(0, r.length - o.length);
  if (size > TEMPLATE_LIMITS.stringMaxChars) throw limit(`replace: result would exceed ${TEMPLATE_LIMITS.stringMaxChars} characters`);
  return builtin("replace").call(this, v, o, r, maxCount);
}

function join(this: FilterThis, value: unknown, sep?: unknown, attr?: unknown): string {
  let list = items(value);
  if (attr !== undefined && attr !== null) list = list.map((x) => lookupPath(x, attr));
  const d = sep === undefined || sep === null ? "" : plain(sep);
  if (list.length * d.length > TEMPLATE_LIMITS.stringMaxChars) throw limit("join: result too large");
  const parts = list.map(plain);
  return this.state.produce(parts.join(d));
}

function sum(value: unknown, attr?: unknown, start?: unknown): unknown {
  let list = items(value);
  if (attr !== undefined && attr !== null) list = list.map((x) => lookupPath(x, attr));
  let total: unknown = start === undefined ? 0 : start;
  for (const x of list) total = (total as number) + (x as number);
  return total;
}

function selectAttr(keep: boolean): Fn {
  return (value: unknown, attr?: unknown) => items(value).filter((x) => !!lookupPath(x, attr) === keep);
}

function groupby(value: unknown, attr?: unknown): Record<string, unknown[]> {
  const groups = new Map<string, unknown[]>();
  for (const x of items(value)) {
    const key = plain(lookupPath(x, attr));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(x);
  }
  const out: Record<string, unknown[]> = {};
  for (const [k, g] of groups) Object.defineProperty(out, k, { value: g, enumerable: true, writable: true, configurable: true });
  return out;
}

function first(value: unknown): unknown {
  return Array.isArray(value) || typeof value === "string" || isSafeString(value)
    ? lookupMember(isSafeString(value) ? value.val : value, 0)
    : undefined;
}
function last(value: unknown): unknown {
  return Array.isArray(value) || typeof value === "string" || isSafeString(value)
    ? lookupMember(isSafeString(value) ? value.val : value, -1)
    : undefined;
}

/** GitHub page of an event, a resource (its `github.html_url` label), a payload object or a firing; else "". */
export function uiUrl(value: unknown, depth = 0): string {
  if (!value || typeof value !== "object" || Array.isArray(value) || depth > 2) return "";
  for (const key of ["html_url", "github.html_url"]) {
    const v = lookupMember(value, key);
    if (typeof v === "string" && v) return v;
  }
  for (const key of ["resource", "triggering_event"]) {
    const inner = lookupMember(value, key);
    if (inner && typeof inner === "object") {
      const url = uiUrl(inner, depth + 1);
      if (url) return url;
    }
  }
  return "";
}

const IMPLEMENTATIONS: Record<string, Fn> = {
  abs: (v: unknown) => Math.abs(Number(v)),
  batch: function (this: FilterThis, arr: unknown, n: unknown, fill?: unknown) {
    return builtin("batch").call(this, items(arr), intArg(n, 1, 1, 10_000, "batch size"), fill);
  },
  capitalize: stringFilter("capitalize"),
  center: stringFilter("center", (_s, [w]) => void intArg(w, 80, 0, 10_000, "center width")),
  default: builtin("default"),
  dictsort: function (this: FilterThis, v: unknown, ...rest: unknown[]) {
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new TemplateError(TEMPLATE_CODES.render, "dictsort needs a mapping");
    return builtin("dictsort").call(this, v, ...rest);
  },
  dump: (v: unknown, spaces?: unknown) => toJson(v, spaces),
  escape: stringFilter("escape"),
  forceescape: stringFilter("forceescape"),
  safe: stringFilter("safe"),
  first,
  groupby,
  indent: stringFilter("indent", (s, [w]) => {
    const width = intArg(w, 4, 0, 100, "indent width");
    if (s.length + s.split("\n").length * width > TEMPLATE_LIMITS.stringMaxChars) throw limit("indent: result too large");
  }),
  join,
  last,
  length: builtin("length"),
  list: function (this: FilterThis, v: unknown) {
    return builtin("list").call(this, isSafeString(v) ? v.val : v);
  },
  lower: stringFilter("lower"),
  nl2br: stringFilter("nl2br"),
  reject: builtin("reject"),
  rejectattr: selectAttr(false),
  select: builtin("select"),
  selectattr: selectAttr(true),
  replace,
  reverse: function (this: FilterThis, v: unknown) {
    if (v === null || v === undefined) return v;
    return builtin("reverse").call(this, Array.isArray(v) ? v : v && typeof v === "object" && !isSafeString(v) ? items(v) : text(v));
  },
  round: (v: unknown, precision?: unknown, method?: unknown) =>
    builtin("round").call(undefined as never, Number(v), intArg(precision, 0, 0, 20, "round precision"), method),
  slice: function (this: FilterThis, arr: unknown, n: unknown, fill?: unknown) {
    return builtin("slice").call(this, items(arr), intArg(n, 1, 1, 1_000, "slice count"), fill);
  },
  sum,
  sort: builtin("sort"),
  string: (v: unknown) => plain(v),
  striptags: stringFilter("striptags", regexInput("striptags")),
  title: stringFilter("title"),
  trim: stringFilter("trim"),
  truncate: stringFilter("truncate", (_s, [n]) => void intArg(n, 255, 0, TEMPLATE_LIMITS.stringMaxChars, "truncate length")),
  upper: stringFilter("upper"),
  urlencode: builtin("urlencode"),
  urlize: stringFilter("urlize", regexInput("urlize")),
  wordcount: stringFilter("wordcount", regexInput("wordcount")),
  float: builtin("float"),
  int: builtin("int"),
  tojson: (v: unknown, indent?: unknown) => toJson(v, indent),
  ui_url: (v: unknown) => uiUrl(v),
};
IMPLEMENTATIONS.d = IMPLEMENTATIONS.default!;
IMPLEMENTATIONS.e = IMPLEMENTATIONS.escape!;
IMPLEMENTATIONS.count = IMPLEMENTATIONS.length!;

function guardResult(state: RenderState, result: unknown): unknown {
  if (typeof result === "function" || typeof result === "symbol") return undefined;
  if (typeof result === "string") state.produce(result);
  else if (isSafeString(result)) state.produce(result.val);
  else if (Array.isArray(result) && result.length > ARRAY_MAX) throw limit(`a filter produced more than ${ARRAY_MAX} items`);
  return result;
}

function guarded(name: string, fn: Fn): Fn {
  return function (this: FilterThis, ...args: unknown[]) {
    return guardResult(this.state, fn.apply(this, args));
  };
}

function table<T>(entries: [string, T][]): Readonly<Record<string, T>> {
  const t = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) t[k] = v;
  return Object.freeze(t);
}

/** Null-prototype, frozen: `getFilter("constructor")` finds nothing. */
export const FILTERS = table(
  [...ALLOWED_FILTERS].map((name) => {
    const impl = IMPLEMENTATIONS[name];
    if (!impl) throw new Error(`filter ${name} is allowed but not implemented`);
    return [name, guarded(name, impl)] as [string, Fn];
  }),
);

export const TESTS = table(
  [...ALLOWED_TESTS].map((name) => {
    const impl = builtinTests[name === "none" ? "null" : name];
    if (!impl) throw new Error(`test ${name} is allowed but nunjucks lacks it`);
    return [name, (...args: unknown[]) => impl(...args) === true] as [string, (...args: unknown[]) => boolean];
  }),
);
