/**
 * The loader's fast path, for the common case of a plain file without a single problem: fast-yaml.ts reads it
 * (no yaml Document, LineCounter or node tree), then the same schema, checks and normalization run as on the
 * positioned path, with a locator that knows where mappings and sequences start (for the config's
 * `position`s) and gives up at the first problem or anything else that needs the YAML nodes. Giving up returns
 * null and the caller reads the file again with positions (load.ts), so problems, their order and their
 * positions are always the positioned path's; a config from either path is the same.
 */
import { fastParseYaml, type FastYaml } from "./fast-yaml.js";
import { checkAndNormalize, type LoadOptions } from "./load.js";
import type { LoadResult, Problem } from "./problems.js";
import type { Located, Locator, Path } from "./source-locator.js";
import type { SourcePosition } from "./types.js";
import { MAX_FILE_BYTES, utf8Length } from "./yaml-source.js";
import { valueAt } from "./zod-issues.js";

/** thrown by FastLocator when a problem is about to be reported: the positioned path reports it */
const NEEDS_POSITIONS = Symbol("needs positions");

export function loadFast(text: unknown, file: string, options: LoadOptions): LoadResult | null {
  if (typeof text !== "string" || text.length > MAX_FILE_BYTES || (text.length * 3 > MAX_FILE_BYTES && utf8Length(text) > MAX_FILE_BYTES))
    return null;
  const read = fastParseYaml(text);
  if (!read) return null;
  try {
    const result = checkAndNormalize(read.data, new FastLocator(read, text, file), [], options);
    return result.config && result.problems.length === 0 ? result : null;
  } catch (e) {
    if (e === NEEDS_POSITIONS) return null;
    throw e;
  }
}

class FastLocator implements Locator {
  private lineStarts: number[] | null = null;

  constructor(
    private readonly read: FastYaml,
    readonly text: string,
    readonly file: string,
  ) {}

  /** the start of the mapping or sequence at `path` (all the config's positions are of mappings) */
  sourcePosition(path: Path): SourcePosition {
    const node = valueAt(this.read.data, path);
    const offset = node !== null && typeof node === "object" ? this.read.offsets.get(node) : undefined;
    if (offset === undefined) throw NEEDS_POSITIONS;
    return { file: this.file, ...this.offsetPosition(offset) };
  }

  offsetPosition(offset: number): { line: number; col: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  locate(): Located {
    throw NEEDS_POSITIONS;
  }

  position(): { line: number; col: number } {
    throw NEEDS_POSITIONS;
  }

  problem(): Problem {
    throw NEEDS_POSITIONS;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
