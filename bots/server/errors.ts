/**
 * Errors a server operator can cause (bad environment, bad configuration files): a stable `code`, a message
 * that says what to fix, and the `file:line:col` problems of a configuration file. `hookline serve` prints
 * them and exits 2.
 */
import { HooklineError, type HooklineCode } from "../../src/errors/index.js";

export class ServerConfigError extends HooklineError {
  constructor(
    code: HooklineCode,
    message: string,
    /** `file:line:col: message` lines, when a configuration file is at fault */
    readonly problems: readonly string[] = [],
  ) {
    super(code, message);
  }
}
