/**
 * Template strings in action fields are checked with `checkTemplate` (src/templates); a problem's line/col
 * inside the template is mapped onto the file when the YAML scalar allows it exactly (plain or quoted text
 * without escapes, literal block scalars), else it points at the scalar.
 */
import { isScalar, Scalar } from "yaml";
import { checkTemplate, isTemplate } from "../templates/index.js";
import type { Problem } from "./problems.js";
import type { Locator, Path } from "./source-locator.js";
import type { HooklineCode } from "../errors/registry.js";

/** Check every template string found (recursively) in `value`, which sits at `path`. */
export function checkTemplates(value: unknown, path: Path, field: string, loc: Locator, out: Problem[], depth = 0): void {
  if (depth > 64) return;
  if (typeof value === "string") {
    if (!isTemplate(value)) return;
    let problems: { code?: HooklineCode; message: string; line?: number; col?: number }[];
    try {
      problems = checkTemplate(value);
    } catch (e) {
      problems = [{ message: `the template could not be checked: ${(e as Error).message}` }];
    }
    for (const p of problems) {
      const { line, col } = templatePosition(loc, path, value, p.line, p.col);
      out.push({
        severity: "error",
        code: p.code ?? "HOOKLINE_TEMPLATE",
        message: `template error in \`${field}\`: ${p.message}`,
        hint: "see the template rules in docs/templates.md",
        file: loc.file,
        line,
        col,
      });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplates(v, [...path, i], field, loc, out, depth + 1));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) checkTemplates(v, [...path, k], field, loc, out, depth + 1);
  }
}

export function templatePosition(
  loc: Locator,
  path: Path,
  value: string,
  tplLine: number | undefined,
  tplCol: number | undefined,
): { line: number; col: number } {
  const fallback = loc.position(path);
  const node = loc.locate(path).node;
  if (!isScalar(node) || !node.range || tplLine === undefined || tplLine < 1) return fallback;
  const col = Math.max(1, tplCol ?? 1);
  const [start, valueEnd] = node.range;
  const lines = value.split("\n");
  if (tplLine > lines.length) return fallback;
  if (node.type === Scalar.PLAIN || node.type === Scalar.QUOTE_SINGLE || node.type === Scalar.QUOTE_DOUBLE) {
    const quote = node.type === Scalar.PLAIN ? 0 : 1;
    const raw = loc.text.slice(start + quote, valueEnd - quote);
    if (raw !== value) return fallback; // escapes or folded lines: no exact mapping
    const offset = lines.slice(0, tplLine - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
    return loc.offsetPosition(start + quote + offset);
  }
  if (node.type === Scalar.BLOCK_LITERAL) {
    const header = loc.offsetPosition(start);
    const contentStart = loc.text.indexOf("\n", start) + 1;
    if (contentStart <= 0) return fallback;
    const firstLine = /^( *)\S/m.exec(loc.text.slice(contentStart, valueEnd));
    const indent = firstLine ? firstLine[1]!.length : 0;
    return { line: header.line + tplLine, col: indent + col };
  }
  return fallback;
}
