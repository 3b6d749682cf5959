/**
 * Reading an automations file safely: size limit before parsing, nesting limit before composing (the yaml
 * composer recurses, and a stack overflow inside V8's regexp code can poison the process), duplicate,
 * non-string and `__proto__` keys, alias bombs (yaml's `maxAliasCount`). Every problem has a position.
 */
import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  visit as visitYaml,
  YAMLParseError,
  type Document,
  type Node,
} from "yaml";
import { hasWideChars, oneByteCopy } from "./one-byte-strings.js";
import type { Problem } from "./problems.js";
import type { HooklineCode } from "../errors/registry.js";

/** Files larger than this (in UTF-8 bytes) are rejected without parsing. */
export const MAX_FILE_BYTES = 1_048_576;
/** Collections nested deeper than this are rejected before the document is composed. */
export const MAX_NESTING_DEPTH = 64;
/** yaml's alias expansion limit (billion laughs). */
export const MAX_ALIAS_COUNT = 100;

const EMPTY_MESSAGE = "the automations file is empty";
const EMPTY_HINT = "start it with `automations:` and a list of automations";

export interface YamlSource {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  text: string;
  /** the plain JS value of the document (aliases and merge keys resolved) */
  data: unknown;
}

export type ReadResult = { ok: true; source: YamlSource; problems: Problem[] } | { ok: false; problems: Problem[] };

export function readYaml(text: string, file: string): ReadResult {
  const lineCounter = new LineCounter();
  const at = (offset: number) => lineCounter.linePos(Math.max(0, offset));
  const fail = (code: HooklineCode, message: string, hint?: string): ReadResult => ({
    ok: false,
    problems: [{ severity: "error", code, message, hint, file, line: 1, col: 1 }],
  });

  if (text.length > MAX_FILE_BYTES || utf8Length(text) > MAX_FILE_BYTES) {
    return {
      ok: false,
      problems: [
        {
          severity: "error",
          code: "HOOKLINE_FILE_TOO_LARGE",
          message: `the automations file is larger than ${MAX_FILE_BYTES} bytes (1 MiB) and was not parsed`,
          hint: "split it or remove unused automations",
          file,
          line: 1,
          col: 1,
        },
      ],
    };
  }
  if (text.trim() === "") return fail("HOOKLINE_EMPTY_FILE", EMPTY_MESSAGE, EMPTY_HINT);

  // the CST is built once: checked for depth, then composed (what yaml's parseDocument does, without parsing twice)
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const tooDeep = findTooDeep(tokens);
  if (tooDeep !== null) {
    const { line, col } = lineCounter.linePos(tooDeep);
    return {
      ok: false,
      problems: [
        {
          severity: "error",
          code: "HOOKLINE_YAML_TOO_DEEP",
          message: `YAML nested more than ${MAX_NESTING_DEPTH} levels deep`,
          hint: "flatten the structure",
          file,
          line,
          col,
        },
      ],
    };
  }

  let doc: Document.Parsed;
  try {
    doc = composeFirstDocument(tokens, text.length, lineCounter);
  } catch (e) {
    return fail("HOOKLINE_YAML_SYNTAX", `the YAML could not be parsed: ${(e as Error).message}`);
  }
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const { line, col } = at(err.pos[0]);
    const duplicate = err.code === "DUPLICATE_KEY";
    problems.push({
      severity: "error",
      code: duplicate ? "HOOKLINE_DUPLICATE_KEY" : "HOOKLINE_YAML_SYNTAX",
      message: duplicate ? "duplicate key: a key may appear only once in a mapping" : `YAML: ${firstLine(err.message)}`,
      hint: duplicate ? "remove or rename one of them" : undefined,
      file,
      line,
      col,
    });
  }
  for (const w of doc.warnings) {
    const { line, col } = at(w.pos[0]);
    problems.push({ severity: "warning", code: "HOOKLINE_YAML_WARNING", message: `YAML: ${firstLine(w.message)}`, file, line, col });
  }
  if (doc.errors.length === 0 && doc.contents === null) return fail("HOOKLINE_EMPTY_FILE", EMPTY_MESSAGE, EMPTY_HINT);
  // before anything uses a key as a property name (one-byte-strings.ts)
  if (hasWideChars(text)) copyScalarsOneByte(doc);
  problems.push(...checkKeys(doc, lineCounter, file));
  if (problems.some((p) => p.severity === "error")) return { ok: false, problems };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAliasOffset(doc);
    const bomb = /alias count/i.test((e as Error).message);
    const { line, col } = at(alias);
    problems.push({
      severity: "error",
      code: bomb ? "HOOKLINE_YAML_ALIAS_LIMIT" : "HOOKLINE_YAML_SYNTAX",
      message: bomb
        ? `YAML aliases expand too much (limit ${MAX_ALIAS_COUNT}): this looks like a resource exhaustion attack`
        : `YAML: ${firstLine((e as Error).message)}`,
      hint: bomb ? "write the values out instead of nesting aliases" : undefined,
      file,
      line,
      col,
    });
    return { ok: false, problems };
  }
  return { ok: true, source: { doc, lineCounter, text, data }, problems };
}

export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

type CstLike = { type?: string; offset?: number; value?: unknown; key?: unknown; items?: unknown[] };

/**
 * yaml's `parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: true, strict: true })` on tokens
 * already parsed: the first document, and a MULTIPLE_DOCS error when there are more.
 */
function composeFirstDocument(tokens: readonly unknown[], length: number, lineCounter: LineCounter): Document.Parsed {
  const composer = new Composer({ lineCounter, prettyErrors: false, merge: true, uniqueKeys: true, strict: true });
  let doc: Document.Parsed | null = null;
  for (const next of composer.compose(tokens as never, true, length)) {
    if (!doc) doc = next;
    else if (doc.options.logLevel !== "silent") {
      doc.errors.push(
        new YAMLParseError(
          next.range.slice(0, 2) as [number, number],
          "MULTIPLE_DOCS",
          "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
      );
      break;
    }
  }
  return doc!;
}

/** Offset of the first collection nested deeper than the limit, found on yaml's (iterative) CST; or null. */
function findTooDeep(tokens: readonly unknown[]): number | null {
  const stack: [unknown, number][] = [];
  for (const token of tokens) {
    stack.push([token, 0]);
    while (stack.length > 0) {
      const [t, depth] = stack.pop()!;
      if (!t || typeof t !== "object") continue;
      const tok = t as CstLike;
      const collection = tok.type === "block-map" || tok.type === "block-seq" || tok.type === "flow-collection";
      const d = collection ? depth + 1 : depth;
      if (d > MAX_NESTING_DEPTH) return tok.offset ?? 0;
      if (tok.value && typeof tok.value === "object") stack.push([tok.value, d]);
      if (Array.isArray(tok.items)) {
        for (const item of tok.items as CstLike[]) {
          if (item.key) stack.push([item.key, d]);
          if (item.value) stack.push([item.value, d]);
        }
      }
    }
  }
  return null;
}

/** Keys must be strings (or merge keys `<<`), never `__proto__`. The depth is bounded by findTooDeep. */
function checkKeys(doc: Document.Parsed, lc: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key;
        const at = () => lc.linePos((key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0);
        const merge = isScalar(key) && typeof key.value === "symbol";
        if (!merge && !(isScalar(key) && typeof key.value === "string")) {
          problems.push({
            severity: "error",
            code: "HOOKLINE_NON_STRING_KEY",
            message: "mapping keys must be strings",
            hint: isScalar(key) ? `quote it: "${String(key.value)}"` : "use a plain string key",
            file,
            ...at(),
          });
        } else if (isScalar(key) && key.value === "__proto__") {
          problems.push({
            severity: "error",
            code: "HOOKLINE_FORBIDDEN_KEY",
            message: "`__proto__` is not allowed as a key",
            hint: "rename the key",
            file,
            ...at(),
          });
        }
        if (!isScalar(key)) visit(key);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(isPair(item) ? item.value : item);
    }
  };
  visit(doc.contents);
  return problems;
}

function copyScalarsOneByte(doc: Document.Parsed): void {
  visitYaml(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string") node.value = oneByteCopy(node.value);
    },
  });
}

function firstAliasOffset(doc: Document.Parsed): number {
  let found: number | null = null;
  const visit = (node: unknown): void => {
    if (found !== null) return;
    if (isAlias(node)) found = node.range?.[0] ?? 0;
    else if (isMap(node)) for (const p of node.items) visit(p.value);
    else if (isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(doc.contents);
  return found ?? 0;
}
