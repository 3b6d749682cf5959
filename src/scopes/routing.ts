/**
 * Which scopes evaluate an event, and which origin hookline records on it (DESIGN.md "Scopes"; docs/security.md).
 *
 * Scopes are walls: what a scope's automations produce (firing events, action outcomes, emitted events, pauses)
 * is evaluated by that scope only. The `server` scope (the operator's automations) sees what the operator routes
 * to it (custom webhooks, the events API, GitHub deliveries of installed repositories, database sources), never
 * what a repository's automations produce.
 *
 * - `firing`: firing events and `hookline.action.triggered`, produced while evaluating `scope`: the engine of
 *   `scope` already chained them itself, so they are queued for no scope (stored for the feed and the audit).
 * - `action`: events of executing an action of `scope` (`hookline.action.executed|failed`, emit-event output,
 *   pause/resume): `scope` alone evaluates them.
 */
import type { Origin } from "../events/origin.js";

export const SERVER_SCOPE = "server";
export const REPO_SCOPE_PREFIX = "repo:";

export function scopesOfProduced(scope: string, kind: "firing" | "action"): string[] {
  return kind === "firing" ? [] : [scope];
}

/** The origin recorded on what a scope's automations produce: `server`, or the repository of a `repo:` scope. */
export function originOfScope(scope: string): Origin {
  if (scope === SERVER_SCOPE) return { kind: "server", name: "" };
  if (scope.startsWith(REPO_SCOPE_PREFIX)) return { kind: "repo", name: scope.slice(REPO_SCOPE_PREFIX.length) };
  // a scope the server does not know by kind: named as it is, never as the server's
  return { kind: "repo", name: scope };
}
