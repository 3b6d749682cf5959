/**
 * Event-name globs (src/events syntax) as an SQL pre-filter on the indexed `events.name` column.
 *
 * Only two shapes become SQL: a literal (`name = $`) and a literal prefix followed by one trailing `*`
 * (`name LIKE 'prefix%'`, `%`, `_` and `\` escaped). Everything else (`?`, classes, inner stars, negation,
 * values the index key cannot hold exactly) is matched in JS on the stored event; the caller always re-checks
 * the full name with the glob, so the SQL part only has to be a superset.
 */
import { compilePattern } from "../../events/glob.js";
import { INDEX_KEY_MAX, isExactKey } from "./index-key.js";

export type NameFilter = { kind: "equals"; value: string } | { kind: "like"; pattern: string } | { kind: "js" };

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function nameFilterOf(glob: string): NameFilter {
  if (glob.startsWith("!")) return { kind: "js" };
  const body = glob;
  const firstWild = body.search(/[*?[]/);
  if (firstWild < 0) return isExactKey(body) ? { kind: "equals", value: body } : { kind: "js" };
  const prefix = body.slice(0, firstWild);
  const rest = body.slice(firstWild);
  // "prefix*" or "prefix**": one trailing run of stars
  if (/^\*+$/.test(rest) && prefix.length < INDEX_KEY_MAX && isExactKey(prefix)) {
    return prefix === "" ? { kind: "js" } : { kind: "like", pattern: `${escapeLike(prefix)}%` };
  }
  return { kind: "js" };
}

/** the exact test, on the full stored name */
export function nameMatches(glob: string, name: string): boolean {
  return compilePattern(glob).test(name);
}
