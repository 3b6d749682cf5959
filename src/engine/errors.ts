/** Errors a caller can cause, with a stable code (`HOOKLINE_ENGINE_...`). */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
