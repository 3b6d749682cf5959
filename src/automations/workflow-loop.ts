/**
 * The run-workflow loop (SEMANTICS.md §5): an automation that runs a workflow whenever ANY run starts
 * (Pending/Running of workflow runs, jobs, check suites or runs) triggers itself again with the run it starts.
 * A trigger is "narrowed" when `match` / `match_related` constrain the workflow (or the resource id/name)
 * with a pattern that is not just a wildcard.
 */
import { matchesEventName } from "../events/match.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { toList } from "./normalize.js";
import type { RawCompound, RawEventTrigger, RawTrigger } from "./raw-schema.js";

const RUN_KINDS = ["workflow-run", "workflow-job", "check-suite", "check-run"];
export const RUN_START_EVENTS = RUN_KINDS.flatMap((k) => [`github.${k}.Pending`, `github.${k}.Running`]);

/** the first run-start event name the trigger fires on without narrowing, or null */
export function loopingRunEvent(trigger: RawTrigger): string | null {
  if (trigger.type === "compound" || trigger.type === "sequence") {
    const children = (trigger as RawCompound).triggers as RawTrigger[];
    const looping = children.map(loopingRunEvent).filter((e): e is string => e !== null);
    const require = trigger.type === "sequence" ? "all" : (trigger as RawCompound).require;
    const needed = require === "all" ? children.length : require === "any" ? 1 : require;
    return looping.length >= needed && looping.length > 0 ? looping[0]! : null;
  }
  const t = trigger as RawEventTrigger;
  if (t.posture === "Proactive") return null;
  if (narrowsToWorkflow(t)) return null;
  const expect = toList(t.expect);
  const related = toList<Record<string, unknown>>(t.match_related);
  const empty = Object.keys(t.match ?? {}).length === 0 && related.every((m) => Object.keys(m).length === 0);
  if (expect.length === 0 && empty) return null; // already an error: the trigger matches everything
  return RUN_START_EVENTS.find((name) => matchesEventName(name, expect)) ?? null;
}

function narrowsToWorkflow(t: RawEventTrigger): boolean {
  for (const [label, patterns] of Object.entries(t.match ?? {})) {
    if (identifiesWorkflow(label) && narrows(patterns)) return true;
  }
  for (const m of toList<Record<string, string | string[]>>(t.match_related)) {
    const role = m[RESOURCE_ROLE];
    const aboutWorkflow = role === undefined || toList(role).some((r) => r.includes("workflow"));
    for (const [label, patterns] of Object.entries(m)) {
      if (label === RESOURCE_ROLE) continue;
      if ((aboutWorkflow || identifiesWorkflow(label)) && narrows(patterns)) return true;
    }
  }
  return false;
}

function identifiesWorkflow(label: string): boolean {
  return label === RESOURCE_ID || label === RESOURCE_NAME || label.includes("workflow");
}

/** a pattern set narrows unless every pattern is a bare wildcard or a whole-kind id prefix (`github.x.*`) */
function narrows(patterns: string | string[]): boolean {
  return toList(patterns).some((p) => !/^[*?]*$/.test(p) && !/^[a-z]+\.[a-z-]+\.\*$/.test(p));
}
