/**
 * Typed access to the parts of nunjucks 3.2.4 we build on: its parser, AST node classes, compiler (subclassed
 * by safe-compiler.ts), runtime Frame / SafeString and the built-in filters and tests. We never use nunjucks'
 * Environment to render: it would hand the unhardened global runtime to compiled code.
 */
import nunjucks from "nunjucks";

export interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children?: NjNode[];
  value?: unknown;
  [field: string]: unknown;
}

export type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NjNode;

export interface CompilerBase {
  codebuf: string[];
  lastId: number;
  buffer: string | null;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  compile(node: NjNode, frame?: unknown): void;
  fail(message: string, lineno?: number, colno?: number): never;
  getCode(): string;
  compileFor(node: NjNode, frame: unknown): void;
  compileOutput(node: NjNode, frame: unknown): void;
  compileSymbol(node: NjNode, frame: unknown): void;
  compileLiteral(node: NjNode, frame: unknown): void;
  compileFilter(node: NjNode, frame: unknown): void;
  compileIs(node: NjNode, frame: unknown): void;
  compileSet(node: NjNode, frame: unknown): void;
  compilePair(node: NjNode, frame: unknown): void;
}

export interface NjFrame {
  topLevel: boolean;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  lookup(name: string): unknown;
}

interface Internals {
  parser: { parse(src: string, extensions?: unknown[], opts?: object): NjNode };
  nodes: Record<string, NodeClass>;
  compiler: { Compiler: new (templateName: string, throwOnUndefined: boolean) => CompilerBase };
  runtime: {
    Frame: new () => NjFrame;
    SafeString: new (value: string) => { val: string; length: number };
    markSafe(value: unknown): unknown;
    copySafeness(dest: unknown, target: unknown): unknown;
    makeKeywordArgs(obj: object): object;
    isArray(value: unknown): boolean;
    keys(value: object): string[];
  };
  Environment: new (
    loaders?: unknown[],
    opts?: object,
  ) => {
    filters: Record<string, (...args: unknown[]) => unknown>;
    tests: Record<string, (...args: unknown[]) => unknown>;
  };
}

export const nj = nunjucks as unknown as Internals;

/** nunjucks' built-in filters and tests, read once from a throw-away environment (no loaders, never rendered). */
const builtins = new nj.Environment([], { autoescape: false });
export const builtinFilters: Readonly<Record<string, (...args: unknown[]) => unknown>> = { ...builtins.filters };
export const builtinTests: Readonly<Record<string, (...args: unknown[]) => unknown>> = { ...builtins.tests };

export function isSafeString(value: unknown): value is { val: string; length: number } {
  return value instanceof nj.runtime.SafeString;
}
