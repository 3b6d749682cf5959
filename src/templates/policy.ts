/**
 * What templates may do (SEMANTICS.md §7). Shared by the static check (validation) and the hardened compiler /
 * runtime (rendering), so both walls agree on names and limits.
 */
export const TEMPLATE_LIMITS = {
  /** longest template source accepted */
  sourceMaxChars: 65_536,
  /** rendered output, UTF-8 bytes */
  outputMaxBytes: 65_536,
  rangeMaxItems: 100,
  maxLoops: 10,
  maxLoopNesting: 2,
  /** total loop iterations of one render */
  iterationBudget: 20_000,
  /** total characters produced by output, concatenation and filters in one render (runaway guard) */
  producedBudgetChars: 8_388_608,
  /** longest intermediate string (above the largest event, 1.5 MB, so `event | tojson | truncate(n)` works) */
  stringMaxChars: 2_097_152,
  /** longest intermediate list (filter results, `a + b`) */
  arrayMaxItems: 100_000,
  /** most keys of a mapping a filter builds (groupby) */
  objectMaxKeys: 100_000,
  /** deepest value a template may measure or print (context data stops at contextMaxDepth; lists a template nests can go deeper) */
  nestingMaxDepth: 256,
  /**
   * work units one render may spend (see WORK_COSTS): every filter, test, comparison, concatenation, lookup and
   * loop iteration charges what it touches BEFORE it runs. ~50 ms of CPU at most on a 2024 laptop core.
   */
  workBudget: 40_000_000,
  /** deeper context data is cut (rendered as null) */
  contextMaxDepth: 64,
  /** renderValue: deeper parameter structures are refused */
  valueMaxDepth: 64,
  /** compiled templates kept */
  cacheSize: 500,
  /** checkTemplate reports at most this many problems */
  maxProblems: 20,
} as const;

/** Stable error codes (also used in TemplateProblem.code). */
export const TEMPLATE_CODES = {
  syntax: "HOOKLINE_TEMPLATE_SYNTAX",
  forbidden: "HOOKLINE_TEMPLATE_FORBIDDEN",
  limit: "HOOKLINE_TEMPLATE_LIMIT",
  tooLarge: "HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE",
  missing: "HOOKLINE_TEMPLATE_MISSING_VALUE",
  render: "HOOKLINE_TEMPLATE_RENDER_FAILED",
  budget: "HOOKLINE_TEMPLATE_BUDGET_EXCEEDED",
  timeout: "HOOKLINE_TEMPLATE_TIMEOUT",
  busy: "HOOKLINE_TEMPLATE_BUSY",
} as const;

/**
 * What each step of a render charges against TEMPLATE_LIMITS.workBudget. One unit is about one character
 * scanned or copied by native code (~1 ns); the other weights were set from measurements (bench/templates):
 * an item (list element, mapping key, loop iteration) is a call, an allocation or a property read, and a
 * syntax node of a loop body runs in V8's interpreter when a hostile template makes the body huge.
 * Deterministic: the same template and data always spend the same units, wherever and however fast they run.
 */
export const WORK_COSTS = {
  /** per character read, written, compared or converted */
  char: 2,
  /** per list element, mapping key or other per-item step that allocates or calls */
  item: 256,
  /** per element or property walked without allocating (measuring a value's JSON size) */
  walk: 64,
  /** per syntax node of a loop body, per iteration (what the body does besides the charged calls) */
  node: 48,
  /** the floor of any charged step (a lookup, an output, a test, a filter call) */
  step: 16,
} as const;

/** Property names that lead from data to code. Never readable, never writable, never a literal key. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["constructor", "__proto__", "prototype"]);

/** Variable names a template may not use: code-reaching names, nunjucks helpers we do not expose, internals. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  ...FORBIDDEN_KEYS,
  "caller",
  "cycler",
  "joiner",
  "lipsum",
  "self",
  "super",
  "varargs",
  "kwargs",
  "globalThis",
  "global",
  "window",
  "process",
  "require",
  "module",
]);

/** Plain identifiers only: anything else could break out of the code nunjucks generates. */
export const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The only callable globals. */
export const ALLOWED_GLOBALS: ReadonlySet<string> = new Set(["range"]);

export const ALLOWED_FILTERS: ReadonlySet<string> = new Set([
  "abs",
  "batch",
  "capitalize",
  "center",
  "default",
  "d",
  "dictsort",
  "dump",
  "escape",
  "e",
  "safe",
  "first",
  "forceescape",
  "groupby",
  "indent",
  "join",
  "last",
  "length",
  "count",
  "list",
  "lower",
  "nl2br",
  "reject",
  "rejectattr",
  "select",
  "selectattr",
  "replace",
  "reverse",
  "round",
  "slice",
  "sum",
  "sort",
  "string",
  "striptags",
  "title",
  "trim",
  "truncate",
  "upper",
  "urlencode",
  "urlize",
  "wordcount",
  "float",
  "int",
  "tojson",
  "ui_url",
]);

export const ALLOWED_TESTS: ReadonlySet<string> = new Set([
  "callable",
  "defined",
  "divisibleby",
  "escaped",
  "equalto",
  "eq",
  "sameas",
  "even",
  "falsy",
  "ge",
  "greaterthan",
  "gt",
  "le",
  "lessthan",
  "lt",
  "lower",
  "ne",
  "null",
  "none",
  "number",
  "odd",
  "string",
  "truthy",
  "undefined",
  "upper",
  "iterable",
  "mapping",
]);

/** Keys refused as literals by the static check: the forbidden ones and Python-style dunders (`__class__`). */
export function isForbiddenLiteralKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key) || /^__.*__$/.test(key);
}

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name) || name.startsWith("__") || !IDENT_RE.test(name);
}

export function hasOwn(obj: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
