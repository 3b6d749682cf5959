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
  /** longest intermediate string */
  stringMaxChars: 2_097_152,
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
