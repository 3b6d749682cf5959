/**
 * The per-render meter (SEMANTICS.md §7: a template is bounded in time and memory wherever it runs). Every step
 * of a render charges the work it is about to do against TEMPLATE_LIMITS.workBudget BEFORE doing it, in work
 * units that count what the step touches (characters, list items, mapping keys, JSON nodes), never time: the core
 * has no clock, and the same template on the same data spends the same units on any machine. Values are measured
 * (their JSON size, memoized per render) before anything prints, compares or serializes them, so a list of a
 * thousand references to a 1 MB string is refused before a gigabyte is built.
 */
import { TemplateError } from "./errors.js";
import { isSafeString } from "./nunjucks-internals.js";
import { TEMPLATE_CODES, TEMPLATE_LIMITS, WORK_COSTS } from "./policy.js";
import { formatValue, plainJson, toJson } from "./values.js";

/** The JSON size of a value: compact characters, element/property count, nesting height, SafeStrings inside. */
export interface Measure {
  chars: number;
  nodes: number;
  height: number;
  safe: boolean;
}

const LEAF: Measure = Object.freeze({ chars: 4, nodes: 0, height: 0, safe: false });

function tooLarge(message: string): TemplateError {
  return new TemplateError(TEMPLATE_CODES.tooLarge, message);
}

/** Per-render budgets shared by the runtime and the filters. */
export class RenderState {
  iterations = 0;
  produced = 0;
  /** work units spent so far */
  spent = 0;
  private readonly sizes = new WeakMap<object, Measure>();

  constructor(readonly budget: number = TEMPLATE_LIMITS.workBudget) {}

  /** Charges `units` for `what` (a filter's name, "a loop", ...); throws HOOKLINE_TEMPLATE_BUDGET_EXCEEDED past the budget. */
  spend(units: number, what: string): void {
    this.spent += units;
    // written so that NaN fails too
    if (!(this.spent <= this.budget)) {
      throw new TemplateError(
        TEMPLATE_CODES.budget,
        `the template does too much work (${what} went past the budget of ${this.budget} work units for one render): ` +
          `filter, sort or print large values once instead of inside loops, and render less`,
      );
    }
  }

  spendIterations(n: number, perIteration: number = 0): void {
    this.iterations += n;
    if (this.iterations > TEMPLATE_LIMITS.iterationBudget) {
      throw new TemplateError(
        TEMPLATE_CODES.limit,
        `loops ran more than ${TEMPLATE_LIMITS.iterationBudget} iterations in one template: iterate over less data`,
      );
    }
    this.spend(n * (WORK_COSTS.item + perIteration), "a loop");
  }

  produce(text: string): string {
    if (text.length > TEMPLATE_LIMITS.stringMaxChars) {
      throw tooLarge(`a template value grew to ${text.length} characters; the limit is ${TEMPLATE_LIMITS.stringMaxChars}`);
    }
    this.produced += text.length;
    if (this.produced > TEMPLATE_LIMITS.producedBudgetChars) {
      throw tooLarge(
        `template produced more than ${TEMPLATE_LIMITS.producedBudgetChars} characters: output is limited to ${TEMPLATE_LIMITS.outputMaxBytes} bytes`,
      );
    }
    this.spend(text.length * WORK_COSTS.char, "building text");
    return text;
  }

  /** A list of `n` items is about to be built (or walked) by `what`: within the list limit, and charged. */
  listOf(n: number, what: string): void {
    if (n > TEMPLATE_LIMITS.arrayMaxItems) {
      throw new TemplateError(
        TEMPLATE_CODES.limit,
        `${what} would make a list of ${n} items; the limit is ${TEMPLATE_LIMITS.arrayMaxItems}`,
      );
    }
    this.spend(n * WORK_COSTS.item, what);
  }

  /**
   * A mapping's keys are about to be listed: charged per key, more for large mappings (V8 keeps them in a
   * dictionary and sorts them to list them).
   */
  keysOf(value: object, what: string): string[] {
    const keys = Object.keys(value);
    this.listOf(keys.length, what);
    if (keys.length > 64) this.spend(keys.length * Math.ceil(Math.log2(keys.length)) * WORK_COSTS.walk, what);
    return keys;
  }

  /**
   * The JSON size of a value, measured once per render (the walk is charged per node). Strings count their
   * length (escapes are not predicted: the printed text is checked again when it is produced).
   */
  measure(value: unknown, depth = 0): Measure {
    switch (typeof value) {
      case "string":
        return { chars: value.length + 2, nodes: 0, height: 0, safe: false };
      case "number":
        return { chars: Number.isFinite(value) ? String(value).length : 4, nodes: 0, height: 0, safe: false };
      case "object":
        break;
      default:
        return LEAF;
    }
    if (value === null) return LEAF;
    if (isSafeString(value)) return { chars: value.val.length + 2, nodes: 0, height: 0, safe: true };
    const known = this.sizes.get(value);
    if (known) return known;
    if (depth >= TEMPLATE_LIMITS.nestingMaxDepth) {
      throw new TemplateError(TEMPLATE_CODES.limit, `a value is nested deeper than ${TEMPLATE_LIMITS.nestingMaxDepth} levels`);
    }
    let chars = 2;
    let nodes = 0;
    let height = 0;
    let safe = false;
    const add = (m: Measure, extra: number) => {
      chars += m.chars + extra;
      nodes += m.nodes + 1;
      if (m.height + 1 > height) height = m.height + 1;
      safe ||= m.safe;
    };
    if (Array.isArray(value)) {
      this.spend(value.length * WORK_COSTS.walk, "measuring a list");
      for (let i = 0; i < value.length; i++) add(this.measure(value[i], depth + 1), 1);
    } else {
      const keys = Object.keys(value);
      this.spend(keys.length * WORK_COSTS.walk, "measuring a mapping");
      // every own data property, "__proto__" included (JSON.stringify writes it), never a getter
      for (const k of keys) {
        const d = Object.getOwnPropertyDescriptor(value, k);
        add(d && "value" in d ? this.measure(d.value, depth + 1) : LEAF, k.length + 4);
      }
    }
    const m = { chars, nodes, height, safe };
    this.sizes.set(value, m);
    return m;
  }

  /** An upper bound of the length of JSON.stringify(value, null, indent). */
  jsonLength(value: unknown, indent = 0): number {
    const m = this.measure(value);
    // each element/property and each closing bracket gets its own line: a newline, up to `height` indents, ": "
    return indent > 0 ? m.chars + 2 * m.nodes * (2 + m.height * indent) : m.chars;
  }

  /** JSON text of a value, refused before it is written when it would exceed the string limit; charged. */
  json(value: unknown, indent?: unknown, what = "tojson"): string | undefined {
    const n = typeof indent === "number" && Number.isFinite(indent) ? Math.max(0, Math.min(10, Math.floor(indent))) : 0;
    const length = this.jsonLength(value, n);
    if (length > TEMPLATE_LIMITS.stringMaxChars) {
      throw tooLarge(`${what}: the value would be ${length} characters as JSON; the limit is ${TEMPLATE_LIMITS.stringMaxChars}`);
    }
    // writing a node (a key, a bracket, a number) costs like an item; strings cost their characters
    this.spend(length * WORK_COSTS.char + this.measure(value).nodes * WORK_COSTS.item, what);
    // the replacer (a call per value) is needed only to write SafeStrings as their text
    return this.measure(value).safe ? toJson(value, n) : plainJson(value, n);
  }

  /** Text of a value (objects as JSON, measured first). */
  format(value: unknown, what = "printing a value"): string {
    if (value !== null && typeof value === "object" && !isSafeString(value)) return this.json(value, 0, what) ?? "";
    return formatValue(value);
  }

  /**
   * What JavaScript's implicit conversion of `value` to a string or number costs: a string's length, a list's
   * JSON size (a list converts by joining its elements, recursively); a mapping converts to "[object Object]".
   */
  coercion(value: unknown): number {
    if (typeof value === "string") return value.length;
    if (isSafeString(value)) return value.val.length;
    if (Array.isArray(value)) {
      const m = this.measure(value);
      // a list converts by joining: a call and a string per element
      return m.chars + m.nodes * WORK_COSTS.item;
    }
    return WORK_COSTS.step;
  }
}
