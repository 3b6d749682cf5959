/**
 * The filters templates may use: nunjucks' Jinja built-ins (minus `random`, which is not deterministic) behind
 * argument caps and work charges (text filters in string-filters.ts, list filters in list-filters.ts), plus
 * `tojson` and `ui_url`. Every filter result passes `guardResult`: never a function, strings produced (charged
 * and within the string limit), lists within the list limit.
 */
import { type FilterThis, type Fn, builtin, intArg, limit, named } from "./filter-kit.js";
import { LIST_FILTERS } from "./list-filters.js";
import { isSafeString } from "./nunjucks-internals.js";
import { ALLOWED_FILTERS, TEMPLATE_LIMITS, WORK_COSTS } from "./policy.js";
import type { RenderState } from "./render-state.js";
import { STRING_FILTERS } from "./string-filters.js";
import { lookupMember } from "./values.js";

export type { FilterThis } from "./filter-kit.js";

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

/** A filter over one value that JavaScript converts to a number or a string (a list converts by joining itself). */
function converting(name: string, impl: Fn): Fn {
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    this.state.spend(WORK_COSTS.step + this.state.coercion(value) * WORK_COSTS.char, name);
    return impl.call(this, value, ...args);
  };
}

function urlencode(this: FilterThis, v: unknown): unknown {
  let cost = this.state.coercion(v);
  if (v && typeof v === "object" && !isSafeString(v)) {
    // [key, value] pairs of a mapping, or of a list of pairs: each part is converted to text
    const pairs = Array.isArray(v) ? v : this.state.keysOf(v, "urlencode").map((k) => [k, lookupMember(v, k)]);
    cost = pairs.length * WORK_COSTS.item;
    for (const p of pairs) if (Array.isArray(p)) cost += this.state.coercion(p[0]) + this.state.coercion(p[1]);
  }
  this.state.spend(WORK_COSTS.step + cost * WORK_COSTS.char * 3, "urlencode");
  return builtin("urlencode").call(this, v);
}

const IMPLEMENTATIONS: Record<string, Fn> = {
  ...STRING_FILTERS,
  ...LIST_FILTERS,
  abs: converting("abs", (v: unknown) => Math.abs(Number(v))),
  default: function (this: FilterThis, ...args: unknown[]) {
    this.state.spend(WORK_COSTS.step, "default");
    return builtin("default").apply(this, args);
  },
  dump: function (this: FilterThis, v: unknown, spaces?: unknown) {
    return this.state.json(v, spaces, "dump");
  },
  round: converting("round", (v: unknown, precision?: unknown, method?: unknown) =>
    builtin("round").call(undefined as never, Number(v), intArg(precision, 0, 0, 20, "round precision"), method),
  ),
  string: function (this: FilterThis, v: unknown) {
    return this.state.format(v, "string");
  },
  urlencode,
  float: converting("float", builtin("float")),
  int: function (this: FilterThis, v: unknown, ...args: unknown[]) {
    const a = named(args, ["default", "base"]);
    if (a.base !== undefined) intArg(a.base, 10, 2, 36, "int base");
    return converting("int", builtin("int")).call(this, v, ...args);
  },
  tojson: function (this: FilterThis, v: unknown, indent?: unknown) {
    return this.state.json(v, indent, "tojson");
  },
  ui_url: function (this: FilterThis, v: unknown) {
    this.state.spend(WORK_COSTS.step * 8, "ui_url");
    return uiUrl(v);
  },
};
IMPLEMENTATIONS.d = IMPLEMENTATIONS.default!;
IMPLEMENTATIONS.e = IMPLEMENTATIONS.escape!;
IMPLEMENTATIONS.count = IMPLEMENTATIONS.length!;

function guardResult(state: RenderState, result: unknown): unknown {
  if (typeof result === "function" || typeof result === "symbol") return undefined;
  if (typeof result === "string") state.produce(result);
  else if (isSafeString(result)) state.produce(result.val);
  else if (Array.isArray(result) && result.length > TEMPLATE_LIMITS.arrayMaxItems) {
    throw limit(`a filter produced more than ${TEMPLATE_LIMITS.arrayMaxItems} items`);
  }
  return result;
}

function guarded(fn: Fn): Fn {
  return function (this: FilterThis, ...args: unknown[]) {
    return guardResult(this.state, fn.apply(this, args));
  };
}

export function table<T>(entries: [string, T][]): Readonly<Record<string, T>> {
  const t = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) t[k] = v;
  return Object.freeze(t);
}

/** Null-prototype, frozen: `getFilter("constructor")` finds nothing. */
export const FILTERS = table(
  [...ALLOWED_FILTERS].map((name) => {
    const impl = IMPLEMENTATIONS[name];
    if (!impl) throw new Error(`filter ${name} is allowed but not implemented`);
    return [name, guarded(impl)] as [string, Fn];
  }),
);
