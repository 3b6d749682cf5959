/**
 * Problems found while loading an automations file: every one names the file, the line and column of the
 * offending YAML node, a stable `code`, and says what to do.
 */
import type { AutomationsConfig } from "./types.js";
import type { HooklineCode } from "../errors/registry.js";

export interface Problem {
  severity: "error" | "warning";
  /** stable `HOOKLINE_...` code */
  code: HooklineCode;
  message: string;
  hint?: string;
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
}

export interface LoadResult {
  /** null when any error was found */
  config: AutomationsConfig | null;
  /** errors first, then warnings, each by position */
  problems: Problem[];
}

/** `file:line:col: error: message (hint)`: the DESIGN.md CLI contract `file:line:col: message`. */
export function formatProblem(p: Problem): string {
  const hint = p.hint ? ` (${p.hint})` : "";
  return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}${hint}`;
}

/** Errors first, then warnings, each by line then column; exact duplicates are dropped. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique: Problem[] = [];
  for (const p of problems) {
    const key = `${p.severity}\u0000${p.code}\u0000${p.line}\u0000${p.col}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const clean = { ...p };
    if (clean.hint === undefined) delete clean.hint;
    unique.push(clean);
  }
  const rank = (p: Problem) => (p.severity === "error" ? 0 : 1);
  return unique.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.col - b.col);
}

/** Quotes a user value for a message, keeping messages one line and short. */
export function show(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const flat = text.replace(/\s+/g, " ");
  return `\`${flat.length > 60 ? `${flat.slice(0, 57)}...` : flat}\``;
}
