/**
 * The list and mapping filters. Each charges the items it walks (a string walked as a list costs its
 * characters as items, and no list may exceed TEMPLATE_LIMITS.arrayMaxItems), the attribute reads, the text it
 * converts (an object key or element printed as JSON is measured first) and, for sorts, n·log2(n) comparisons
 * at the cost of the largest element, all before the work runs. Attribute-reading filters are ours: they read
 * only own data properties (values.ts lookupPath).
 */
import { add } from "./operators.js";
import { type FilterThis, type Fn, attributes, builtin, intArg, items, limit, named, plain, sortCost, text } from "./filter-kit.js";
import { isSafeString } from "./nunjucks-internals.js";
import { TEMPLATE_CODES, TEMPLATE_LIMITS, WORK_COSTS } from "./policy.js";
import { TemplateError } from "./errors.js";
import { lookupMember } from "./values.js";

function selectAttr(keep: boolean, name: string): Fn {
  return function (this: FilterThis, value: unknown, attr?: unknown) {
    const list = items(this.state, value, name);
    const values = attributes(this.state, list, attr, name);
    return list.filter((_, i) => !!values[i] === keep);
  };
}

/** select / reject: the test runs per item and charges itself (tests.ts). */
function selectTest(name: "select" | "reject"): Fn {
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    if (Array.isArray(value) || typeof value === "string" || isSafeString(value)) items(this.state, value, name);
    return builtin(name).call(this, value, ...args);
  };
}

function groupby(this: FilterThis, value: unknown, attr?: unknown): Record<string, unknown[]> {
  const list = items(this.state, value, "groupby");
  const keys = attributes(this.state, list, attr, "groupby").map((k) => plain(this.state, k, "groupby"));
  const groups = new Map<string, unknown[]>();
  list.forEach((x, i) => {
    const key = keys[i]!;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(x);
  });
  const out: Record<string, unknown[]> = {};
  for (const [k, g] of groups) Object.defineProperty(out, k, { value: g, enumerable: true, writable: true, configurable: true });
  return out;
}

function join(this: FilterThis, value: unknown, sep?: unknown, attr?: unknown): string {
  let list = items(this.state, value, "join");
  if (attr !== undefined && attr !== null) list = attributes(this.state, list, attr, "join");
  const d = sep === undefined || sep === null ? "" : plain(this.state, sep, "join");
  const parts = list.map((x) => plain(this.state, x, "join"));
  let size = Math.max(0, parts.length - 1) * d.length;
  for (const p of parts) size += p.length;
  if (size > TEMPLATE_LIMITS.stringMaxChars)
    throw limit(`join: the result would be ${size} characters; the limit is ${TEMPLATE_LIMITS.stringMaxChars}`);
  return this.state.produce(parts.join(d));
}

function sum(this: FilterThis, value: unknown, ...args: unknown[]): unknown {
  const { attribute: attr, start } = named(args, ["attribute", "start"]);
  let list = items(this.state, value, "sum");
  if (attr !== undefined && attr !== null) list = attributes(this.state, list, attr, "sum");
  let total: unknown = start === undefined ? 0 : start;
  for (const x of list) total = add(this.state, total, x);
  return total;
}

function sort(this: FilterThis, value: unknown, ...args: unknown[]): unknown {
  const a = named(args, ["reverse", "case_sensitive", "attribute"]);
  const list = items(this.state, value, "sort");
  const attr = a.attribute;
  const keys = attr === undefined || attr === null || attr === "" ? list : attributes(this.state, list, attr, "sort");
  this.state.spend(sortCost(this.state, keys), "sort");
  return builtin("sort").call(this, value, ...args);
}

function dictsort(this: FilterThis, v: unknown, caseSensitive?: unknown, by?: unknown): unknown {
  if (!v || typeof v !== "object" || Array.isArray(v) || isSafeString(v)) {
    throw new TemplateError(TEMPLATE_CODES.render, "dictsort needs a mapping");
  }
  const keys = items(this.state, v, "dictsort") as string[];
  this.state.spend(sortCost(this.state, by === "value" ? keys.map((k) => lookupMember(v, k)) : keys), "dictsort");
  return builtin("dictsort").call(this, v, caseSensitive, by);
}

function length(this: FilterThis, v: unknown): unknown {
  // a mapping's keys are listed to count them
  if (v && typeof v === "object" && !Array.isArray(v) && !isSafeString(v)) items(this.state, v, "length");
  else this.state.spend(WORK_COSTS.step, "length");
  return builtin("length").call(this, v);
}

function list(this: FilterThis, v: unknown): unknown {
  const value = isSafeString(v) ? v.val : v;
  if (!Array.isArray(value)) items(this.state, value, "list");
  return builtin("list").call(this, value);
}

/** A list reversed, a string's characters reversed, a mapping's keys reversed; a number reverses as text. */
function reverse(this: FilterThis, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (!Array.isArray(v) && typeof v === "object" && !isSafeString(v)) return [...items(this.state, v, "reverse")].reverse();
  const value = Array.isArray(v) ? v : text(this.state, v, "reverse");
  items(this.state, value, "reverse");
  return builtin("reverse").call(this, value);
}

function first(this: FilterThis, value: unknown): unknown {
  this.state.spend(WORK_COSTS.step, "first");
  return Array.isArray(value) || typeof value === "string" || isSafeString(value)
    ? lookupMember(isSafeString(value) ? value.val : value, 0)
    : undefined;
}

function last(this: FilterThis, value: unknown): unknown {
  this.state.spend(WORK_COSTS.step, "last");
  return Array.isArray(value) || typeof value === "string" || isSafeString(value)
    ? lookupMember(isSafeString(value) ? value.val : value, -1)
    : undefined;
}

function batch(this: FilterThis, arr: unknown, n: unknown, fill?: unknown): unknown {
  const size = intArg(n, 1, 1, 10_000, "batch size");
  const list = items(this.state, arr, "batch");
  this.state.listOf(Math.ceil(list.length / size) + (fill ? size : 0), "batch");
  return builtin("batch").call(this, list, size, fill);
}

function slice(this: FilterThis, arr: unknown, n: unknown, fill?: unknown): unknown {
  const count = intArg(n, 1, 1, 1_000, "slice count");
  const list = items(this.state, arr, "slice");
  this.state.listOf(count * 2, "slice");
  return builtin("slice").call(this, list, count, fill);
}

export const LIST_FILTERS: Record<string, Fn> = {
  batch,
  dictsort,
  first,
  groupby,
  join,
  last,
  length,
  list,
  reject: selectTest("reject"),
  rejectattr: selectAttr(false, "rejectattr"),
  reverse,
  select: selectTest("select"),
  selectattr: selectAttr(true, "selectattr"),
  slice,
  sort,
  sum,
};
