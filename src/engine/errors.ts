/** Errors a caller can cause, with a stable code (`HOOKLINE_ENGINE_...`). */
import { HooklineError } from "../errors/hookline-error.js";
import type { HooklineCode } from "../errors/registry.js";

export class EngineError extends HooklineError {
  constructor(code: HooklineCode, message: string) {
    super(code, message);
    this.name = "EngineError";
  }
}
