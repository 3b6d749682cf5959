/** One line per automation, in the user's words, for summaries. */
import type { Automation } from "../automations/types.js";
import { describeTrigger } from "../cli/commands/validate.js";

export function actionsOf(a: Automation): string {
  const on = [...a.actions, ...a.actions_on_trigger].map((x) => x.type).join(", ") || "no actions";
  const resolve = a.actions_on_resolve.map((x) => x.type).join(", ");
  return resolve ? `${on}; on resolve: ${resolve}` : on;
}

export function reactsTo(a: Automation): string {
  return describeTrigger(a.trigger);
}
