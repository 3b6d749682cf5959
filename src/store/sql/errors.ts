/**
 * Errors of the SQL store with a stable `code` (`HOOKLINE_DB_...` / `HOOKLINE_STORE_...`) and a message that
 * says what to do. Driver errors that are not the user's to fix (a bug, a constraint we did not expect) are
 * passed through unchanged.
 */
import { HooklineError } from "../../errors/hookline-error.js";
import type { HooklineCode } from "../../errors/registry.js";

export class SqlStoreError extends HooklineError {
  constructor(code: HooklineCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "SqlStoreError";
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`: URLs appear in messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
