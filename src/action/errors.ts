/** An error the user of the Action can fix: a stable `HOOKLINE_ACTION_*` code and a message that says how. */
import { HooklineError } from "../errors/hookline-error.js";
import type { HooklineCode } from "../errors/registry.js";

export class ActionInputError extends HooklineError {
  constructor(code: HooklineCode, message: string) {
    super(code, message);
    this.name = "ActionInputError";
  }
}

/** Messages that name user values stay on one line and short (they end up in logs and annotations). */
export function quote(value: string, max = 80): string {
  const flat = value.replace(/[\r\n\t]+/g, " ");
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 3)}...` : flat);
}
