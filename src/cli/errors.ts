/** Exit codes of the CLI contract (DESIGN.md): 0 ok, 1 invalid input, 2 bad usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Bad usage: unknown flag, missing argument, unreadable file. Exit 2. */
export class UsageError extends Error {
  readonly code = "HOOKLINE_USAGE";
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}
