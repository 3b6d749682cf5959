/** Errors of the state store, with a stable code (`HOOKLINE_STATE_...`) and a message that says what to do. */
import { HooklineError } from "../errors/hookline-error.js";
import type { HooklineCode } from "../errors/registry.js";

export class StateStoreError extends HooklineError {
  constructor(code: HooklineCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "StateStoreError";
  }
}

export const RESET_HINT = "To start over, delete the ref (it only holds hookline's state): `git push origin :refs/hookline/state`.";
