/**
 * A fast reader for the plain YAML that automations files are made of (block mappings and sequences, plain and
 * quoted scalars, one-line flow collections, literal and folded block scalars), for the loader's fast path.
 * It returns the same value as yaml's `parseDocument(...).toJS()` with the core schema, and the offset each
 * mapping and sequence starts at (what the yaml node's `range[0]` is), or `null` whenever the text uses
 * anything else or anything it is not sure about: anchors, aliases, tags, merge keys, multi-line flow or
 * plain scalars, tabs, CR, directives, several documents, non-string or duplicate keys, `__proto__`, numbers
 * other than plain decimal integers, ... The caller then reads the file with yaml (yaml-source.ts), which
 * decides and reports. Never throws on any input.
 */

import { hasWideChars, oneByteCopy } from "./one-byte-strings.js";

export interface FastYaml {
  data: Record<string, unknown>;
  /** mapping or sequence (the JS object made from it) → offset of its first character in the text */
  offsets: WeakMap<object, number>;
}

/** thrown inside the reader to give up; never escapes */
const BAIL = Symbol("bail");
const MAX_DEPTH = 32;

const NON_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
];

export function fastParseYaml(text: string): FastYaml | null {
  try {
    return new Reader(text).read();
  } catch (e) {
    if (e === BAIL) return null;
    return null;
  }
}

function bail(): never {
  throw BAIL;
}

interface Line {
  start: number;
  indent: number;
  text: string;
  /** empty, or only a comment */
  blank: boolean;
}

class Reader {
  private readonly lines: Line[] = [];
  private readonly offsets = new WeakMap<object, number>();
  /** the text holds a character above U+00FF: lines and the strings read from them are copied one-byte */
  private readonly wide: boolean;

  constructor(private readonly src: string) {
    if (/[\t\r\uFEFF\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029]/.test(src)) bail();
    this.wide = hasWideChars(src);
    let start = 0;
    for (const line of src.split("\n")) {
      const text = this.wide ? oneByteCopy(line) : line;
      let indent = 0;
      while (text.charCodeAt(indent) === 32) indent++;
      const rest = text.slice(indent);
      if (indent === 0 && (/^(?:---|\.\.\.)(?:\s|$)/.test(text) || text.startsWith("%"))) bail();
      this.lines.push({ start, indent, text, blank: rest === "" || rest.startsWith("#") });
      start += text.length + 1;
    }
  }

  read(): FastYaml {
    const first = this.next(0);
    if (first >= this.lines.length || this.lines[first]!.indent !== 0) bail();
    const [data, end] = this.block(first, 0, 0);
    if (this.next(end) < this.lines.length) bail();
    if (data === null || typeof data !== "object" || Array.isArray(data)) bail();
    return { data: data as Record<string, unknown>, offsets: this.offsets };
  }

  /** index of the first non-blank line at or after `i` */
  private next(i: number): number {
    while (i < this.lines.length && this.lines[i]!.blank) i++;
    return i;
  }

  /** the block collection whose first entry starts at column `col` of line `i`; returns it and the line after it */
  private block(i: number, col: number, depth: number): [unknown, number] {
    if (depth > MAX_DEPTH) bail();
    const text = this.lines[i]!.text;
    if (text[col] === "-" && (col + 1 === text.length || text[col + 1] === " ")) return this.seq(i, col, depth);
    if (this.keyEnd(text, col) < 0) bail(); // a scalar on its own line (multi-line plain scalar or error)
    return this.map(i, col, depth);
  }

  private map(i: number, col: number, depth: number): [Record<string, unknown>, number] {
    const out: Record<string, unknown> = {};
    this.offsets.set(out, this.lines[i]!.start + col);
    for (;;) {
      const line = this.lines[i]!;
      const { text } = line;
      const colon = this.keyEnd(text, col);
      if (colon < 0) bail();
      const key = this.key(text.slice(col, colon));
      if (Object.prototype.hasOwnProperty.call(out, key)) bail();
      let pos = colon + 1;
      while (text[pos] === " ") pos++;
      let value: unknown;
      let after: number;
      if (pos >= text.length || text[pos] === "#") {
        const j = this.next(i + 1);
        const child = this.lines[j];
        if (child && child.indent > col) [value, after] = this.block(j, child.indent, depth + 1);
        else if (child && child.indent === col && /^- |^-$/.test(child.text.slice(col))) [value, after] = this.seq(j, col, depth + 1);
        else [value, after] = [null, i + 1];
      } else [value, after] = this.inlineValue(i, pos, col, depth);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      const j = this.next(after);
      const nextLine = this.lines[j];
      if (!nextLine || nextLine.indent < col) return [out, j];
      if (nextLine.indent > col) bail();
      if (/^- |^-$/.test(nextLine.text.slice(col))) return [out, j]; // an indentless sequence's parent decides
      i = j;
    }
  }

  private seq(i: number, col: number, depth: number): [unknown[], number] {
    const out: unknown[] = [];
    this.offsets.set(out, this.lines[i]!.start + col);
    for (;;) {
      const { text } = this.lines[i]!;
      let pos = col + 1;
      while (text[pos] === " ") pos++;
      let value: unknown;
      let after: number;
      if (pos >= text.length || text[pos] === "#") {
        if (pos < text.length) bail(); // `- # comment` then the item on the next lines: let yaml place it
        const j = this.next(i + 1);
        const child = this.lines[j];
        if (child && child.indent > col) [value, after] = this.block(j, child.indent, depth + 1);
        else [value, after] = [null, i + 1];
      } else if (text[pos] === "-" && (pos + 1 === text.length || text[pos + 1] === " ")) {
        bail(); // `- - x`
      } else if (text[pos] !== "[" && text[pos] !== "{" && this.keyEnd(text, pos) >= 0) {
        [value, after] = this.map(i, pos, depth + 1);
      } else [value, after] = this.inlineValue(i, pos, col, depth);
      out.push(value);
      const j = this.next(after);
      const nextLine = this.lines[j];
      if (!nextLine || nextLine.indent !== col || !/^- |^-$/.test(nextLine.text.slice(col))) {
        if (nextLine && nextLine.indent > col) bail();
        return [out, j];
      }
      i = j;
    }
  }

  /**
   * Where a `key:` ends (the colon) when the text at `col` is a block mapping entry, else -1. Plain keys end at the
   * first `:` followed by a space or the end of the line; quoted keys at their closing quote.
   */
  private keyEnd(text: string, col: number): number {
    const c = text[col];
    if (c === '"' || c === "'") {
      const close = quotedEnd(text, col);
      if (close < 0) return -1;
      return text[close] === ":" && (close + 1 === text.length || text[close + 1] === " ") ? close : -1;
    }
    for (let p = col; p < text.length; p++) {
      if (text[p] === ":" && (p + 1 === text.length || text[p + 1] === " ")) return p;
      if (text[p] === "#" && text[p - 1] === " ") return -1;
    }
    return -1;
  }

  private key(raw: string): string {
    let key: string;
    if (raw[0] === '"' || raw[0] === "'") key = quoted(raw, 0)[0];
    else {
      if (raw === "" || raw.endsWith(" ") || raw.length > 1000 || !plainStart(raw)) bail();
      const v = plainValue(raw);
      if (typeof v !== "string") bail();
      key = v;
    }
    if (key === "<<" || key === "__proto__") bail();
    return this.str(key);
  }

  /** `v`, or its one-byte copy when it is a string read from a wide line (one-byte-strings.ts) */
  private str<T>(v: T): T {
    return this.wide && typeof v === "string" ? (oneByteCopy(v) as T) : v;
  }

  /** a value that starts on the line of its key or dash, at `pos`; `parent` is the indent of that key or dash */
  private inlineValue(i: number, pos: number, parent: number, depth: number): [unknown, number] {
    const { text } = this.lines[i]!;
    const c = text[pos]!;
    if (c === "|" || c === ">") return this.blockScalar(i, pos, parent);
    let value: unknown;
    let end: number;
    if (c === "[" || c === "{") [value, end] = this.flow(text, pos, this.lines[i]!.start, depth + 1);
    else if (c === '"' || c === "'") [value, end] = quoted(text, pos);
    else {
      const hash = text.indexOf(" #", pos);
      const raw = (hash < 0 ? text.slice(pos) : text.slice(pos, hash)).trimEnd();
      if (!plainStart(raw) || /: |:$/.test(raw)) bail();
      return [this.str(plainValue(raw)), i + 1];
    }
    const rest = text.slice(end).trimStart();
    if (rest !== "" && !rest.startsWith("#")) bail();
    if (rest !== "" && text[end] !== " ") bail(); // `"x"#c`
    return [this.str(value), i + 1];
  }

  /** `|`, `|-`, `>`, `>-` only; folded ones without blank or more-indented lines */
  private blockScalar(i: number, pos: number, parent: number): [string, number] {
    const header = /^([|>])(-?)\s*$/.exec(this.lines[i]!.text.slice(pos));
    if (!header) bail();
    const first = i + 1;
    const head = this.lines[first];
    if (!head || head.text === "" || head.indent <= parent || head.indent === head.text.length) bail();
    const indent = head.indent;
    const body: string[] = [];
    let last = first;
    let j = first;
    for (; j < this.lines.length; j++) {
      const { text } = this.lines[j]!;
      if (text === "") {
        body.push("");
        continue;
      }
      const spaces = this.lines[j]!.indent;
      if (spaces === text.length) bail(); // whitespace-only line
      if (spaces < indent) break;
      if (text.endsWith(" ")) bail();
      body.push(text.slice(indent));
      last = j;
    }
    if (last === this.lines.length - 1) bail(); // no line break after the last line: chomping differs there
    while (body.length > 0 && body[body.length - 1] === "") body.pop();
    // the lines after the scalar: blank lines were taken; `j` is the next content line
    let value: string;
    if (header[1] === "|") value = body.join("\n");
    else {
      if (body.some((l) => l === "" || l.startsWith(" "))) bail();
      value = body.join(" ");
    }
    if (header[2] !== "-") value += "\n";
    return [value, j];
  }

  /** a one-line flow collection at `pos`; returns it and the position after it */
  private flow(text: string, pos: number, lineStart: number, depth: number): [unknown, number] {
    if (depth > MAX_DEPTH) bail();
    const open = text[pos]!;
    const close = open === "[" ? "]" : "}";
    const out: Record<string, unknown> | unknown[] = open === "[" ? [] : {};
    this.offsets.set(out, lineStart + pos);
    let p = skipSpaces(text, pos + 1);
    if (text[p] === close) return [out, p + 1];
    for (;;) {
      let value: unknown;
      if (Array.isArray(out)) {
        [value, p] = this.flowItem(text, p, lineStart, depth);
        out.push(value);
      } else {
        let key: unknown;
        [key, p] = this.flowItem(text, p, lineStart, depth, true);
        if (typeof key !== "string" || key === "<<" || key === "__proto__" || Object.prototype.hasOwnProperty.call(out, key)) bail();
        if (text[p] !== ":" || text[p + 1] !== " ") bail();
        p = skipSpaces(text, p + 1);
        [value, p] = this.flowItem(text, p, lineStart, depth);
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      p = skipSpaces(text, p);
      if (text[p] === close) return [out, p + 1];
      if (text[p] !== ",") bail();
      p = skipSpaces(text, p + 1);
      if (text[p] === close || text[p] === ",") bail(); // trailing or empty entries
    }
  }

  private flowItem(text: string, p: number, lineStart: number, depth: number, isKey = false): [unknown, number] {
    const c = text[p];
    if (c === undefined) bail();
    if (c === "[" || c === "{") {
      if (isKey) bail();
      return this.flow(text, p, lineStart, depth + 1);
    }
    if (c === '"' || c === "'") {
      const [value, end] = quoted(text, p);
      return [this.str(value), skipSpaces(text, end)];
    }
    let e = p;
    while (e < text.length) {
      const ch = text[e]!;
      if (ch === "," || ch === "[" || ch === "]" || ch === "{" || ch === "}") break;
      if (ch === ":" && (e + 1 === text.length || " ,[]{}".includes(text[e + 1]!))) break;
      if (ch === "#" && text[e - 1] === " ") bail();
      e++;
    }
    const raw = text.slice(p, e).trimEnd();
    if (raw === "" || !plainStart(raw)) bail();
    if (text[e] === "[" || text[e] === "{") bail();
    const value = this.str(plainValue(raw));
    if (isKey && typeof value !== "string") bail();
    return [value, e];
  }
}

function skipSpaces(text: string, p: number): number {
  while (text[p] === " ") p++;
  return p;
}

/** a plain scalar may not start with an indicator (`- `, `? `, `: ` only when followed by a space) */
function plainStart(raw: string): boolean {
  const c = raw[0];
  if (c === undefined) return false;
  if ("-?:".includes(c)) return raw.length > 1 && raw[1] !== " ";
  return !",[]{}#&*!|>'\"%@`".includes(c);
}

/** a plain scalar's value under yaml's core schema: strings, decimal integers, null and booleans */
function plainValue(raw: string): unknown {
  if (/^[0-9]{1,15}$/.test(raw)) return Number(raw);
  if (raw === "null") return null;
  if (raw === "true") return true;
  if (raw === "false") return false;
  for (const re of NON_STRING) if (re.test(raw)) bail();
  return raw;
}

/** index just after the closing quote of the quoted scalar at `p`, or -1 when it does not close on this line */
function quotedEnd(text: string, p: number): number {
  const q = text[p];
  for (let e = p + 1; e < text.length; e++) {
    if (q === '"' && text[e] === "\\") e++;
    else if (text[e] === q) {
      if (q === "'" && text[e + 1] === "'") e++;
      else return e + 1;
    }
  }
  return -1;
}

function quoted(text: string, p: number): [string, number] {
  const end = quotedEnd(text, p);
  if (end < 0) bail();
  const body = text.slice(p + 1, end - 1);
  if (text[p] === "'") return [body.replaceAll("''", "'"), end];
  if (!body.includes("\\")) return [body, end];
  // JSON's escapes mean the same in YAML; any other escape goes to yaml
  if (/\\[^"\\/bfnrtu]/.test(body.replace(/\\\\/g, ""))) bail();
  try {
    return [JSON.parse(`"${body}"`) as string, end];
  } catch {
    bail();
  }
}
