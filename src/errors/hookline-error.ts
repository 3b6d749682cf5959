/**
 * The base of every error hookline's user can fix: a registered `code` (a type error for an unregistered
 * literal), the message, and — from the registry — a `hint` (how to fix it) and a `docs` link to the code's
 * section of docs/errors.md. The subclasses keep their names, fields and messages; `name` is left to them so
 * what an error prints does not change.
 */
import { ERROR_CODES, errorDocsLink, isHooklineCode, type HooklineCode } from "./registry.js";

export class HooklineError extends Error {
  readonly code: HooklineCode;
  constructor(code: HooklineCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** how to fix it (the registry's `fix`) */
  get hint(): string {
    return ERROR_CODES[this.code]?.fix ?? "";
  }

  /** `docs/errors.md#<code in lower case>` */
  get docs(): string {
    return errorDocsLink(this.code);
  }
}

/** `docs/errors.md#<code>` for a registered code (what answers add as `docs`); undefined for anything else. */
export function docsOf(code: unknown): string | undefined {
  return isHooklineCode(code) ? errorDocsLink(code) : undefined;
}

/** The code of any thrown value that carries one (a HooklineError, or an error with a `code` field). */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
