/** One line per automation, in the user's words, for summaries. */
import { describeActions, describeTrigger } from "../automations/describe.js";
import type { Automation } from "../automations/types.js";

export function actionsOf(a: Automation): string {
  return describeActions(a);
}

export function reactsTo(a: Automation): string {
  return describeTrigger(a.trigger);
}
