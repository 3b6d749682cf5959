/**
 * The text filters. Each converts its input to text (objects as JSON, measured first), charges a scan of it plus
 * what the filter adds (the output it can grow to, the words it splits, the backtracking of its regular
 * expression) and only then runs nunjucks' own code. Two are ours: nunjucks' `trim` and `striptags` use
 * regular expressions that backtrack quadratically on long runs of spaces (`"a" + " ".repeat(32000) + "a"`
 * took 0.6 s in `trim`, 1.1 s in `striptags(true)`); ours give the same results in linear time.
 */
import { type FilterThis, type Fn, builtin, intArg, limit, text } from "./filter-kit.js";
import { isSafeString, nj } from "./nunjucks-internals.js";
import { TEMPLATE_LIMITS, WORK_COSTS } from "./policy.js";

const REGEX_INPUT_MAX = 65_536;

type Extra = (s: string, args: unknown[]) => number;

function count(s: string, test: (c: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (test(s.charCodeAt(i))) n++;
  return n;
}

/**
 * A text filter: `scan` charges one pass over the input (false for filters that read only a prefix), then
 * `extra` charges the rest, before `impl` runs. The result is charged again when it is produced (guardResult).
 */
function stringFilter(name: string, extra: Extra = () => 0, o: { scan?: boolean; impl?: Fn; maxInput?: number } = {}): Fn {
  const impl = o.impl ?? builtin(name);
  return function (this: FilterThis, value: unknown, ...args: unknown[]) {
    const v = text(this.state, value, name);
    const s = typeof v === "string" ? v : isSafeString(v) ? v.val : "";
    if (o.maxInput !== undefined && s.length > o.maxInput) throw limit(`${name}: input longer than ${o.maxInput} characters`);
    this.state.spend(WORK_COSTS.step + (o.scan === false ? 0 : s.length * WORK_COSTS.char), name);
    this.state.spend(extra(s, args), name);
    return impl.call(this, v, ...args);
  };
}

function plainOf(v: unknown): string {
  return typeof v === "string" ? v : isSafeString(v) ? v.val : "";
}

/** The characters nunjucks' striptags regular expression scans from each `<` that may open a tag or a comment. */
export function tagScanCost(s: string): number {
  let cost = 0;
  let gt = -1;
  let commentEnd = -1;
  for (let i = s.indexOf("<"); i >= 0; i = s.indexOf("<", i + 1)) {
    let j = i + 1;
    if (s.charCodeAt(j) === 0x2f) j++; // "/"
    const c = s.charCodeAt(j) | 0x20;
    if (c >= 0x61 && c <= 0x7a) {
      if (gt < i) gt = s.indexOf(">", i);
      cost += (gt < 0 ? s.length : gt) - i;
    }
    if (s.startsWith("<!--", i)) {
      if (commentEnd < i) commentEnd = s.indexOf("-->", i + 4);
      cost += (commentEnd < 0 ? s.length : commentEnd) - i;
    }
  }
  return cost;
}

const TAGS = /<\/?([a-z][a-z0-9]*)\b[^>]*>|<!--[\s\S]*?-->/gi;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** nunjucks' striptags, same results: tags and comments removed, trimmed, spaces squashed (line breaks kept when asked). */
function striptags(value: unknown, preserveLinebreaks?: unknown): unknown {
  const s = plainOf(value);
  const stripped = s.replace(TAGS, "").trim();
  let res: string;
  if (preserveLinebreaks) {
    // a run of spaces at the start or end of a line goes, any other run becomes one space (nunjucks: /^ +| +$/gm then / +/g)
    const atStart = (at: number) => at === 0 || LINE_BREAK.test(stripped[at - 1]!);
    const atEnd = (at: number) => at === stripped.length || LINE_BREAK.test(stripped[at]!);
    res = stripped
      .replace(/(?<! ) +/g, (run: string, at: number) => (atStart(at) || atEnd(at + run.length) ? "" : " "))
      .replace(/\r\n/g, "\n")
      .replace(/\n\n\n+/g, "\n\n");
  } else res = stripped.replace(/\s+/g, " ");
  return nj.runtime.copySafeness(value, res);
}

/** nunjucks' trim is /^\s*|\s*$/g, which String.prototype.trim does (the same white space) without backtracking. */
function trim(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  return nj.runtime.copySafeness(value, plainOf(value).trim());
}

function replaceFilter(this: FilterThis, value: unknown, old: unknown, replacement: unknown, maxCount?: unknown): unknown {
  const v = text(this.state, value, "replace");
  if (v === null || v === undefined) return v;
  const s = plainOf(v);
  if (typeof old !== "string" && typeof old !== "number") return v;
  const o = String(old);
  const r = this.state.format(replacement, "replace");
  this.state.spend(WORK_COSTS.step + s.length * WORK_COSTS.char, "replace");
  const max = maxCount === undefined || maxCount === null ? -1 : Number(maxCount);
  let n = 0;
  // nunjucks ignores the count for an empty `old`: the replacement goes around every character
  if (o === "") n = s.length + 1;
  else for (let at = s.indexOf(o); at >= 0 && (max < 0 || n < max); at = s.indexOf(o, at + o.length)) n++;
  const size = s.length + n * Math.max(0, r.length - o.length);
  if (size > TEMPLATE_LIMITS.stringMaxChars) throw limit(`replace: result would exceed ${TEMPLATE_LIMITS.stringMaxChars} characters`);
  this.state.spend(size * WORK_COSTS.char + n * WORK_COSTS.item, "replace");
  return builtin("replace").call(this, v, o, r, maxCount);
}

const isSpace = (c: number) => c === 0x20;
/** the white space urlize splits words on (an upper bound of its words) */
const isWhite = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x2028 || c === 0x2029;
/** a word or a replaced character: a callback, several small strings */
const PER_WORD = 4 * WORK_COSTS.item;
/** case mapping writes a new string of the same length */
const CASE = 3 * WORK_COSTS.char;
const isNewline = (c: number) => c === 0x0a;
/** & " ' < > \ grow to an entity */
const isEscaped = (c: number) => c === 0x26 || c === 0x22 || c === 0x27 || c === 0x3c || c === 0x3e || c === 0x5c;

export const STRING_FILTERS: Record<string, Fn> = {
  capitalize: stringFilter("capitalize", (s) => s.length * CASE),
  // nunjucks pads with a loop that appends one space at a time
  center: stringFilter("center", (s, [w]) => intArg(w, 80, 0, 10_000, "center width") * 4 * WORK_COSTS.char),
  escape: stringFilter("escape", (s) => count(s, isEscaped) * PER_WORD),
  forceescape: stringFilter("forceescape", (s) => count(s, isEscaped) * PER_WORD),
  safe: stringFilter("safe", undefined, { scan: false }),
  indent: stringFilter("indent", (s, [w]) => {
    const width = intArg(w, 4, 0, 100, "indent width");
    const lines = count(s, isNewline) + 1;
    if (s.length + lines * width > TEMPLATE_LIMITS.stringMaxChars) throw limit("indent: result too large");
    return lines * (width * WORK_COSTS.char + 2 * WORK_COSTS.item);
  }),
  lower: stringFilter("lower", (s) => s.length * CASE),
  upper: stringFilter("upper", (s) => s.length * CASE),
  nl2br: stringFilter("nl2br", (s) => count(s, isNewline) * WORK_COSTS.item),
  replace: replaceFilter,
  striptags: stringFilter("striptags", (s) => s.length + tagScanCost(s), { impl: striptags as Fn, maxInput: REGEX_INPUT_MAX }),
  title: stringFilter("title", (s) => s.length * CASE + (count(s, isSpace) + 1) * PER_WORD),
  trim: stringFilter("trim", undefined, { impl: trim as Fn }),
  truncate: stringFilter("truncate", (s, [n]) => Math.min(s.length, intArg(n, 255, 0, TEMPLATE_LIMITS.stringMaxChars, "truncate length")), {
    scan: false,
  }),
  // four regular expressions per word, each linear in the word
  urlize: stringFilter("urlize", (s) => 4 * s.length * WORK_COSTS.char + (count(s, isWhite) + 1) * PER_WORD, { maxInput: REGEX_INPUT_MAX }),
  wordcount: stringFilter("wordcount", (s) => (s.length / 2) * WORK_COSTS.item, { maxInput: REGEX_INPUT_MAX }),
};
