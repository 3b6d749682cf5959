/**
 * Which scopes must evaluate an event a scope produced (see server.md "Scopes, events, evaluation").
 *
 * - `firing`: firing events and `hookline.action.triggered`, produced while evaluating `scope`. The engine of
 *   `scope` already chained them itself, so only the `server` scope (which sees every event) gets them, and
 *   the server's own are queued nowhere (stored for the feed only).
 * - `action`: events of executing an action of `scope` (`hookline.action.executed|failed`, emit-event output,
 *   pause/resume): `scope` must see them, and the server scope too.
 */
export const SERVER_SCOPE = "server";

export function scopesOfProduced(scope: string, kind: "firing" | "action"): string[] {
  if (kind === "firing") return scope === SERVER_SCOPE ? [] : [SERVER_SCOPE];
  return scope === SERVER_SCOPE ? [SERVER_SCOPE] : [scope, SERVER_SCOPE];
}
