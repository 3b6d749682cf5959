/**
 * Wall 1 (validation): parse with nunjucks' own parser and walk the AST against an allow-list. Anything not
 * listed here is refused, with a 1-based line/column inside the template.
 */
import { type TemplateProblem, fromNunjucksError } from "./errors.js";
import type { HooklineCode } from "../errors/registry.js";
import { nj, type NjNode } from "./nunjucks-internals.js";
import { doublesItself } from "./static-growth.js";
import {
  ALLOWED_FILTERS,
  ALLOWED_GLOBALS,
  ALLOWED_TESTS,
  TEMPLATE_CODES,
  TEMPLATE_LIMITS,
  isForbiddenLiteralKey,
  isForbiddenName,
} from "./policy.js";

/** Parser options shared with the compiler: both walls must see the same AST. */
export const PARSE_OPTS = Object.freeze({});

const BLOCKED_STATEMENTS: Readonly<Record<string, string>> = {
  Include: "{% include %} is not allowed: a template cannot load other templates",
  Import: "{% import %} is not allowed: a template cannot load other templates",
  FromImport: "{% from ... import %} is not allowed: a template cannot load other templates",
  Extends: "{% extends %} is not allowed: a template cannot load other templates",
  Block: "{% block %} is not allowed (there is no template inheritance)",
  Super: "super() is not allowed (there is no template inheritance)",
  Macro: "{% macro %} is not allowed: repeat the expression or use a {% for %} loop",
  Caller: "{% call %} blocks are not allowed",
  Switch: "{% switch %} is not allowed: use {% if %} / {% elif %}",
  IfAsync: "{% ifAsync %} is not allowed: use {% if %}",
  AsyncEach: "{% asyncEach %} is not allowed: use {% for %}",
  AsyncAll: "{% asyncAll %} is not allowed: use {% for %}",
  FilterAsync: "asynchronous filters are not allowed",
  CallExtension: "template extensions are not allowed",
  CallExtensionAsync: "template extensions are not allowed",
  Capture: "{% filter %} blocks are not allowed: apply the filter to an expression, e.g. {{ x | upper }}",
};

const BINARY = new Set(["In", "Or", "And", "Add", "Concat", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow"]);
const UNARY = new Set(["Not", "Neg", "Pos"]);
/** Operators whose result is always a number in JavaScript (never a string such as "constructor"). */
const NUMERIC = new Set(["Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow", "Neg", "Pos"]);
/** Filters whose result is (part of) their input: a key taken from them is as trustworthy as the input. */
const SELECTING_FILTERS = new Set([
  "dictsort",
  "sort",
  "list",
  "first",
  "last",
  "batch",
  "slice",
  "select",
  "reject",
  "selectattr",
  "rejectattr",
  "groupby",
  "default",
  "d",
  "length",
  "count",
  "abs",
  "round",
  "int",
  "float",
  "wordcount",
]);

/** Parses a template; a syntax error comes back as a problem. */
export function parseTemplate(source: string): { ast: NjNode } | { problem: TemplateProblem } {
  if (typeof source !== "string") {
    return { problem: { code: TEMPLATE_CODES.syntax, message: "a template must be a string" } };
  }
  if (source.length > TEMPLATE_LIMITS.sourceMaxChars) {
    return {
      problem: {
        code: TEMPLATE_CODES.limit,
        message: `template is ${source.length} characters long; the limit is ${TEMPLATE_LIMITS.sourceMaxChars}: shorten it`,
      },
    };
  }
  try {
    return { ast: nj.parser.parse(source, [], PARSE_OPTS) };
  } catch (err) {
    const e = fromNunjucksError(err, TEMPLATE_CODES.syntax);
    const problem: TemplateProblem = { code: e.code, message: `template syntax error: ${e.message}` };
    if (e.line !== undefined) problem.line = e.line;
    if (e.col !== undefined) problem.col = e.col;
    return { problem };
  }
}

/**
 * Results of checkTemplate by template text, bounded like render's compile cache: a file repeats its templates
 * (the bench's 1,000 automations hold 1,998 template strings, 45 distinct), and the result depends on the text only.
 */
const checked = new Map<string, readonly TemplateProblem[]>();

/** Static wall: [] means the template may be rendered. */
export function checkTemplate(source: string): TemplateProblem[] {
  if (typeof source === "string") {
    const hit = checked.get(source);
    if (hit) return hit.map((p) => ({ ...p }));
  }
  const parsed = parseTemplate(source);
  const problems = "problem" in parsed ? [parsed.problem] : checkAst(parsed.ast);
  if (typeof source === "string") {
    checked.set(
      source,
      problems.map((p) => Object.freeze({ ...p })),
    );
    if (checked.size > TEMPLATE_LIMITS.cacheSize) checked.delete(checked.keys().next().value!);
  }
  return problems;
}

export function checkAst(ast: NjNode): TemplateProblem[] {
  const checker = new StaticChecker(ast);
  checker.stmt(ast, 0);
  return checker.problems;
}

function kids(node: NjNode): NjNode[] {
  return Array.isArray(node.children) ? node.children : [];
}
function field(node: NjNode, name: string): NjNode | null {
  const v = node[name];
  return v && typeof v === "object" ? (v as NjNode) : null;
}

class StaticChecker {
  readonly problems: TemplateProblem[] = [];
  private loops = 0;
  /** variables whose value the template computed (could be any string): never usable as a lookup key */
  private readonly tainted = new Set<string>();

  constructor(ast: NjNode) {
    this.collectTainted(ast);
  }

  private add(node: NjNode | null, message: string, code: HooklineCode = TEMPLATE_CODES.forbidden): void {
    if (this.problems.length >= TEMPLATE_LIMITS.maxProblems) return;
    const p: TemplateProblem = { code, message };
    if (node && typeof node.lineno === "number" && typeof node.colno === "number") {
      p.line = node.lineno + 1;
      p.col = node.colno + 1;
    }
    this.problems.push(p);
  }

  // ---- taint: `{% set k = "con" ~ "structor" %}{{ x[k] }}` must not pass ----
  private collectTainted(ast: NjNode): void {
    const binders: { targets: NjNode[]; value: NjNode | null }[] = [];
    const visit = (n: NjNode | null, depth: number): void => {
      if (!n || typeof n !== "object" || depth > 500) return;
      if (n.typename === "Set") {
        binders.push({ targets: (n.targets as NjNode[]) ?? [], value: field(n, "value") });
      } else if (n.typename === "For") {
        const name = field(n, "name");
        const targets = name ? (name.typename === "Array" ? kids(name) : [name]) : [];
        binders.push({ targets, value: field(n, "arr") });
      }
      for (const f of n.fields ?? []) {
        const v = n[f];
        if (Array.isArray(v)) for (const c of v) visit(c as NjNode, depth + 1);
        else if (v && typeof v === "object") visit(v as NjNode, depth + 1);
      }
      for (const c of kids(n)) visit(c, depth + 1);
    };
    visit(ast, 0);
    let changed = true;
    while (changed) {
      changed = false;
      for (const b of binders) {
        if (b.value && this.isPlain(b.value)) continue;
        for (const t of b.targets) {
          const name = String(t.value);
          if (!this.tainted.has(name)) {
            this.tainted.add(name);
            changed = true;
          }
        }
      }
    }
  }

  /** An expression whose value is a literal or comes unchanged from the context data. */
  private isPlain(n: NjNode): boolean {
    if (NUMERIC.has(n.typename)) return true;
    switch (n.typename) {
      case "Literal":
        return !(n.value instanceof RegExp);
      case "Symbol":
        return !this.tainted.has(String(n.value));
      case "LookupVal": {
        const target = field(n, "target");
        const val = field(n, "val");
        return !!target && !!val && this.isPlain(target) && this.isPlain(val);
      }
      case "Array":
      case "Group":
        return kids(n).every((c) => this.isPlain(c));
      case "Dict":
        return kids(n).every((p) => {
          const v = field(p, "value");
          return !!v && this.isPlain(v);
        });
      case "FunCall": {
        const name = field(n, "name");
        return !!name && name.typename === "Symbol" && ALLOWED_GLOBALS.has(String(name.value));
      }
      case "Filter": {
        const name = field(n, "name");
        return !!name && SELECTING_FILTERS.has(String(name.value)) && kids(field(n, "args") ?? n).every((c) => this.isPlain(c));
      }
      default:
        return false;
    }
  }

  // ---- statements ----
  stmt(node: NjNode | null, depth: number): void {
    if (!node) return;
    switch (node.typename) {
      case "Root":
      case "NodeList":
        for (const c of kids(node)) this.stmt(c, depth);
        return;
      case "Output":
        for (const c of kids(node)) if (c.typename !== "TemplateData") this.expr(c);
        return;
      case "TemplateData":
        return;
      case "If":
        this.expr(field(node, "cond"));
        this.stmt(field(node, "body"), depth);
        this.stmt(field(node, "else_"), depth);
        return;
      case "For":
        return this.forLoop(node, depth);
      case "Set": {
        for (const t of (node.targets as NjNode[]) ?? []) {
          this.bindName(t);
          if (depth > 0 && doublesItself(t, field(node, "value"))) {
            const name = String(t.value);
            this.add(
              node,
              `"${name}" is added to itself inside a loop, which doubles it on every iteration: build it once (e.g. with join or range), or render less`,
              TEMPLATE_CODES.limit,
            );
          }
        }
        const body = field(node, "body");
        if (body) this.stmt(field(body, "body"), depth);
        else this.expr(field(node, "value"));
        return;
      }
      default:
        this.add(node, BLOCKED_STATEMENTS[node.typename] ?? `"${node.typename}" is not allowed in templates`);
    }
  }

  private forLoop(node: NjNode, depth: number): void {
    this.loops++;
    if (this.loops === TEMPLATE_LIMITS.maxLoops + 1) {
      this.add(node, `a template may hold at most ${TEMPLATE_LIMITS.maxLoops} {% for %} loops`, TEMPLATE_CODES.limit);
    }
    if (depth + 1 > TEMPLATE_LIMITS.maxLoopNesting) {
      this.add(node, `{% for %} loops may be nested at most ${TEMPLATE_LIMITS.maxLoopNesting} deep`, TEMPLATE_CODES.limit);
    }
    const name = field(node, "name");
    if (name) for (const t of name.typename === "Array" ? kids(name) : [name]) this.bindName(t);
    this.expr(field(node, "arr"));
    this.stmt(field(node, "body"), depth + 1);
    this.stmt(field(node, "else_"), depth);
  }

  private bindName(target: NjNode): void {
    if (target.typename !== "Symbol") {
      this.add(target, "only plain variable names can be assigned");
      return;
    }
    const name = String(target.value);
    if (isForbiddenName(name) || name === "loop" || ALLOWED_GLOBALS.has(name)) {
      this.add(target, `"${name}" cannot be used as a variable name`);
    }
  }

  // ---- expressions ----
  private expr(node: NjNode | null): void {
    if (!node) return;
    const t = node.typename;
    if (BINARY.has(t)) {
      this.expr(field(node, "left"));
      this.expr(field(node, "right"));
      return;
    }
    if (UNARY.has(t)) {
      this.expr(field(node, "target"));
      return;
    }
    switch (t) {
      case "Literal":
        return this.literal(node);
      case "Symbol": {
        const name = String(node.value);
        if (ALLOWED_GLOBALS.has(name)) this.add(node, `"${name}" can only be called, e.g. ${name}(5)`);
        else if (isForbiddenName(name)) this.add(node, `the name "${name}" is not allowed in templates`);
        return;
      }
      case "Group":
      case "Array":
        for (const c of kids(node)) this.expr(c);
        return;
      case "Dict":
        for (const p of kids(node)) this.pair(p);
        return;
      case "LookupVal":
        return this.lookup(node);
      case "FunCall":
        return this.call(node);
      case "Filter":
        return this.filter(node);
      case "InlineIf":
        this.expr(field(node, "cond"));
        this.expr(field(node, "body"));
        this.expr(field(node, "else_"));
        return;
      case "Is":
        return this.isTest(node);
      case "Compare":
        this.expr(field(node, "expr"));
        for (const op of (node.ops as NjNode[]) ?? []) this.expr(field(op, "expr"));
        return;
      case "KeywordArgs":
        this.add(node, "keyword arguments are only allowed in filters, e.g. x | sort(attribute='name')");
        return;
      default:
        this.add(node, BLOCKED_STATEMENTS[t] ?? `"${t}" is not allowed in template expressions`);
    }
  }

  private literal(node: NjNode): void {
    if (node.value instanceof RegExp) {
      this.add(node, "regular expressions (r/.../) are not allowed: use plain strings");
    } else if (typeof node.value === "string" && isForbiddenLiteralKey(node.value)) {
      this.add(node, `the string "${node.value}" is not allowed in templates`);
    }
  }

  private pair(p: NjNode): void {
    const key = field(p, "key");
    if (key && (key.typename === "Symbol" || key.typename === "Literal")) {
      if (isForbiddenLiteralKey(String(key.value)) || key.value instanceof RegExp) {
        this.add(key, `"${String(key.value)}" cannot be used as a key`);
      }
    } else {
      this.add(p, "dictionary keys must be names or strings");
    }
    this.expr(field(p, "value"));
  }

  private lookup(node: NjNode): void {
    this.expr(field(node, "target"));
    const val = field(node, "val");
    if (!val) return;
    if (val.typename === "Literal") {
      if (typeof val.value === "string" || typeof val.value === "number") {
        if (isForbiddenLiteralKey(String(val.value))) this.add(val, `the attribute "${String(val.value)}" is not allowed`);
      } else {
        this.add(val, "lookup keys must be strings or numbers");
      }
      return;
    }
    if ((val.typename === "Symbol" || val.typename === "LookupVal" || NUMERIC.has(val.typename)) && this.isPlain(val)) {
      this.expr(val);
      return;
    }
    this.add(val, "a computed lookup key is not allowed: use a literal key (x['a.b']), a variable from the context, or a loop variable");
  }

  private call(node: NjNode): void {
    const name = field(node, "name");
    if (!name || name.typename !== "Symbol" || !ALLOWED_GLOBALS.has(String(name.value))) {
      if (name && name.typename !== "Symbol") this.expr(name);
      const what =
        name?.typename === "LookupVal"
          ? "calling methods is not allowed (e.g. x.upper()): use filters instead, e.g. {{ x | upper }}"
          : `calling "${name?.typename === "Symbol" ? String(name.value) : "an expression"}" is not allowed: the only callable function is range(...)`;
      this.add(node, what);
    }
    const args = kids(field(node, "args") ?? node);
    if (args.length > 3) this.add(node, "range() takes at most 3 arguments");
    for (const a of args) {
      if (a.typename === "KeywordArgs") this.add(a, "range() takes positional arguments only");
      else this.expr(a);
    }
  }

  private filter(node: NjNode): void {
    const name = field(node, "name");
    const fname = name ? String(name.value) : "";
    if (!name || name.typename !== "Symbol" || !ALLOWED_FILTERS.has(fname)) {
      this.add(name ?? node, `unknown or forbidden filter "${fname}"`);
    }
    for (const a of kids(field(node, "args") ?? node)) {
      if (a.typename === "KeywordArgs") for (const p of kids(a)) this.pair(p);
      else this.expr(a);
    }
  }

  private isTest(node: NjNode): void {
    this.expr(field(node, "left"));
    const right = field(node, "right");
    if (right?.typename === "Literal" && right.value === null) return; // `is none` (none lexes as a literal)
    let name: NjNode | null = right;
    if (right?.typename === "FunCall") {
      name = field(right, "name");
      for (const a of kids(field(right, "args") ?? right)) this.expr(a);
    }
    if (!name || name.typename !== "Symbol" || !ALLOWED_TESTS.has(String(name.value))) {
      this.add(right ?? node, `unknown test after "is": ${name?.typename === "Symbol" ? String(name.value) : "an expression"}`);
    }
  }
}
