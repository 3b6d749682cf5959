/**
 * SEMANTICS §5: an automation MUST NOT trigger on its own events. Each firing emits
 * `hookline.automation.triggered|resolved` and each action `hookline.action.*`, all with the resource
 * `hookline.automation.<name>`; a Reactive trigger that expects those names and whose `match` lets that
 * resource through would fire on its own firing, forever. (`match_related` cannot be judged statically:
 * such triggers are left alone.)
 */
import { matchesEventName, matchesResource, type ResourceMatch } from "../events/match.js";
import { RESOURCE_ID, RESOURCE_NAME } from "../events/labels.js";
import type { AutomationEntry } from "./entries.js";
import { toList } from "./normalize.js";
import type { Problem } from "./problems.js";
import type { RawTrigger } from "./raw-schema.js";
import type { Locator, Path } from "./source-locator.js";

export const OWN_EVENT_NAMES = [
  "hookline.automation.triggered",
  "hookline.automation.resolved",
  "hookline.action.triggered",
  "hookline.action.executed",
  "hookline.action.failed",
] as const;

type RawLeaf = {
  type?: string;
  posture?: string;
  expect?: string | string[];
  match?: ResourceMatch;
  match_related?: unknown;
  triggers?: RawTrigger[];
};

export function checkSelfTrigger(entry: AutomationEntry, loc: Locator, out: Problem[]): void {
  const name = entry.raw.name;
  const own = { [RESOURCE_ID]: `hookline.automation.${name}`, [RESOURCE_NAME]: name };
  const visit = (trigger: RawLeaf, path: Path): void => {
    if (trigger.type === "compound" || trigger.type === "sequence") {
      (trigger.triggers ?? []).forEach((child, i) => visit(child as RawLeaf, [...path, "triggers", i]));
      return;
    }
    if (trigger.posture === "Proactive") return; // waiting for an absence does not feed itself
    const related = toList<ResourceMatch>(trigger.match_related as ResourceMatch | ResourceMatch[] | undefined);
    if (related.some((m) => Object.keys(m).length > 0)) return;
    const expect = toList(trigger.expect);
    if (expect.length === 0 && Object.keys(trigger.match ?? {}).length === 0) return; // HOOKLINE_TRIGGER_MATCHES_EVERYTHING says it
    const hit = OWN_EVENT_NAMES.find((e) => matchesEventName(e, expect));
    if (hit === undefined || !matchesResource(own, trigger.match ?? {})) return;
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_SELF_TRIGGER",
        trigger.expect !== undefined ? [...path, "expect"] : path,
        `automation \`${name}\` would trigger on its own \`${hit}\` events, again and again`,
        `narrow it to other automations, e.g. \`match: {prefect.resource.name: "!${name}"}\`, or expect other event names`,
      ),
    );
  };
  visit(entry.raw.trigger as RawLeaf, entry.triggerPath);
}
