/**
 * Anchored, case-sensitive glob patterns (SEMANTICS.md §2).
 * `*` any run (including `.`, `/`, `:` and empty), `?` one character, `[abc]` / `[!abc]` / `[a-z]` classes.
 * A leading `!` negates the whole pattern. A missing value matches nothing, not even a negated pattern.
 *
 * Patterns come from users and values from anyone, so matching never uses backtracking regular expressions
 * (`*a*a*a*b` against a long run of `a` would take exponential time): common shapes are string operations,
 * the rest a wildcard matcher that is O(pattern × value) in the worst case.
 */
export interface CompiledPattern {
  readonly source: string;
  readonly negated: boolean;
  /** true when the pattern has no wildcard: matching is string equality */
  readonly literal: boolean;
  test(value: string | undefined): boolean;
}

const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 10_000;

export function compilePattern(source: string): CompiledPattern {
  const hit = cache.get(source);
  if (hit) return hit;
  const compiled = build(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** One position of a pattern: a literal character code, any character, a class, or a star. */
type Token =
  | { kind: "char"; code: number }
  | { kind: "any" }
  | { kind: "star" }
  | { kind: "class"; negated: boolean; ranges: number[] /* pairs lo, hi inclusive */ };

function build(source: string): CompiledPattern {
  const negated = source.startsWith("!");
  const body = negated ? source.slice(1) : source;
  const matches = matcherOf(body);
  return {
    source,
    negated,
    literal: !/[*?[]/.test(body),
    test: (value) => value !== undefined && matches(value) !== negated,
  };
}

function matcherOf(body: string): (value: string) => boolean {
  const tokens = tokenize(body);
  const stars = tokens.filter((t) => t.kind === "star").length;
  const plain = tokens.every((t) => t.kind === "char" || t.kind === "star");
  if (plain) {
    // fast shapes: "abc", "abc*", "*abc", "*abc*"
    const text = (from: number, to: number) => {
      let out = "";
      for (let k = from; k < to; k++) out += String.fromCharCode((tokens[k] as { code: number }).code);
      return out;
    };
    const n = tokens.length;
    if (stars === 0) return (v) => v === body;
    if (stars === 1 && tokens[n - 1]!.kind === "star") {
      const prefix = text(0, n - 1);
      return (v) => v.startsWith(prefix);
    }
    if (stars === 1 && tokens[0]!.kind === "star") {
      const suffix = text(1, n);
      return (v) => v.endsWith(suffix);
    }
    if (stars === 2 && tokens[0]!.kind === "star" && tokens[n - 1]!.kind === "star") {
      const middle = text(1, n - 1);
      return (v) => v.includes(middle);
    }
  }
  return (v) => wildcardMatch(tokens, v);
}

function tokenize(glob: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" }); // ** = *
    } else if (c === "?") {
      out.push({ kind: "any" });
    } else if (c === "[") {
      const close = findClassEnd(glob, i);
      if (close < 0) {
        out.push({ kind: "char", code: c.charCodeAt(0) });
        continue;
      }
      let j = i + 1;
      const negatedClass = glob[j] === "!";
      if (negatedClass) j++;
      const ranges: number[] = [];
      for (; j < close; j++) {
        const lo = glob.charCodeAt(j);
        if (glob[j + 1] === "-" && j + 2 < close) {
          ranges.push(lo, glob.charCodeAt(j + 2));
          j += 2;
        } else {
          ranges.push(lo, lo);
        }
      }
      out.push({ kind: "class", negated: negatedClass, ranges });
      i = close;
    } else {
      out.push({ kind: "char", code: glob.charCodeAt(i) });
    }
  }
  return out;
}

/** index of the `]` that closes the class opened at `open`, or -1 */
function findClassEnd(glob: string, open: number): number {
  let j = open + 1;
  if (glob[j] === "!") j++;
  if (glob[j] === "]") j++; // a leading ] is literal
  for (; j < glob.length; j++) if (glob[j] === "]") return j;
  return -1;
}

function tokenMatches(t: Token, code: number): boolean {
  if (t.kind === "char") return t.code === code;
  if (t.kind === "any") return true;
  if (t.kind === "class") {
    let inside = false;
    for (let k = 0; k < t.ranges.length; k += 2) {
      if (code >= t.ranges[k]! && code <= t.ranges[k + 1]!) {
        inside = true;
        break;
      }
    }
    return inside !== t.negated;
  }
  return false;
}

/**
 * Classic iterative wildcard matching: on a mismatch, go back to the last star and let it swallow one more
 * character. Only the last star is ever revisited, so the cost is bounded by pattern length × value length.
 */
function wildcardMatch(tokens: readonly Token[], value: string): boolean {
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < value.length) {
    const t = tokens[p];
    if (t !== undefined && t.kind !== "star" && tokenMatches(t, value.charCodeAt(i))) {
      p++;
      i++;
    } else if (t !== undefined && t.kind === "star") {
      starP = p++;
      starI = i;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else {
      return false;
    }
  }
  while (p < tokens.length && tokens[p]!.kind === "star") p++;
  return p === tokens.length;
}

/** A pattern or a list of patterns (OR). */
export type PatternSet = string | readonly string[];

export function matchesAny(value: string | undefined, patterns: PatternSet): boolean {
  if (typeof patterns === "string") return compilePattern(patterns).test(value);
  for (const p of patterns) if (compilePattern(p).test(value)) return true;
  return false;
}

/** true when a list mixes positive and negated patterns (`[a, "!b"]` lets almost everything through) */
export function mixesNegation(patterns: readonly string[]): boolean {
  let pos = false;
  let neg = false;
  for (const p of patterns) {
    if (p.startsWith("!")) neg = true;
    else pos = true;
  }
  return pos && neg;
}
