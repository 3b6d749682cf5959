/**
 * Action rules beyond the schema: references that must resolve (notifiers, automations), `source` and its id,
 * state filters, timeouts, template strings, and the run-workflow loop (SEMANTICS.md §5).
 */
import { didYouMean } from "./did-you-mean.js";
import { parseDuration } from "./duration.js";
import { ACTION_LISTS, type AutomationEntry } from "./entries.js";
import { SOURCE_ID_FIELD } from "./normalize.js";
import { show, type Problem } from "./problems.js";
import { COMMON_ACTION_FIELDS, type RawAction, type RawTrigger } from "./raw-schema.js";
import type { Locator } from "./source-locator.js";
import { checkTemplates } from "./template-positions.js";
import { isTemplate } from "../templates/index.js";
import { isReservedEventName, reservedNameMessage } from "../events/reserved.js";
import { loopingRunEvent } from "./workflow-loop.js";
import type { StateName } from "./types.js";
import { passesStateFilters, stateMatches } from "../github/state.js";

export interface References {
  notifiers: ReadonlySet<string>;
  automations: ReadonlySet<string>;
  /** false: template strings are left to their first render, which checks them (the runtimes' lazy loading) */
  checkTemplates?: boolean;
}

/** fields that are names, never templates */
const LITERAL_FIELDS = new Set(["type", "notifier", "source", "method"]);

export function checkActions(entry: AutomationEntry, refs: References, loc: Locator, out: Problem[]): void {
  const trigger = entry.raw.trigger as RawTrigger;
  const looping = loopingRunEvent(trigger);
  for (const list of ACTION_LISTS) {
    entry.raw[list].forEach((raw, i) => {
      const action = raw as RawAction & Record<string, unknown>;
      const path = entry.actionPath(list, i);
      // for generated (workflows:) actions the fields sit in the trigger entry; missing ones fall back to it
      const at = (field: string) => [...path, field];

      if (action.only_states !== undefined && action.ignore_states !== undefined) {
        // both may be set (a state passes if only_states matches it and ignore_states does not); an ignored state
        // that only_states never lets through changes nothing
        const only = toStates(action.only_states);
        const idle = toStates(action.ignore_states).filter((s) => !stateMatches(only, s));
        if (idle.length) {
          out.push(
            loc.problem(
              "warning",
              "HOOKLINE_BOTH_STATE_FILTERS",
              [...path, "ignore_states"],
              `\`ignore_states\` ${idle.join(", ")} changes nothing: \`only_states\` (${only.join(", ")}) never lets ${idle.length === 1 ? "it" : "them"} through`,
              "remove it, or ignore a member of an only_states family (e.g. only_states: [Failed], ignore_states: [TimedOut])",
              "key",
            ),
          );
        }
      }
      if (
        action.type === "emit-event" &&
        typeof action.event === "string" &&
        !isTemplate(action.event) &&
        isReservedEventName(action.event)
      ) {
        out.push(
          loc.problem(
            "error",
            "HOOKLINE_RESERVED_EVENT_NAME",
            at("event"),
            reservedNameMessage(action.event),
            "emit events in a namespace of your own",
          ),
        );
      }
      if (action.timeout !== undefined && parseDuration(action.timeout) === 0) {
        out.push(
          loc.problem(
            "error",
            "HOOKLINE_INVALID_DURATION",
            [...path, "timeout"],
            "`timeout` must be longer than 0",
            "omit it for the default of 30 s",
          ),
        );
      }

      const idField = SOURCE_ID_FIELD[action.type];
      if (idField) {
        const id = action[idField];
        if (action.source === "selected" && id === undefined) {
          out.push(
            loc.problem(
              "error",
              "HOOKLINE_MISSING_FIELD",
              path,
              `\`source: selected\` needs \`${idField}\``,
              `add \`${idField}\`, or use \`source: inferred\``,
            ),
          );
        } else if (action.source === "inferred" && id !== undefined) {
          out.push(
            loc.problem(
              "error",
              "HOOKLINE_CONFLICTING_FIELDS",
              [...path, idField],
              `\`source: inferred\` takes the ${idField === "run_id" ? "run" : "automation"} from the firing, so \`${idField}\` is not used`,
              `remove \`${idField}\` or \`source: inferred\``,
              "key",
            ),
          );
        }
      }

      if (action.type === "send-notification") {
        const name = String(action.notifier);
        if (!refs.notifiers.has(name)) {
          out.push(
            loc.problem(
              "error",
              "HOOKLINE_UNKNOWN_NOTIFIER",
              at("notifier"),
              `notifier ${show(name)} is not declared under \`notifiers:\``,
              didYouMean(name, refs.notifiers) ??
                (refs.notifiers.size > 0
                  ? `declared: ${[...refs.notifiers].join(", ")}`
                  : 'declare it under `notifiers:`, e.g. `ops: {type: slack, channel: "#ops"}`'),
            ),
          );
        }
      }
      if ((action.type === "pause-automation" || action.type === "resume-automation") && typeof action.automation === "string") {
        const name = action.automation;
        if (!isTemplate(name) && !refs.automations.has(name)) {
          out.push(
            loc.problem(
              "error",
              "HOOKLINE_UNKNOWN_AUTOMATION",
              at("automation"),
              `automation ${show(name)} is not defined in this file`,
              didYouMean(name, refs.automations) ?? "name an automation of this file",
            ),
          );
        }
      }
      if (refs.checkTemplates !== false) {
        for (const [field, value] of Object.entries(action)) {
          if (COMMON_ACTION_FIELDS.includes(field) || LITERAL_FIELDS.has(field)) continue;
          checkTemplates(value, at(field), field, loc, out);
        }
      }

      if (action.type === "run-workflow" && looping && list !== "actions_on_resolve" && admitsRunStart(action)) {
        out.push(
          loc.problem(
            "error",
            "HOOKLINE_WORKFLOW_LOOP",
            path,
            `run-workflow in an automation that reacts to every workflow run starting (${looping}): the run it starts triggers it again, endlessly`,
            "narrow the trigger to one workflow (match_related: {prefect.resource.role: workflow, prefect.resource.name: NAME}), expect finished states only (e.g. github.workflow-run.Failed), or set `only_states: [Failed]` on the action",
          ),
        );
      }
    });
  }

  const reactiveEvent =
    (trigger.type === undefined || trigger.type === "event") && (trigger as { posture?: string }).posture !== "Proactive";
  if (reactiveEvent && entry.raw.actions_on_resolve.length > 0) {
    out.push(
      loc.problem(
        "warning",
        "HOOKLINE_RESOLVE_NEVER_RUNS",
        entry.generated_from ? entry.path : [...entry.path, "actions_on_resolve"],
        "`actions_on_resolve` never run: only Proactive triggers resolve",
        "set `posture: Proactive` on the trigger, or move these actions to `actions`",
        "key",
      ),
    );
  }
}

function toStates(value: unknown): StateName[] {
  return ([] as StateName[]).concat(value as StateName | StateName[]);
}

/** true when the action's state filters let a Pending or Running event through */
function admitsRunStart(action: RawAction): boolean {
  const only = action.only_states === undefined ? null : toStates(action.only_states);
  const ignore = action.ignore_states === undefined ? null : toStates(action.ignore_states);
  return (["Pending", "Running"] as const).some((s) => passesStateFilters(s, only, ignore));
}
