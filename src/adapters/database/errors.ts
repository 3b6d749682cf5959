/** Errors of a database source with a stable `HOOKLINE_DB_*` code, a message that says what to do, and the problems one by one. */
import { HooklineError } from "../../errors/hookline-error.js";
import type { HooklineCode } from "../../errors/registry.js";

export class DatabaseSourceError extends HooklineError {
  constructor(
    code: HooklineCode,
    message: string,
    readonly problems: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = "DatabaseSourceError";
  }
}

/** PostgreSQL's "schema / relation does not exist": the capture is not installed (or was removed). */
export function isMissingCapture(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "42P01" || code === "3F000";
}
