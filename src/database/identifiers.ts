/**
 * Safe SQL text for names and literals that come from configuration or the catalog. Every identifier hookline
 * writes into SQL is double-quoted (so `Orders`, `select` or `a"b` are the names they say), and every literal
 * is an escape string (`E'…'`), which PostgreSQL reads the same whatever the session's
 * standard_conforming_strings: a trigger function's body is parsed again in each writer's session.
 */

import { HooklineError } from "../errors/hookline-error.js";

export class UnsafeNameError extends HooklineError {
  declare readonly code: "HOOKLINE_DB_BAD_NAME";
  constructor(message: string) {
    super("HOOKLINE_DB_BAD_NAME", message);
  }
}

/** `"name"`, with `"` doubled; NUL is refused (PostgreSQL names cannot hold it). */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes("\u0000")) throw new UnsafeNameError(`${JSON.stringify(name)} cannot be a PostgreSQL name`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `E'text'`, with `\` and `'` escaped; NUL is refused. */
export function quoteLiteral(text: string): string {
  if (text.includes("\u0000")) throw new UnsafeNameError("a SQL literal cannot hold NUL");
  return `E'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** `"schema"."name"` */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A dollar-quote tag that does not occur in `body`, so the body cannot end the quote early. */
export function dollarQuote(body: string): string {
  let tag = "$hookline$";
  for (let i = 1; body.includes(tag); i++) tag = `$hookline${i}$`;
  return `${tag}${body}${tag}`;
}
