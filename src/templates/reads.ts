/**
 * What a set of templates can read from its context, found in nunjucks' parsed AST: each context name the
 * templates mention, and below it the literal member paths they follow (`workflow_job.name`,
 * `event.resource['github.state']`). A name or path used in any other way (printed, filtered, iterated, tested,
 * looked up with a computed key) is read whole. buildTemplateContext then copies only these paths of the event
 * instead of the whole payload per firing (bench/README.md, bench/engine "firing"); a template sees the same value
 * at every path it can reach, since a lookup of a key that was not copied could only be written as one of these
 * paths. Templates reach the context only through Symbol nodes (SEMANTICS.md §7: no macros, includes or other
 * loaders pass the static check), so the walk over every node field misses nothing.
 */
import type { NjNode } from "./nunjucks-internals.js";
import { parseTemplate } from "./static-check.js";
import { isTemplate } from "./render.js";

/** A path read whole: everything below it may be read. */
export const READ_WHOLE = Symbol("read whole");
/** Member names read below a value, each with what is read below it; READ_WHOLE: the value itself. */
export type ReadTree = typeof READ_WHOLE | Map<string, ReadTree>;

/** Deeper parameter values or ASTs are not analysed (the caller copies everything, as without reads). */
const MAX_DEPTH = 200;

class Unknown extends Error {}

/**
 * The context paths every template string inside `value` (an action's parameters) can read, as one tree whose
 * top-level keys are context names; null when that cannot be told (a template that does not parse: the render
 * reports it), in which case the caller builds the whole context.
 */
export function templateReads(value: unknown): Map<string, ReadTree> | null {
  const root = new Map<string, ReadTree>();
  try {
    collectValue(value, root, 0);
  } catch (err) {
    if (err instanceof Unknown) return null;
    throw err;
  }
  return root;
}

function collectValue(v: unknown, root: Map<string, ReadTree>, depth: number): void {
  if (depth > MAX_DEPTH) throw new Unknown();
  if (typeof v === "string") {
    if (!isTemplate(v)) return;
    const parsed = parseTemplate(v);
    if ("problem" in parsed) throw new Unknown();
    collectNode(parsed.ast, root, 0);
  } else if (Array.isArray(v)) for (const x of v) collectValue(x, root, depth + 1);
  else if (v && typeof v === "object") for (const x of Object.values(v)) collectValue(x, root, depth + 1);
}

/** The literal key of a lookup (`.name`, `['a.b']`, `[0]`), as lookupMember reads it; null for a computed one. */
function literalKey(val: unknown): string | null {
  const n = val as NjNode | null;
  if (!n || n.typename !== "Literal") return null;
  if (typeof n.value === "string") return n.value;
  if (typeof n.value === "number" && Number.isInteger(n.value)) return String(n.value);
  return null;
}

function collectNode(node: unknown, root: Map<string, ReadTree>, depth: number): void {
  if (!node || typeof node !== "object") return;
  if (depth > MAX_DEPTH) throw new Unknown();
  const n = node as NjNode;
  if (n.typename === "Symbol" || n.typename === "LookupVal") {
    // unwind `a.b[c].d` to the Symbol at its base and the keys after it
    const lookups: NjNode[] = [];
    let base: NjNode = n;
    while (base.typename === "LookupVal") {
      lookups.push(base);
      base = base.target as NjNode;
      if (!base || typeof base !== "object") return;
    }
    lookups.reverse();
    if (base.typename !== "Symbol") collectNode(base, root, depth + 1);
    const path: string[] = base.typename === "Symbol" ? [String(base.value)] : [];
    let literal = path.length > 0;
    for (const l of lookups) {
      const key = literal ? literalKey(l.val) : null;
      if (key === null) {
        literal = false;
        collectNode(l.val, root, depth + 1);
      } else path.push(key);
    }
    if (path.length > 0) addPath(root, path);
    return;
  }
  for (const f of n.fields ?? []) {
    // a filter's or test's name is not a context read
    if ((n.typename === "Filter" || n.typename === "FilterAsync") && f === "name") continue;
    const v = n[f];
    if (Array.isArray(v)) for (const c of v) collectNode(c, root, depth + 1);
    else collectNode(v, root, depth + 1);
  }
}

function addPath(root: Map<string, ReadTree>, path: string[]): void {
  let node: Map<string, ReadTree> = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    const next = node.get(key);
    if (next === READ_WHOLE) return;
    if (last) {
      node.set(key, READ_WHOLE);
      return;
    }
    if (next === undefined) {
      const child = new Map<string, ReadTree>();
      node.set(key, child);
      node = child;
    } else node = next;
  }
}

/** The union of two trees (a path read whole in either is read whole), as a new tree. */
export function mergeReads(a: ReadTree | undefined, b: ReadTree | undefined): ReadTree | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === READ_WHOLE || b === READ_WHOLE) return READ_WHOLE;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, mergeReads(out.get(k), v)!);
  return out;
}
