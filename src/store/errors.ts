/** Errors of the state store, with a stable code (`HOOKLINE_STATE_...`) and a message that says what to do. */
export class StateStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StateStoreError";
  }
}

export const RESET_HINT = "To start over, delete the ref (it only holds hookline's state): `git push origin :refs/hookline/state`.";
