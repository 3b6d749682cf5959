/**
 * Wall 2, run side: what compiled templates get instead of nunjucks' `runtime`, `env` and `context`.
 * nunjucks hands `require("nunjucks/src/runtime")` to every template; we never patch that module (other users
 * of nunjucks keep their behaviour). Our compiled templates are called directly with a fresh HardenedRuntime
 * per render, so member lookup, calls, iteration, concatenation and output are ours alone.
 */
import { TemplateError, fromNunjucksError } from "./errors.js";
import { FILTERS } from "./filters.js";
import { isSafeString, nj, type NjFrame } from "./nunjucks-internals.js";
import { type ArithOp, type CompareOp, add, arith, compare, concat, unary } from "./operators.js";
import { FORBIDDEN_KEYS, TEMPLATE_CODES, TEMPLATE_LIMITS, WORK_COSTS, hasOwn } from "./policy.js";
import type { RenderState } from "./render-state.js";
import { TESTS } from "./template-tests.js";
import { lookupMember } from "./values.js";

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
export function safeRange(args: unknown[], state?: RenderState): number[] {
  if (args.length < 1 || args.length > 3) throw new TemplateError(TEMPLATE_CODES.render, "range() takes 1 to 3 numbers");
  if (state) for (const a of args) state.spend(WORK_COSTS.step + state.coercion(a) * WORK_COSTS.char, "range()");
  const nums = args.map(finiteNumber);
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new TemplateError(TEMPLATE_CODES.render, "range() step must not be 0");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > TEMPLATE_LIMITS.rangeMaxItems) {
    throw new TemplateError(TEMPLATE_CODES.limit, `range() would produce ${count} items; the limit is ${TEMPLATE_LIMITS.rangeMaxItems}`);
  }
  state?.spend(WORK_COSTS.step + count * WORK_COSTS.item, "range()");
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * step);
  return out;
}

function ownEntries(state: RenderState, obj: object): [string, unknown][] {
  return state.keysOf(obj, "a loop").map((k) => [k, lookupMember(obj, k)]);
}

/** The `runtime` compiled code sees; one per render (it carries the render's budgets). */
export class HardenedRuntime {
  readonly SafeString = nj.runtime.SafeString;
  readonly markSafe = nj.runtime.markSafe;
  readonly copySafeness = nj.runtime.copySafeness;
  readonly makeKeywordArgs = nj.runtime.makeKeywordArgs;
  constructor(readonly state: RenderState) {}

  memberLookup(obj: unknown, key: unknown): unknown {
    this.state.spend(WORK_COSTS.step + (typeof key === "string" ? key.length * WORK_COSTS.char : 0), "a lookup");
    return lookupMember(obj, key);
  }

  contextOrFrameLookup(context: RenderContext, frame: NjFrame, name: string): unknown {
    this.state.spend(WORK_COSTS.step, "a variable");
    const v = frame.lookup(name);
    if (v !== undefined && v !== null) return typeof v === "function" ? undefined : v;
    return context.lookup(name);
  }

  callGlobal(name: string, args: unknown[]): unknown {
    if (name === "range") return safeRange(args, this.state);
    throw forbidden(`calling "${String(name)}" is not allowed`);
  }

  callWrap(): never {
    throw forbidden("calls are not allowed");
  }
  fromIterator(): never {
    throw forbidden("internal: unguarded loop");
  }

  /** A string walked as characters: refused before its characters are listed when they are more than the loops may run. */
  private characters(s: string): string[] {
    // a string of n UTF-16 units has at least n / 2 characters
    if (this.state.iterations + Math.ceil(s.length / 2) > TEMPLATE_LIMITS.iterationBudget)
      this.state.spendIterations(Math.ceil(s.length / 2));
    return Array.from(s);
  }

  /**
   * `{% for x in v %}`: arrays, characters of a string, keys of a mapping. `bodyWeight` is the number of syntax
   * nodes in the loop's body (the compiler counts them): each iteration is charged for them.
   */
  iterValues(v: unknown, bodyWeight = 0): unknown[] {
    let out: unknown[];
    if (Array.isArray(v)) out = v;
    else if (typeof v === "string") out = this.characters(v);
    else if (isSafeString(v)) out = this.characters(v.val);
    else if (v && typeof v === "object") out = this.state.keysOf(v, "a loop");
    else out = [];
    this.state.spendIterations(out.length, bodyWeight * WORK_COSTS.node);
    return out;
  }

  /** `{% for k, v in m %}`: [key, value] pairs of a mapping, or the items of an array of pairs. */
  iterPairs(v: unknown, bodyWeight = 0): unknown[] {
    let out: unknown[];
    if (Array.isArray(v)) out = v;
    else if (v && typeof v === "object" && !isSafeString(v)) out = ownEntries(this.state, v);
    else out = [];
    this.state.spendIterations(out.length, bodyWeight * WORK_COSTS.node);
    return out;
  }

  isArray(v: unknown): boolean {
    return Array.isArray(v);
  }
  keys(v: unknown): string[] {
    return v && typeof v === "object" ? Object.keys(v) : [];
  }

  /** `key in container`: an element of a list (strings compared when their lengths match), a substring, a mapping's key. */
  inOperator(key: unknown, container: unknown): boolean {
    const k = isSafeString(key) ? key.val : key;
    if (Array.isArray(container)) {
      let cost = container.length * WORK_COSTS.item;
      if (typeof k === "string") for (const x of container) if (typeof x === "string" && x.length === k.length) cost += k.length;
      this.state.spend(cost, "in");
      return container.includes(key);
    }
    if (typeof container === "string" || isSafeString(container)) {
      const s = isSafeString(container) ? container.val : container;
      if (typeof k !== "string" && typeof k !== "number") return false;
      const needle = String(k);
      this.state.spend(WORK_COSTS.step + (s.length + needle.length) * WORK_COSTS.char, "in");
      return s.includes(needle);
    }
    if (container && typeof container === "object") {
      this.state.spend(WORK_COSTS.step + (typeof k === "string" ? k.length : 0), "in");
      return (typeof k === "string" || typeof k === "number") && lookupMember(container, k) !== undefined;
    }
    return false;
  }

  /** `a ~ b`: text concatenation, missing values as "". */
  concat(a: unknown, b: unknown): string {
    return concat(this.state, a, b);
  }

  /** `a + b`: numbers add, lists join, anything with text concatenates. */
  add(a: unknown, b: unknown): unknown {
    return add(this.state, a, b);
  }

  /** `a == b`, `a < b`, ...: one step of a comparison chain. */
  compare(op: CompareOp, a: unknown, b: unknown): boolean {
    return compare(this.state, op, a, b);
  }

  /** `a - b`, `a * b`, `a / b`, `a % b`, `a // b`, `a ** b`. */
  arith(op: ArithOp, a: unknown, b: unknown): number {
    return arith(this.state, op, a, b);
  }

  /** `-a`, `+a`. */
  unary(op: "-" | "+", a: unknown): number {
    return unary(this.state, op, a);
  }

  suppressValue(value: unknown): string {
    return this.state.produce(this.state.format(value));
  }

  handleError(err: unknown): TemplateError {
    return fromNunjucksError(err, TEMPLATE_CODES.render);
  }
}
