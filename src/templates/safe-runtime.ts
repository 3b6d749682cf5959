/**
 * Wall 2, run side: what compiled templates get instead of nunjucks' `runtime`, `env` and `context`.
 * nunjucks hands `require("nunjucks/src/runtime")` to every template; we never patch that module (other users
 * of nunjucks keep their behaviour). Our compiled templates are called directly with a fresh HardenedRuntime
 * per render, so member lookup, calls, iteration, concatenation and output are ours alone.
 */
import { TemplateError, fromNunjucksError } from "./errors.js";
import { FILTERS, TESTS } from "./filters.js";
import { isSafeString, nj, type NjFrame } from "./nunjucks-internals.js";
import { FORBIDDEN_KEYS, TEMPLATE_CODES, TEMPLATE_LIMITS, hasOwn } from "./policy.js";
import { RenderState, formatValue, lookupMember } from "./values.js";

const ARRAY_MAX = 100_000;

function forbidden(message: string): TemplateError {
  return new TemplateError(TEMPLATE_CODES.forbidden, message);
}

/** The `env` compiled code sees: filters and tests from frozen null-prototype tables, nothing else. */
export const SAFE_ENV = Object.freeze({
  opts: Object.freeze({ autoescape: false, throwOnUndefined: false, dev: false }),
  getFilter(name: string) {
    if (typeof name === "string" && hasOwn(FILTERS, name)) return FILTERS[name];
    throw forbidden(`unknown or forbidden filter "${String(name)}"`);
  },
  getTest(name: string) {
    if (typeof name === "string" && hasOwn(TESTS, name)) return TESTS[name];
    throw forbidden(`unknown test "${String(name)}"`);
  },
  getTemplate(): never {
    throw forbidden("templates cannot load other templates");
  },
  getExtension(): never {
    throw forbidden("template extensions are not allowed");
  },
  waterfall(): never {
    throw forbidden("templates cannot load other templates");
  },
});

/** The `context` compiled code (and filters, as `this`) sees. Variables set by the template shadow the data. */
export class RenderContext {
  readonly env = SAFE_ENV;
  private readonly vars: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  constructor(
    private readonly data: object,
    readonly state: RenderState,
  ) {}

  lookup(name: string): unknown {
    if (typeof name !== "string") return undefined;
    if (hasOwn(this.vars, name)) return this.vars[name];
    return lookupMember(this.data, name);
  }
  setVariable(name: string, value: unknown): void {
    if (typeof name === "string" && !FORBIDDEN_KEYS.has(name)) this.vars[name] = value;
  }
  variable(name: string): unknown {
    return hasOwn(this.vars, name) ? this.vars[name] : undefined;
  }
  getVariables(): Record<string, unknown> {
    return Object.create(null) as Record<string, unknown>;
  }
  addExport(): void {}
  getBlock(): never {
    throw forbidden("{% block %} is not allowed");
  }
  getSuper(): never {
    throw forbidden("super() is not allowed");
  }
}

function finiteNumber(v: unknown): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new TemplateError(TEMPLATE_CODES.render, "range() takes numbers, e.g. range(5) or range(1, 10, 2)");
  return Math.trunc(n);
}

/** range(stop) / range(start, stop[, step]), at most TEMPLATE_LIMITS.rangeMaxItems items, counted before built. */
export function safeRange(args: unknown[]): number[] {
  if (args.length < 1 || args.length > 3) throw new TemplateError(TEMPLATE_CODES.render, "range() takes 1 to 3 numbers");
  const nums = args.map(finiteNumber);
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new TemplateError(TEMPLATE_CODES.render, "range() step must not be 0");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > TEMPLATE_LIMITS.rangeMaxItems) {
    throw new TemplateError(TEMPLATE_CODES.limit, `range() would produce ${count} items; the limit is ${TEMPLATE_LIMITS.rangeMaxItems}`);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

function ownEntries(obj: object): [string, unknown][] {
  return Object.keys(obj).map((k) => [k, lookupMember(obj, k)]);
}

/** The `runtime` compiled code sees; one per render (it carries the render's budgets). */
export class HardenedRuntime {
  readonly SafeString = nj.runtime.SafeString;
  readonly markSafe = nj.runtime.markSafe;
  readonly copySafeness = nj.runtime.copySafeness;
  readonly makeKeywordArgs = nj.runtime.makeKeywordArgs;
  constructor(readonly state: RenderState) {}

  memberLookup(obj: unknown, key: unknown): unknown {
    return lookupMember(obj, key);
  }

  contextOrFrameLookup(context: RenderContext, frame: NjFrame, name: string): unknown {
    const v = frame.lookup(name);
    if (v !== undefined && v !== null) return typeof v === "function" ? undefined : v;
    return context.lookup(name);
  }

  callGlobal(name: string, args: unknown[]): unknown {
    if (name === "range") return safeRange(args);
    throw forbidden(`calling "${String(name)}" is not allowed`);
  }

  callWrap(): never {
    throw forbidden("calls are not allowed");
  }
  fromIterator(): never {
    throw forbidden("internal: unguarded loop");
  }

  /** `{% for x in v %}`: arrays, characters of a string, keys of a mapping. */
  iterValues(v: unknown): unknown[] {
    let out: unknown[];
    if (Array.isArray(v)) out = v;
    else if (typeof v === "string") out = Array.from(v);
    else if (isSafeString(v)) out = Array.from(v.val);
    else if (v && typeof v === "object") out = Object.keys(v);
    else out = [];
    this.state.spendIterations(out.length);
    return out;
  }

  /** `{% for k, v in m %}`: [key, value] pairs of a mapping, or the items of an array of pairs. */
  iterPairs(v: unknown): unknown[] {
    let out: unknown[];
    if (Array.isArray(v)) out = v;
    else if (v && typeof v === "object" && !isSafeString(v)) out = ownEntries(v);
    else out = [];
    this.state.spendIterations(out.length);
    return out;
  }

  isArray(v: unknown): boolean {
    return Array.isArray(v);
  }
  keys(v: unknown): string[] {
    return v && typeof v === "object" ? Object.keys(v) : [];
  }

  inOperator(key: unknown, container: unknown): boolean {
    if (Array.isArray(container)) return container.includes(key);
    const k = isSafeString(key) ? key.val : key;
    if (typeof container === "string" || isSafeString(container)) {
      const s = isSafeString(container) ? container.val : container;
      return (typeof k === "string" || typeof k === "number") && s.includes(String(k));
    }
    if (container && typeof container === "object") {
      return (typeof k === "string" || typeof k === "number") && lookupMember(container, k) !== undefined;
    }
    return false;
  }

  /** `a ~ b`: text concatenation, missing values as "". */
  concat(a: unknown, b: unknown): string {
    const sa = formatValue(a);
    const sb = formatValue(b);
    if (sa.length + sb.length > TEMPLATE_LIMITS.stringMaxChars) {
      throw new TemplateError(TEMPLATE_CODES.tooLarge, `a string grew beyond ${TEMPLATE_LIMITS.stringMaxChars} characters`);
    }
    return this.state.produce(sa + sb);
  }

  /** `a + b`: numbers add, lists join, anything with text concatenates. */
  add(a: unknown, b: unknown): unknown {
    const numeric = (x: unknown) => x === null || x === undefined || typeof x === "number" || typeof x === "boolean";
    if (numeric(a) && numeric(b)) return (a as number) + (b as number);
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length + b.length > ARRAY_MAX) throw new TemplateError(TEMPLATE_CODES.limit, `a list grew beyond ${ARRAY_MAX} items`);
      return [...a, ...b];
    }
    return this.concat(a, b);
  }

  suppressValue(value: unknown): string {
    return this.state.produce(formatValue(value));
  }

  handleError(err: unknown): TemplateError {
    return fromNunjucksError(err, TEMPLATE_CODES.render);
  }
}
