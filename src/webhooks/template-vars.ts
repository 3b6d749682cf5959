/** Which request parts a webhook template reads: a template that never reads `body` accepts any content type. */
import { isTemplate } from "../templates/index.js";
import type { NjNode } from "../templates/nunjucks-internals.js";
import { parseTemplate } from "../templates/static-check.js";

/** Top-level variable names a template reads (nunjucks `Symbol` nodes), for every template string in `value`. */
export function templateSymbols(value: unknown): Set<string> {
  const out = new Set<string>();
  const strings: string[] = [];
  collectStrings(value, strings, 0);
  for (const s of strings) {
    if (!isTemplate(s)) continue;
    const parsed = parseTemplate(s);
    if ("problem" in parsed) continue;
    walk(parsed.ast, out);
  }
  return out;
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 64) return;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out, depth + 1);
}

function walk(root: NjNode, out: Set<string>): void {
  const stack: unknown[] = [root];
  let budget = 100_000;
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!node || typeof node !== "object" || typeof (node as NjNode).typename !== "string") continue;
    const n = node as NjNode;
    if (n.typename === "Symbol" && typeof n.value === "string") out.add(n.value);
    for (const f of n.fields ?? []) stack.push(n[f]);
    if (Array.isArray(n.children)) stack.push(...n.children);
  }
}

/** True when no string inside `value` is a template (a static event). */
export function hasNoPlaceholders(value: unknown): boolean {
  const strings: string[] = [];
  collectStrings(value, strings, 0);
  return strings.every((s) => !isTemplate(s));
}
