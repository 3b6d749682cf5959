/** Exit codes of the CLI contract (DESIGN.md): 0 ok, 1 invalid input, 2 bad usage. */
import { HooklineError } from "../errors/hookline-error.js";

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Bad usage: unknown flag, missing argument, unreadable file. Exit 2. */
export class UsageError extends HooklineError {
  declare readonly code: "HOOKLINE_USAGE";
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super("HOOKLINE_USAGE", message);
  }
}
