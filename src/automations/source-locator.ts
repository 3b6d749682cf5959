/**
 * Maps a path into the loaded data (`["automations", 0, "trigger", "within"]`) back to the YAML node it came
 * from, following aliases and merge keys, so every problem points at the offending key or value. When a path
 * has no node of its own (a missing field, a merged value), the nearest ancestor that exists is used.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from "yaml";
import type { Problem } from "./problems.js";
import type { SourcePosition } from "./types.js";
import type { HooklineCode } from "../errors/registry.js";

export type Path = readonly (string | number)[];
export type Where = "key" | "value";

export interface Located {
  /** the node at the path, or undefined when only an ancestor exists */
  node: Node | undefined;
  /** the key node when the path ends in a mapping key */
  key: Node | undefined;
  /** how many path segments were resolved */
  depth: number;
  /** best node to point at */
  anchor: Node | undefined;
}

/** What the checks and the normalizer ask of a locator (SourceLocator). */
export interface Locator {
  readonly file: string;
  readonly text: string;
  locate(path: Path): Located;
  position(path: Path, where?: Where): { line: number; col: number };
  offsetPosition(offset: number): { line: number; col: number };
  sourcePosition(path: Path): SourcePosition;
  problem(severity: Problem["severity"], code: HooklineCode, path: Path, message: string, hint?: string, where?: Where): Problem;
}

export class SourceLocator implements Locator {
  constructor(
    readonly doc: Document.Parsed,
    readonly lineCounter: LineCounter,
    readonly text: string,
    readonly file: string,
  ) {}

  locate(path: Path): Located {
    let node: Node | undefined = this.resolve(this.doc.contents as Node | null);
    let key: Node | undefined;
    let anchor: Node | undefined = node;
    let depth = 0;
    for (const seg of path) {
      if (!node) break;
      const next = this.child(node, seg);
      if (!next) return { node: undefined, key: undefined, depth, anchor };
      node = this.resolve(next.value);
      key = next.key;
      anchor = node ?? next.key ?? anchor;
      depth++;
    }
    return { node: depth === path.length ? node : undefined, key: depth === path.length ? key : undefined, depth, anchor };
  }

  /** 1-based position of the key (`where: "key"`) or value at `path`, or of its nearest ancestor. */
  position(path: Path, where: Where = "value"): { line: number; col: number } {
    const found = this.locate(path);
    const target = where === "key" && found.key ? found.key : (found.node ?? found.key ?? found.anchor);
    return this.offsetPosition(target?.range?.[0] ?? 0);
  }

  offsetPosition(offset: number): { line: number; col: number } {
    const { line, col } = this.lineCounter.linePos(Math.max(0, offset));
    return { line: Math.max(1, line), col: Math.max(1, col) };
  }

  sourcePosition(path: Path): SourcePosition {
    return { file: this.file, ...this.position(path) };
  }

  problem(severity: Problem["severity"], code: HooklineCode, path: Path, message: string, hint?: string, where: Where = "value"): Problem {
    const p: Problem = { severity, code, message, file: this.file, ...this.position(path, where) };
    if (hint !== undefined) p.hint = hint;
    return p;
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    let n: unknown = node;
    for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(this.doc);
    return (n ?? undefined) as Node | undefined;
  }

  private child(node: Node, seg: string | number): { key?: Node; value: Node | undefined } | undefined {
    if (isSeq(node)) {
      if (typeof seg !== "number") return undefined;
      const item = node.items[seg] as Node | undefined;
      return item === undefined ? undefined : { value: item };
    }
    if (isMap(node)) return this.mapChild(node, String(seg), 0);
    return undefined;
  }

  private mapChild(map: YAMLMap, key: string, depth: number): { key?: Node; value: Node | undefined } | undefined {
    for (const pair of map.items) {
      if (isScalar(pair.key) && typeof pair.key.value === "string" && pair.key.value === key) {
        return { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined };
      }
    }
    if (depth > 10) return undefined;
    // merge keys (`<<: *defaults` or `<<: [*a, *b]`): the value lives in a merged map
    for (const pair of map.items) {
      if (!(isScalar(pair.key) && typeof pair.key.value === "symbol")) continue;
      const source = this.resolve(pair.value as Node | null);
      const maps = isSeq(source) ? source.items.map((i) => this.resolve(i as Node)) : [source];
      for (const m of maps) {
        if (!isMap(m)) continue;
        const found = this.mapChild(m, key, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }
}
