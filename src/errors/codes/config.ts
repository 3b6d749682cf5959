/**
 * Codes of the configuration files (automations.yaml and the YAML reader every file shares): each problem is
 * reported with `file:line:col` by `hookline validate`, the Action's annotations and the App's check run.
 */
import type { CodeTable } from "./table.js";

export const CONFIG_CODES = {
  HOOKLINE_FILE_TOO_LARGE: {
    summary: "The configuration file is larger than 1 MiB and was not parsed.",
    fix: "Split it, or remove automations nobody uses.",
  },
  HOOKLINE_EMPTY_FILE: {
    summary: "The configuration file is empty.",
    fix: "Start it with its top-level key (`automations:`, `webhooks:`, `sources:`, `rules:`) and a list of entries.",
  },
  HOOKLINE_NOT_TEXT: {
    summary: "The file is not text (it holds bytes that are not UTF-8).",
    fix: "Save the file as UTF-8 text.",
  },
  HOOKLINE_YAML_SYNTAX: {
    summary: "The YAML cannot be parsed.",
    fix: "Fix the syntax at the reported line and column (indentation, an unclosed quote or bracket, a tab).",
  },
  HOOKLINE_YAML_WARNING: {
    summary: "The YAML parser warned about the file (it was read, but perhaps not as meant).",
    fix: "Read the warning at the reported position and write the value unambiguously (quote it).",
  },
  HOOKLINE_YAML_TOO_DEEP: {
    summary: "The YAML is nested deeper than hookline reads.",
    fix: "Flatten the structure.",
  },
  HOOKLINE_YAML_ALIAS_LIMIT: {
    summary: "YAML aliases expand too much: the file looks like a resource-exhaustion attack.",
    fix: "Write the values out instead of repeating aliases (`*name`).",
  },
  HOOKLINE_DUPLICATE_KEY: {
    summary: "A key appears twice in one mapping.",
    fix: "Remove or rename one of them.",
  },
  HOOKLINE_NON_STRING_KEY: {
    summary: "A mapping key is not a string (a number, a list, a mapping).",
    fix: 'Quote the key (`"404": ...`) or use a plain string key.',
  },
  HOOKLINE_FORBIDDEN_KEY: {
    summary: "The file uses `__proto__` as a key, which could re-parent objects downstream.",
    fix: "Rename the key.",
  },
  HOOKLINE_NOT_A_MAPPING: {
    summary: "The file is not a mapping with its top-level key.",
    fix: "Start the file with its key (`webhooks:`, `sources:`) and put the entries under it.",
  },
  HOOKLINE_UNKNOWN_FIELD: {
    summary: "A field hookline does not know (often a typo).",
    fix: "Use the field the hint suggests, or remove it; `hookline schema` lists every field.",
  },
  HOOKLINE_UNKNOWN_TYPE: {
    summary: "An unknown trigger or action `type`.",
    fix: "Use one of the types the message lists (docs/semantics.md describes them).",
  },
  HOOKLINE_UNKNOWN_STATE: {
    summary: "An unknown automation state in `only_states` or `ignore_states`.",
    fix: "Use one of the states the message lists.",
  },
  HOOKLINE_INVALID_TYPE: {
    summary: "A field has the wrong type (a list where a string belongs, a string where a number belongs, ...).",
    fix: "Write the value with the type the message names.",
  },
  HOOKLINE_INVALID_VALUE: {
    summary: "A field's value is out of range or not one of the allowed values.",
    fix: "Use a value the message allows.",
  },
  HOOKLINE_MISSING_FIELD: {
    summary: "A required field is missing.",
    fix: "Add the field the message names.",
  },
  HOOKLINE_INLINE_SECRET: {
    summary: "The file would hold a secret (a token, a password, a webhook URL) in clear text.",
    fix: "Put the secret in an environment variable or repository secret and name it with the `*_env` field.",
  },
  HOOKLINE_INVALID_DURATION: {
    summary: "A duration is not valid or not longer than 0.",
    fix: "Write seconds (`300`) or a duration such as `30s`, `5m`, `2h`, `1d`.",
  },
  HOOKLINE_DUPLICATE_NAME: {
    summary: "Two automations have the same name.",
    fix: "Give each automation its own name: names identify their state and their pauses.",
  },
  HOOKLINE_NO_AUTOMATIONS: {
    summary: "The automations file defines no automations (a warning).",
    fix: "Add automations under `automations:`.",
  },
  HOOKLINE_INTERNAL: {
    summary: "hookline failed in a way it did not expect (a bug), while reading a file or answering a request.",
    fix: "Report it with the message (and, for the server, the request id and the server log).",
  },
  HOOKLINE_TRIGGER_MATCHES_EVERYTHING: {
    summary: "A trigger's `expect`, `match` and `match_related` are all empty: it would react to every event.",
    fix: "Name the events it waits for in `expect` (or narrow it with `match`).",
  },
  HOOKLINE_TRIGGER_NEVER_FIRES_NAME: {
    summary: "A trigger expects an event name no source ever emits (a warning; an error with --strict).",
    fix: "Check the event name against the event catalogue (docs/validate.md); the hint suggests the nearest name.",
  },
  HOOKLINE_TRIGGER_NEVER_FIRES_STATE: {
    summary: "A trigger matches a state its events never carry (a warning; an error with --strict).",
    fix: "Use a state the event can have (the hint lists them).",
  },
  HOOKLINE_TRIGGER_NEVER_FIRES_LABEL: {
    summary: "A trigger matches a resource label its events never carry (a warning; an error with --strict).",
    fix: "Use a label the event has (the hint lists them), or match it on a related resource.",
  },
  HOOKLINE_THRESHOLD_ZERO: {
    summary: "`threshold: 0` on a trigger: a Reactive trigger would fire on no event, a Proactive one always.",
    fix: "Use a threshold of at least 1 (a Proactive trigger with threshold 1 fires when no event came).",
  },
  HOOKLINE_REQUIRE_OUT_OF_RANGE: {
    summary: "A compound trigger's `require` is larger than its number of triggers.",
    fix: "Set `require` to `any`, `all` or a number up to the number of triggers.",
  },
  HOOKLINE_RELATED_KEY_IN_MATCH: {
    summary: "`match` names a label of a related resource; `match` reads the primary resource only.",
    fix: "Move the condition to `match_related` (with the resource's `prefect.resource.role`).",
  },
  HOOKLINE_REPEAT_NOT_PROACTIVE: {
    summary: "`repeat` is set on a trigger that is not Proactive.",
    fix: "Remove `repeat`, or make the trigger `posture: Proactive`.",
  },
  HOOKLINE_PROACTIVE_WITHIN_TOO_SHORT: {
    summary: "A Proactive trigger's `within` is shorter than the minimum.",
    fix: "Set `within` to at least the number of seconds the message names.",
  },
  HOOKLINE_NEGATED_ID_WITHOUT_ROLE: {
    summary: "A negated resource id in `match_related` without a role is satisfied by almost any related resource.",
    fix: "Add `prefect.resource.role` to that entry of `match_related`.",
  },
  HOOKLINE_MIXED_NEGATION: {
    summary: "A list mixes positive and negated (`!`) patterns; the negated one lets almost everything through.",
    fix: "Use only positive patterns, or only negated ones, in one list.",
  },
  HOOKLINE_RESOLVE_NEVER_RUNS: {
    summary: "`actions_on_resolve` is set on a trigger that never resolves (only Proactive triggers do).",
    fix: "Remove `actions_on_resolve`, or make the trigger Proactive.",
  },
  HOOKLINE_SELF_TRIGGER: {
    summary: "An automation would trigger on the events its own actions emit, again and again.",
    fix: "Narrow the trigger (`match` on the resource) so its own events do not match, or emit another event name.",
  },
  HOOKLINE_BOTH_STATE_FILTERS: {
    summary: "`ignore_states` lists states that `only_states` already excludes: it changes nothing.",
    fix: "Keep one of the two filters.",
  },
  HOOKLINE_CONFLICTING_FIELDS: {
    summary: "Two fields of an action contradict each other (e.g. `source: inferred` and an explicit `run_id`).",
    fix: "Keep one of them, as the message says.",
  },
  HOOKLINE_UNKNOWN_AUTOMATION: {
    summary: "A pause or resume action names an automation this file does not define.",
    fix: "Use the name of an automation of the same file (the hint suggests the nearest).",
  },
  HOOKLINE_RESERVED_EVENT_NAME: {
    summary: "An emitted event uses a name reserved for hookline's own events or another source (`hookline.*`, `github.*`, ...).",
    fix: "Pick an event name of your own (e.g. `acme.deploy.requested`).",
  },
  HOOKLINE_WORKFLOW_LOOP: {
    summary: "run-workflow in an automation that reacts to every workflow run starting: each run triggers it again.",
    fix: "Narrow the trigger (match the workflow's name or conclusion) so the run it starts does not match.",
  },
  HOOKLINE_WORKFLOW_NOT_FOUND: {
    summary: "run-workflow names a workflow file that does not exist in the repository.",
    fix: "Check the file name (with .yml or .yaml), or add `repository: owner/name` for another repository.",
  },
  HOOKLINE_WORKFLOW_NOT_DISPATCHABLE: {
    summary: "run-workflow names a workflow that cannot be dispatched.",
    fix: "Add `on: workflow_dispatch:` (with its `inputs:`) to that workflow.",
  },
  HOOKLINE_WORKFLOW_INPUT_MISSING: {
    summary: "The workflow requires an input the action does not pass.",
    fix: "Add the input under the action's `inputs:`.",
  },
  HOOKLINE_WORKFLOW_INPUT_UNKNOWN: {
    summary: "The action passes an input the workflow does not declare (GitHub rejects the dispatch).",
    fix: "Remove the input, or declare it under `on.workflow_dispatch.inputs` of the workflow.",
  },
} as const satisfies CodeTable;
