/**
 * Validation's view of runaway growth: `{% set s = s ~ s %}` (or `l + l`) inside a loop doubles the value on
 * every iteration, 2^100 after `range(100)`. The render budget stops it at run time; validation refuses it
 * earlier, where the author sees file:line:col. Only the shape that is never legitimate is refused: the
 * variable appears at least twice among the operands of a `~` / `+` chain that is assigned back to it.
 */
import type { NjNode } from "./nunjucks-internals.js";

/** Filters whose result is at least as large as their input: `s ~ (s | upper)` still doubles. */
const GROWING_FILTERS = new Set([
  "upper",
  "lower",
  "title",
  "capitalize",
  "escape",
  "e",
  "forceescape",
  "safe",
  "string",
  "list",
  "reverse",
  "sort",
  "default",
  "d",
  "indent",
  "center",
  "replace",
  "tojson",
  "dump",
  "join",
]);

function field(node: NjNode, name: string): NjNode | null {
  const v = node[name];
  return v && typeof v === "object" ? (v as NjNode) : null;
}

/** How many times `name` is an operand of the `~` / `+` chain `node` (through parentheses, inline ifs and growing filters). */
function operandUses(node: NjNode | null, name: string, depth = 0): number {
  if (!node || depth > 200) return 0;
  switch (node.typename) {
    case "Symbol":
      return node.value === name ? 1 : 0;
    case "Concat":
    case "Add":
      return operandUses(field(node, "left"), name, depth + 1) + operandUses(field(node, "right"), name, depth + 1);
    case "Group":
      return (node.children ?? []).reduce((n, c) => n + operandUses(c, name, depth + 1), 0);
    case "InlineIf":
      return Math.max(operandUses(field(node, "body"), name, depth + 1), operandUses(field(node, "else_"), name, depth + 1));
    case "Filter": {
      const fname = field(node, "name");
      const first = (field(node, "args")?.children ?? [])[0] ?? null;
      return fname && GROWING_FILTERS.has(String(fname.value)) ? operandUses(first, name, depth + 1) : 0;
    }
    default:
      return 0;
  }
}

/** True when `{% set <target> = value %}` makes the target at least twice as large as before. */
export function doublesItself(target: NjNode, value: NjNode | null): boolean {
  if (target.typename !== "Symbol" || !value || (value.typename !== "Concat" && value.typename !== "Add")) return false;
  return operandUses(value, String(target.value)) >= 2;
}
