/**
 * Trigger rules beyond the schema (SEMANTICS.md §2–4): mixed negation and negated ids without a role
 * (warnings), triggers that match everything, Proactive windows, `repeat`, `require` ranges.
 */
import { mixesNegation } from "../events/glob.js";
import { RESOURCE_ID, RESOURCE_ROLE } from "../events/labels.js";
import { parseDuration } from "./duration.js";
import { PROACTIVE_MIN_WITHIN, toList } from "./normalize.js";
import type { Problem } from "./problems.js";
import type { RawCompound, RawEventTrigger, RawSequence, RawTrigger } from "./raw-schema.js";
import type { Locator, Path } from "./source-locator.js";

export function checkTrigger(trigger: RawTrigger, path: Path, loc: Locator, out: Problem[]): void {
  if (trigger.type === "compound" || trigger.type === "sequence") {
    const composite = trigger as RawCompound | RawSequence;
    const children = composite.triggers as RawTrigger[];
    children.forEach((child, i) => checkTrigger(child, [...path, "triggers", i], loc, out));
    if (composite.type === "compound" && typeof composite.require === "number" && composite.require > children.length) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_REQUIRE_OUT_OF_RANGE",
          [...path, "require"],
          `require: ${composite.require} but the compound trigger has only ${children.length} trigger(s)`,
          `use a number from 1 to ${children.length}, \`all\` or \`any\``,
        ),
      );
    }
    return;
  }
  checkEventTrigger(trigger as RawEventTrigger, path, loc, out);
}

function checkEventTrigger(t: RawEventTrigger, path: Path, loc: Locator, out: Problem[]): void {
  const match = t.match ?? {};
  const related = toList<Record<string, string | string[]>>(t.match_related);
  const expect = toList(t.expect);

  if (expect.length === 0 && Object.keys(match).length === 0 && related.every((m) => Object.keys(m).length === 0)) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_TRIGGER_MATCHES_EVERYTHING",
        path,
        "this trigger's `expect`, `match` and `match_related` are all empty: it would react to every event, its own action events included",
        "set `expect` to the event names it is about (e.g. `github.workflow-run.Failed`) or narrow it with `match`",
      ),
    );
  }

  for (const field of ["expect", "after"] as const) {
    const value = t[field];
    if (Array.isArray(value) && mixesNegation(value)) out.push(mixedNegation([...path, field], loc));
  }
  for (const [label, patterns] of Object.entries(match)) {
    if (Array.isArray(patterns) && mixesNegation(patterns)) out.push(mixedNegation([...path, "match", label], loc));
    if (label.startsWith("related:")) {
      out.push(
        loc.problem(
          "warning",
          "HOOKLINE_RELATED_KEY_IN_MATCH",
          [...path, "match", label],
          `\`match\` reads the primary resource only, so \`${label}\` is looked up as a literal label name`,
          "match related resources with `match_related: {prefect.resource.role: ROLE, LABEL: PATTERN}`",
          "key",
        ),
      );
    }
  }
  const relatedPath = (i: number): Path => (Array.isArray(t.match_related) ? [...path, "match_related", i] : [...path, "match_related"]);
  related.forEach((m, i) => {
    for (const [label, patterns] of Object.entries(m)) {
      if (Array.isArray(patterns) && mixesNegation(patterns)) out.push(mixedNegation([...relatedPath(i), label], loc));
    }
    const id = m[RESOURCE_ID];
    if (id !== undefined && toList(id).some((p) => p.startsWith("!")) && m[RESOURCE_ROLE] === undefined) {
      out.push(
        loc.problem(
          "warning",
          "HOOKLINE_NEGATED_ID_WITHOUT_ROLE",
          [...relatedPath(i), RESOURCE_ID],
          `a negated \`${RESOURCE_ID}\` in match_related without \`${RESOURCE_ROLE}\` is satisfied by almost any related resource`,
          `add \`${RESOURCE_ROLE}\` to say which related resource it is about`,
          "key",
        ),
      );
    }
  });

  const proactive = t.posture === "Proactive";
  if (proactive && t.within !== undefined) {
    const within = parseDuration(t.within);
    if (within !== null && within < PROACTIVE_MIN_WITHIN) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_PROACTIVE_WITHIN_TOO_SHORT",
          [...path, "within"],
          `a Proactive trigger's \`within\` must be at least ${PROACTIVE_MIN_WITHIN} seconds (got ${within})`,
          `omit it for the default of ${PROACTIVE_MIN_WITHIN} s, or give a longer window such as 5m`,
        ),
      );
    }
  }
  if (t.threshold === 0) {
    out.push(
      loc.problem(
        "warning",
        "HOOKLINE_THRESHOLD_ZERO",
        [...path, "threshold"],
        proactive
          ? "a Proactive trigger with `threshold: 0` never fires: no count of events is fewer than 0"
          : "a Reactive trigger with `threshold: 0` acts as `threshold: 1` (it fires on the first expected event)",
        proactive
          ? "use `threshold: 1` to alert when no expected event arrives in the window"
          : "write `threshold: 1`, or remove it (1 is the default)",
      ),
    );
  }
  if (t.repeat !== undefined) {
    if (!proactive) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_REPEAT_NOT_PROACTIVE",
          [...path, "repeat"],
          "`repeat` applies only to Proactive triggers (it re-fires while an absence alarm lasts)",
          "remove `repeat`, or set `posture: Proactive`",
          "key",
        ),
      );
    } else if (parseDuration(t.repeat) === 0) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_INVALID_DURATION",
          [...path, "repeat"],
          "`repeat` must be longer than 0",
          "remove it to alert once per incident",
        ),
      );
    }
  }
}

function mixedNegation(path: Path, loc: Locator): Problem {
  return loc.problem(
    "warning",
    "HOOKLINE_MIXED_NEGATION",
    path,
    "this list mixes positive and negated (`!`) patterns; a list holds when ANY pattern holds, so the negated one lets almost everything through",
    "use only positive patterns, or only negated ones",
  );
}
