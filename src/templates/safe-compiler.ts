/**
 * Wall 2, compile side. nunjucks' compiler pastes names and strings from the template into JavaScript source;
 * on 3.2.4 a variable name such as x"&&Function`...```&&" or a test name such as `is "..."` breaks out of the
 * generated string and runs code before any runtime check. This subclass refuses, independently of the static
 * check, every node type we do not render, every name that is not a plain identifier, regular expressions and
 * calls other than `range(...)`, and routes loops, concatenation and output through the hardened runtime.
 */
import { nj, type CompilerBase, type NjNode } from "./nunjucks-internals.js";
import { ALLOWED_GLOBALS, FORBIDDEN_KEYS, IDENT_RE, TEMPLATE_LIMITS } from "./policy.js";

const COMPILABLE = new Set([
  "Root",
  "NodeList",
  "Output",
  "TemplateData",
  "Literal",
  "Symbol",
  "Group",
  "Array",
  "Dict",
  "Pair",
  "KeywordArgs",
  "LookupVal",
  "If",
  "InlineIf",
  "For",
  "Set",
  "Capture",
  "FunCall",
  "Filter",
  "In",
  "Is",
  "Or",
  "And",
  "Not",
  "Add",
  "Concat",
  "Sub",
  "Mul",
  "Div",
  "FloorDiv",
  "Mod",
  "Pow",
  "Neg",
  "Pos",
  "Compare",
]);

/** The name under which value-mode templates store their result. */
export const VALUE_VAR = "_hookline_value";

export type RootFn = (
  env: unknown,
  context: unknown,
  frame: unknown,
  runtime: unknown,
  cb: (err: unknown, result?: string) => void,
) => void;

const Base = nj.compiler.Compiler as unknown as new (name: string, throwOnUndefined: boolean) => CompilerBase;

function kids(node: NjNode): NjNode[] {
  return Array.isArray(node.children) ? node.children : [];
}

const COMPARE_OPS = new Set(["==", "===", "!=", "!==", "<", ">", "<=", ">="]);
const EQUALITY_OPS = new Set(["==", "===", "!=", "!=="]);

/** Syntax nodes under `node` (its fields and children): what one run of a loop body executes at most besides charged calls. */
export function countNodes(node: unknown, depth = 0): number {
  if (!node || typeof node !== "object" || depth > 10_000) return 0;
  if (Array.isArray(node)) return node.reduce<number>((n, c) => n + countNodes(c, depth + 1), 0);
  const n = node as NjNode;
  if (typeof n.typename !== "string") return 0;
  let total = 1;
  for (const f of n.fields ?? []) if (f !== "children") total += countNodes(n[f], depth + 1);
  return total + countNodes(n.children, depth + 1);
}

class SafeCompiler extends Base {
  private loops = 0;
  private loopDepth = 0;

  private refuse(node: NjNode, message: string): never {
    return this.fail(message, node?.lineno, node?.colno);
  }

  private ident(node: NjNode | null | undefined, what: string): string {
    if (!node || node.typename !== "Symbol" || typeof node.value !== "string" || !IDENT_RE.test(node.value)) {
      this.refuse(node as NjNode, `${what} must be a plain name`);
    }
    return node.value as string;
  }

  override compile(node: NjNode, frame?: unknown): void {
    if (!node || typeof node !== "object" || !COMPILABLE.has(node.typename)) {
      this.refuse(node, `"${node?.typename ?? "?"}" is not allowed in templates`);
    }
    super.compile(node, frame);
  }

  override compileSymbol(node: NjNode, frame: unknown): void {
    this.ident(node, "a variable");
    super.compileSymbol(node, frame);
  }

  override compileLiteral(node: NjNode, frame: unknown): void {
    const v = node.value;
    if (!(v === null || typeof v === "string" || typeof v === "boolean" || typeof v === "number")) {
      this.refuse(node, "only string, number, boolean and none literals are allowed");
    }
    super.compileLiteral(node, frame);
  }

  /** Only allowed globals, by name, never a value: `runtime.callGlobal("range", [args])`. */
  compileFunCall(node: NjNode, frame: unknown): void {
    const name = node.name as NjNode;
    const fname = this.ident(name, "only range(...) can be called; a callee");
    if (!ALLOWED_GLOBALS.has(fname)) this.refuse(node, `calling "${fname}" is not allowed`);
    const args = kids(node.args as NjNode);
    this._emit(`runtime.callGlobal("${fname}", [`);
    args.forEach((a, i) => {
      if (a.typename === "KeywordArgs" || a.typename === "Caller") this.refuse(a, `${fname}() takes positional arguments only`);
      if (i > 0) this._emit(",");
      this.compile(a, frame);
    });
    this._emit("])");
  }

  override compileFilter(node: NjNode, frame: unknown): void {
    this.ident(node.name as NjNode, "a filter");
    super.compileFilter(node, frame);
  }

  override compileIs(node: NjNode, frame: unknown): void {
    let right = node.right as NjNode;
    if (right?.typename === "Literal" && right.value === null) {
      // `x is none`: `none` lexes as a literal; use the null test
      right = new nj.nodes.Symbol!(right.lineno, right.colno, "null");
      node = new nj.nodes.Is!(node.lineno, node.colno, node.left, right);
    }
    this.ident(right?.typename === "FunCall" ? (right.name as NjNode) : right, "a test after `is`");
    super.compileIs(node, frame);
  }

  override compileSet(node: NjNode, frame: unknown): void {
    for (const t of (node.targets as NjNode[]) ?? []) this.ident(t, "an assigned variable");
    super.compileSet(node, frame);
  }

  override compilePair(node: NjNode, frame: unknown): void {
    const key = node.key as NjNode;
    if (key?.typename === "Symbol") this.ident(key, "a dictionary key");
    if ((key?.typename === "Literal" || key?.typename === "Symbol") && FORBIDDEN_KEYS.has(String(key.value))) {
      this.refuse(key, `"${String(key.value)}" cannot be used as a key`);
    }
    super.compilePair(node, frame);
  }

  /** Loop limits, and `fromIterator` replaced by own-property iteration that knows how many names are bound. */
  override compileFor(node: NjNode, frame: unknown): void {
    const name = node.name as NjNode;
    const names = name?.typename === "Array" ? kids(name) : [name];
    for (const n of names) this.ident(n, "a loop variable");
    this.loops++;
    if (this.loops > TEMPLATE_LIMITS.maxLoops) this.refuse(node, `at most ${TEMPLATE_LIMITS.maxLoops} loops`);
    if (this.loopDepth + 1 > TEMPLATE_LIMITS.maxLoopNesting) {
      this.refuse(node, `loops may be nested at most ${TEMPLATE_LIMITS.maxLoopNesting} deep`);
    }
    // compileFor allocates i, len, arr in this order; arr is the variable handed to fromIterator
    const arr = `t_${this.lastId + 3}`;
    const expected = `${arr} = runtime.fromIterator(${arr});\n`;
    const start = this.codebuf.length;
    this.loopDepth++;
    super.compileFor(node, frame);
    this.loopDepth--;
    const at = this.codebuf.indexOf(expected, start);
    if (at < 0) this.refuse(node, "internal: loop code not recognized");
    const weight = countNodes(node.body) + countNodes(node.else_);
    this.codebuf[at] = `${arr} = runtime.${names.length > 1 ? "iterPairs" : "iterValues"}(${arr}, ${weight});\n`;
  }

  /** Literal text goes through the runtime too, so the output budget sees every character. */
  override compileOutput(node: NjNode, frame: unknown): void {
    const children = kids(node).map((c) => (c.typename === "TemplateData" ? new nj.nodes.Literal!(c.lineno, c.colno, c.value) : c));
    super.compileOutput(new nj.nodes.Output!(node.lineno, node.colno, children), frame);
  }

  compileConcat(node: NjNode, frame: unknown): void {
    this.binaryCall("concat", node, frame);
  }

  compileAdd(node: NjNode, frame: unknown): void {
    this.binaryCall("add", node, frame);
  }

  // JavaScript's operators convert lists by joining them: every comparison and arithmetic operator is charged (operators.ts)
  compileSub(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "-");
  }
  compileMul(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "*");
  }
  compileDiv(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "/");
  }
  compileMod(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "%");
  }
  compileFloorDiv(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "//");
  }
  compilePow(node: NjNode, frame: unknown): void {
    this.binaryCall("arith", node, frame, "**");
  }
  compileNeg(node: NjNode, frame: unknown): void {
    this.unaryCall("-", node, frame);
  }
  compilePos(node: NjNode, frame: unknown): void {
    this.unaryCall("+", node, frame);
  }

  /**
   * A comparison chain means what nunjucks' emitted JavaScript meant: `a < b == c < d` is `(a < b) == (c < d)`
   * (relational operators bind tighter than equality, both left to right), one charged call per operator.
   */
  compileCompare(node: NjNode, frame: unknown): void {
    const ops = (node.ops as NjNode[]) ?? [];
    for (const op of ops) if (!COMPARE_OPS.has(String(op.type))) this.refuse(op, `unknown comparison "${String(op.type)}"`);
    const segments: { operands: NjNode[]; ops: string[] }[] = [{ operands: [node.expr as NjNode], ops: [] }];
    const equality: string[] = [];
    ops.forEach((op) => {
      const type = String(op.type);
      if (EQUALITY_OPS.has(type)) {
        equality.push(type);
        segments.push({ operands: [op.expr as NjNode], ops: [] });
      } else {
        const seg = segments[segments.length - 1]!;
        seg.ops.push(type);
        seg.operands.push(op.expr as NjNode);
      }
    });
    this.leftToRight(
      segments.map(
        (seg) => () =>
          this.leftToRight(
            seg.operands.map((n) => () => this.compile(n, frame)),
            seg.ops,
          ),
      ),
      equality,
    );
  }

  private leftToRight(operands: (() => void)[], ops: string[]): void {
    for (let i = ops.length - 1; i >= 0; i--) this._emit(`runtime.compare("${ops[i]!}",`);
    operands[0]!();
    ops.forEach((_, i) => {
      this._emit(",");
      operands[i + 1]!();
      this._emit(")");
    });
  }

  private unaryCall(op: string, node: NjNode, frame: unknown): void {
    this._emit(`runtime.unary("${op}",`);
    this.compile(node.target as NjNode, frame);
    this._emit(")");
  }

  private binaryCall(fn: string, node: NjNode, frame: unknown, op?: string): void {
    this._emit(`runtime.${fn}(${op === undefined ? "" : `"${op}",`}`);
    this.compile(node.left as NjNode, frame);
    this._emit(",");
    this.compile(node.right as NjNode, frame);
    this._emit(")");
  }
}

/** Compiles a checked-or-not AST to its root render function. Throws nunjucks errors (see fromNunjucksError). */
export function compileAst(ast: NjNode): RootFn {
  const c = new SafeCompiler("template", false);
  c.compile(ast);
  // this is how nunjucks runs templates: the compiled code of a checked AST
  const props = new Function(c.getCode())() as { root: RootFn };
  return props.root;
}

/** AST of a value-mode template: `{% set _hookline_value = <expr> %}`. */
export function valueAst(expr: NjNode): NjNode {
  const target = new nj.nodes.Symbol!(expr.lineno, expr.colno, VALUE_VAR);
  const set = new nj.nodes.Set!(expr.lineno, expr.colno, [target], expr);
  return new nj.nodes.Root!(0, 0, [set]);
}
