/**
 * Anchored, case-sensitive glob patterns (SEMANTICS.md §2).
 * `*` any run (including `.`, `/`, `:` and empty), `?` one character, `[abc]` / `[!abc]` classes.
 * A leading `!` negates the whole pattern. A missing value matches nothing, not even a negated pattern.
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

function build(source: string): CompiledPattern {
  const negated = source.startsWith("!");
  const body = negated ? source.slice(1) : source;
  if (!/[*?[]/.test(body)) {
    return {
      source,
      negated,
      literal: true,
      test: (value) => value !== undefined && (value === body) !== negated,
    };
  }
  const re = new RegExp(`^${globToRegExpSource(body)}$`, "s");
  return {
    source,
    negated,
    literal: false,
    test: (value) => value !== undefined && re.test(value) !== negated,
  };
}

export function globToRegExpSource(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      while (glob[i + 1] === "*") i++;
      out += ".*";
    } else if (c === "?") {
      out += ".";
    } else if (c === "[") {
      const close = findClassEnd(glob, i);
      if (close < 0) {
        out += "\\[";
        continue;
      }
      let inner = glob.slice(i + 1, close);
      let neg = false;
      if (inner.startsWith("!")) {
        neg = true;
        inner = inner.slice(1);
      }
      const escaped = inner.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += `[${neg ? "^" : ""}${escaped}]`;
      i = close;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
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
