/**
 * Which stored events a scope's replay may see (docs/what-if.md, docs/security.md "Routing"). Scopes are walls:
 * a what-if replay of scope X takes only the events that X evaluated when they arrived. The store keeps an
 * event's pending rows only until the scope evaluates it, so the scopes are worked out again from the event's
 * origin, which hookline set and no caller can forge, with the routing the server uses at ingest:
 *
 *   origin github <owner>/<name>   server and repo:<owner>/<name>
 *   origin repo <owner>/<name>     repo:<owner>/<name> (what its automations emitted, its repository_dispatch events)
 *   origin server                  server
 *   origin api                     server
 *   origin webhook <slug>          the webhook's `scopes:` (webhooks.yaml as loaded now)
 *   origin database <source>       the table's `scopes:`, else the source's (database.yaml as loaded now)
 *   no origin (stored before)      server
 *
 * Events a replay makes itself or cannot make are never taken from history: firing events
 * (`hookline.automation.triggered|resolved`: the replay fires its own and chains them, as `simulate` does),
 * action events (`hookline.action.*`: actions are not executed in a dry run) and pause events
 * (`hookline.automation.paused|resumed`: a replay runs every enabled automation as written).
 */
import type { HooklineEvent } from "../events/event-schema.js";
import { originOf } from "../events/origin.js";
import { REPO_SCOPE_PREFIX, SERVER_SCOPE } from "./routing.js";

/**
 * The routing of custom webhooks and database sources, as plain data: a replay's worker thread filters the events
 * itself (src/adapters/what-if/what-if-worker.ts), so the routes cross to it by structured clone (Maps clone).
 */
export interface ReplayRoutes {
  /** a custom webhook's scopes by the origin name its events carry (no entry: no such webhook now) */
  webhooks: ReadonlyMap<string, readonly string[]>;
  /** a database source's scopes and its tables' own, by source name (no entry: no such source now) */
  databases: ReadonlyMap<string, DatabaseRoute>;
}

export interface DatabaseRoute {
  scopes: readonly string[];
  /** a table listed with its own scopes; the event's `payload.table` ({schema, name}) picks it */
  tables: readonly { schema: string; table: string; scopes: readonly string[] }[];
}

function databaseScopes(route: DatabaseRoute | undefined, event: HooklineEvent): readonly string[] | undefined {
  if (!route) return undefined;
  const t = event.payload.table;
  const o = typeof t === "object" && t !== null && !Array.isArray(t) ? (t as Record<string, unknown>) : {};
  const table = route.tables.find((x) => x.schema === o.schema && x.table === o.name);
  return table ? table.scopes : route.scopes;
}

const NOT_FROM_HISTORY = /^hookline\.(automation\.(triggered|resolved|paused|resumed)|action\.)/;

/** True when `scope` evaluated `event` (per the routing above) and a replay should take it. */
export function replayTakes(scope: string, event: HooklineEvent, routes: ReplayRoutes): boolean {
  if (NOT_FROM_HISTORY.test(event.event)) return false;
  const origin = originOf(event);
  if (origin === undefined) return scope === SERVER_SCOPE;
  switch (origin.kind) {
    case "github":
      return scope === SERVER_SCOPE || scope === `${REPO_SCOPE_PREFIX}${origin.name}`;
    case "repo":
      return scope === `${REPO_SCOPE_PREFIX}${origin.name}`;
    case "server":
    case "api":
      return scope === SERVER_SCOPE;
    case "webhook":
      return routes.webhooks.get(origin.name)?.includes(scope) ?? false;
    case "database":
      return databaseScopes(routes.databases.get(origin.name), event)?.includes(scope) ?? false;
    default:
      return false;
  }
}

/** Routes that know no webhook and no database source (a server without them, the GitHub App's backtest). */
export const NO_ROUTES: ReplayRoutes = { webhooks: new Map(), databases: new Map() };
