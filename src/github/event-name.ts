/**
 * Event names `github.<kind>.<action-or-state>` (DESIGN.md "GitHub → standard events").
 *
 * - kind: the webhook name in kebab case (`pull_request` → `pull-request`); characters other than
 *   `a-z 0-9 -` become `-`.
 * - last part: for run-like webhooks the run state (see state.ts); otherwise the payload's `action` as GitHub
 *   spells it (`review_requested`, `closed_by_user`), with whitespace and dots replaced by `_` (the event-name
 *   grammar forbids them inside a segment) and cut to {@link SEGMENT_MAX} characters.
 * - Webhooks without `action` get a fixed past-tense verb, listed in {@link ACTIONLESS_VERBS}: e.g.
 *   `github.push.pushed`, `github.create.created`, `github.workflow-dispatch.dispatched`,
 *   `github.schedule.triggered`. Two of them name their outcome instead: `status` uses its `state`
 *   (`github.status.success`) and `repository_import` its `status`. Unknown action-less webhooks use `received`.
 */
export const SEGMENT_MAX = 200;

export const ACTIONLESS_VERBS: Readonly<Record<string, string>> = {
  push: "pushed",
  create: "created",
  delete: "deleted",
  fork: "created",
  gollum: "edited",
  page_build: "built",
  public: "publicized",
  team_add: "added",
  workflow_dispatch: "dispatched",
  schedule: "triggered",
  repository_dispatch: "dispatched",
  status: "updated",
  repository_import: "updated",
};

export const DEFAULT_VERB = "received";

export function kebabKind(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, SEGMENT_MAX);
}

/** one dotted segment from free text; undefined when nothing is left */
export function segment(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = value.replace(/[\s.]+/g, "_").slice(0, SEGMENT_MAX);
  return s.length > 0 ? s : undefined;
}

export function verbFor(name: string): string {
  return Object.prototype.hasOwnProperty.call(ACTIONLESS_VERBS, name) ? ACTIONLESS_VERBS[name]! : DEFAULT_VERB;
}

export function eventName(kind: string, last: string): string {
  return `github.${kind}.${last}`;
}
