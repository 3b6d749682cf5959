/**
 * Where an event came from (DESIGN.md "Scopes"): every stored event carries exactly one related resource with role
 * `origin`, set by hookline and never by the caller. Automations read it like any label
 * (`related:origin:hookline.origin.kind`), the audit trail names it, and routing decides by it.
 *
 *   kind       name                 example resource id
 *   server     (none)               hookline.origin.server            the operator's own automations
 *   repo       <owner>/<name>       hookline.origin.repo.acme/api     a repository's automations (GitHub App scope)
 *   github     <owner>/<name>|app   hookline.origin.github.acme/api   a GitHub delivery (signed by GitHub)
 *   webhook    <slug>               hookline.origin.webhook.orders    a custom webhook (/hooks/<slug>)
 *   api        <token name>         hookline.origin.api.default       the events API
 *   slack      <user id>            hookline.origin.slack.U123        a Slack user (commands, buttons)
 *   database   <source>             hookline.origin.database.shop     a database change source
 */
import type { HooklineEvent, Resource } from "./event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "./labels.js";
import { uuidv5 } from "./uuid.js";

export const ORIGIN_ROLE = "origin";
/** every origin's id starts so */
export const ORIGIN_ID_PREFIX = "hookline.origin.";
export const ORIGIN_KIND_LABEL = "hookline.origin.kind";
export const ORIGIN_NAME_LABEL = "hookline.origin.name";

export type OriginKind = "server" | "repo" | "github" | "webhook" | "api" | "slack" | "database";

export interface Origin {
  kind: OriginKind;
  /** empty for `server` */
  name: string;
}

/** `hookline.origin.<kind>[.<name>]` */
export function originId(origin: Origin): string {
  return origin.name === "" ? `${ORIGIN_ID_PREFIX}${origin.kind}` : `${ORIGIN_ID_PREFIX}${origin.kind}.${origin.name}`;
}

/** The related resource that records `origin` on an event. */
export function originResource(origin: Origin): Resource {
  const r: Resource = { [RESOURCE_ID]: originId(origin), [RESOURCE_ROLE]: ORIGIN_ROLE, [ORIGIN_KIND_LABEL]: origin.kind };
  if (origin.name !== "") {
    r[ORIGIN_NAME_LABEL] = origin.name;
    r[RESOURCE_NAME] = origin.name;
  }
  return r;
}

/**
 * The event with `origin` as its only origin: any related resource a caller gave with role `origin` is dropped
 * (a caller cannot forge where an event came from), then hookline's is appended. Returns the same object when it
 * already carries exactly this origin last and no other.
 */
export function withOrigin(event: HooklineEvent, origin: Origin): HooklineEvent {
  const id = originId(origin);
  const related = event.related;
  let others = 0;
  for (const r of related) if (r[RESOURCE_ROLE] === ORIGIN_ROLE) others++;
  const last = related[related.length - 1];
  if (others === 1 && last !== undefined && last[RESOURCE_ROLE] === ORIGIN_ROLE && last[RESOURCE_ID] === id) return event;
  const kept = others === 0 ? related : related.filter((r) => r[RESOURCE_ROLE] !== ORIGIN_ROLE);
  return { ...event, related: [...kept, originResource(origin)] };
}

/** The origin recorded on a stored event, or undefined (events stored before origins existed). */
export function originOf(event: Pick<HooklineEvent, "related">): Origin | undefined {
  for (const r of event.related) {
    if (r[RESOURCE_ROLE] !== ORIGIN_ROLE) continue;
    const kind = r[ORIGIN_KIND_LABEL];
    if (kind === undefined) return undefined;
    return { kind: kind as OriginKind, name: r[ORIGIN_NAME_LABEL] ?? "" };
  }
  return undefined;
}

/**
 * An id (or `follows`) a caller chose, in its origin's namespace: UUIDv5 of the origin id and the caller's id. The
 * same caller sending the same id gets the same event (a retry dedupes); no source can take the id of another
 * source's next event (a webhook's, the API's, GitHub's).
 */
export function callerEventId(origin: Origin, id: string): string {
  return uuidv5(`${originId(origin)}\n${id}`);
}
