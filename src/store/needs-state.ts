/**
 * Whether a configuration needs the state ref at all. Stateless = every enabled automation fires on each
 * matching event by itself (no counting, windows, absence, composites), no Slack bot threading, no run-time
 * pauses. Then the Action makes no state calls (but see `stateUse` for re-runs).
 */
import type { ActionSpec, Automation, AutomationsConfig, TriggerSpec } from "../automations/types.js";

/**
 * A trigger that fires on each matching event without remembering anything: a Reactive event trigger with
 * threshold <= 1 (0 acts as 1), `within: 0` (with `within > 0` a firing closes the window, so it rate-limits)
 * and no `after`. `for_each` is fine: it only names the firing's labels. A compound `any` / `require: 1` of
 * such triggers fires at once on a child firing, so it is stateless too; a sequence is not.
 */
export function isStatelessTrigger(trigger: TriggerSpec): boolean {
  switch (trigger.type) {
    case "event":
      return trigger.posture === "Reactive" && trigger.threshold <= 1 && trigger.within === 0 && trigger.after.length === 0;
    case "compound":
      return (trigger.require === "any" || trigger.require === 1) && trigger.triggers.every(isStatelessTrigger);
    case "sequence":
      return false;
  }
}

/** A Slack notifier posts through the bot API (and threads per run) unless it only names a webhook URL. */
function actionNeedsState(action: ActionSpec, config: AutomationsConfig): boolean {
  if (action.type === "pause-automation" || action.type === "resume-automation") return true;
  if (action.type !== "send-notification") return false;
  const name = action.params.notifier;
  // a templated or unknown notifier name cannot be resolved here: assume it threads
  if (typeof name !== "string" || !Object.hasOwn(config.notifiers, name)) return true;
  const notifier = config.notifiers[name]!;
  return notifier.type === "slack" && !(notifier.webhook_url_env !== undefined && notifier.token_env === undefined);
}

function automationNeedsState(a: Automation, config: AutomationsConfig): boolean {
  const actions = [...a.actions, ...a.actions_on_trigger, ...a.actions_on_resolve];
  if (actions.some((x) => actionNeedsState(x, config))) return true;
  // a disabled automation evaluates nothing (only a resume-automation action, caught above, could wake it)
  return a.enabled && !isStatelessTrigger(a.trigger);
}

export function needsState(config: AutomationsConfig): boolean {
  return config.automations.some((a) => automationNeedsState(a, config));
}

/**
 * How the Action uses the state for one run (see README.md, "Re-runs"):
 * - `full`: load before evaluating; skip an event whose id is recorded; write the engine state and the event
 *   id in one compare-and-swap before executing; record each executed action's idempotency key.
 * - `lazy`: no state call unless an action executes. Run attempt 1 executes, then records the executed keys;
 *   a later attempt (a re-run) loads first and skips every key already recorded.
 */
export type StateUse = "full" | "lazy";

export function stateUse(config: AutomationsConfig): StateUse {
  return needsState(config) ? "full" : "lazy";
}
