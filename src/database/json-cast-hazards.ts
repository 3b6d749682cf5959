/**
 * Who could run code inside the capture's SECURITY DEFINER functions through a cast to JSON. Turning a row into
 * JSON (to_json, json_build_object, json_agg) runs the function of a `CREATE CAST (t AS json)` for every
 * non-built-in type t it meets (a column's type, an array's elements, a composite's fields, a domain's base), and
 * PostgreSQL lets the OWNER of t create that cast. The function then runs as the capture functions' owner (the
 * role that installed them, often a superuser) on every change. So every type a captured column is made of must
 * be owned by a superuser or by that owner (built-in types are the bootstrap superuser's), and a cast of it to
 * json/jsonb must run a function owned by one of them too (a function's owner can replace its body at any time).
 *
 * Checked in the catalog by `hookline db install` (which refuses: HOOKLINE_DB_UNSAFE_TYPE) and `hookline db status`
 * (a cast or an owner changed later), never in the trigger bodies: the writer's cost stays as it is. The walk also
 * follows a range's subtype, which to_json prints with its output function (only a superuser creates those): it is
 * stricter than PostgreSQL needs, so a future json rule for ranges cannot open the hole again. An array type is
 * walked, not reported: its owner is always its element's, and to_json never looks up a cast of an array (nor of a
 * domain: it looks through to the base). Pure SQL text.
 */

/**
 * $1 schema, $2 table, $3 the captured columns (NULL: all), $4 the names of the capture's triggers on the table, $5
 * true when the connection's own role turns a row into JSON too (`db invoke` builds the row's image on it).
 * One row per hazard: `type` (a part type owned by another role) or `cast` (a cast to json/jsonb of a part type whose
 * function another role owns), for each role the table's capture functions run as (and the connection's, with $5:
 * `via_connection`).
 */
export const JSON_CAST_HAZARDS_SQL = `
WITH RECURSIVE
rel AS (
  SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname = $2
),
runner AS (
  SELECT p.proowner AS oid FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_proc p ON p.oid = g.tgfoid
  WHERE g.tgrelid = (SELECT oid FROM rel) AND g.tgname = ANY ($4::text[])
  UNION
  SELECT r.oid FROM pg_catalog.pg_roles r WHERE $5::boolean AND r.rolname = CURRENT_USER
),
walk (column_name, column_type, oid, seen) AS (
  SELECT a.attname::text, a.atttypid, a.atttypid, ARRAY[a.atttypid]
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = (SELECT oid FROM rel) AND a.attnum > 0 AND NOT a.attisdropped
    AND ($3::text[] IS NULL OR a.attname = ANY ($3::text[]))
  UNION ALL
  SELECT w.column_name, w.column_type, part.oid, w.seen || part.oid
  FROM walk w JOIN pg_catalog.pg_type t ON t.oid = w.oid
  CROSS JOIN LATERAL (
    SELECT t.typelem WHERE t.typelem <> 0
    UNION ALL SELECT t.typbasetype WHERE t.typtype = 'd'
    UNION ALL SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid
    UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = t.typrelid AND t.typrelid <> 0 AND a.attnum > 0 AND NOT a.attisdropped
  ) part (oid)
  WHERE part.oid <> ALL (w.seen)
)
SELECT 'type' AS kind, w.column_name, pg_catalog.format_type(w.column_type, NULL) AS column_type,
  pg_catalog.format_type(w.oid, NULL) AS type_name, o.rolname::text AS owner, r.rolname::text AS runner,
  NULL::text AS cast_target, NULL::text AS cast_function, ($5::boolean AND r.rolname = CURRENT_USER) AS via_connection
FROM walk w JOIN pg_catalog.pg_type t ON t.oid = w.oid JOIN pg_catalog.pg_roles o ON o.oid = t.typowner
CROSS JOIN runner JOIN pg_catalog.pg_roles r ON r.oid = runner.oid
WHERE NOT o.rolsuper AND t.typowner <> runner.oid AND NOT (t.typelem <> 0 AND t.typlen = -1)
UNION
SELECT 'cast', w.column_name, pg_catalog.format_type(w.column_type, NULL), pg_catalog.format_type(w.oid, NULL),
  fo.rolname::text, r.rolname::text, pg_catalog.format_type(c.casttarget, NULL), c.castfunc::pg_catalog.regprocedure::text,
  ($5::boolean AND r.rolname = CURRENT_USER)
FROM walk w JOIN pg_catalog.pg_type t ON t.oid = w.oid
JOIN pg_catalog.pg_cast c ON c.castsource = w.oid AND c.castmethod = 'f'
  AND c.casttarget IN ('pg_catalog.json'::pg_catalog.regtype, 'pg_catalog.jsonb'::pg_catalog.regtype)
JOIN pg_catalog.pg_proc p ON p.oid = c.castfunc JOIN pg_catalog.pg_roles fo ON fo.oid = p.proowner
CROSS JOIN runner JOIN pg_catalog.pg_roles r ON r.oid = runner.oid
WHERE t.typtype <> 'd' AND NOT (t.typelem <> 0 AND t.typlen = -1) AND NOT fo.rolsuper AND p.proowner <> runner.oid
ORDER BY 2, 1, 4, 8`;

export interface JsonCastHazard {
  kind: "type" | "cast";
  column: string;
  /** the column's declared type */
  columnType: string;
  /** the part type the hazard is on (the column's type itself, or an element, field, base or subtype of it) */
  type: string;
  /** the type's owner (`type`) or the cast function's owner (`cast`) */
  owner: string;
  /** the role the capture's functions run as, or (`viaConnection`) the role the server connects as */
  runner: string;
  /** the runner is the connection's own role (`db invoke` turns the row into JSON as it) */
  viaConnection: boolean;
  /** `cast`: json or jsonb, and the cast's function */
  castTarget: string | null;
  castFunction: string | null;
}

/** One line of an install or invoke error or a status drift: the table, the column, the type, its owner, and the fix. */
export function describeHazard(table: string, h: JsonCastHazard): string {
  const connection = h.viaConnection;
  const where = `column \`${h.column}\` of ${table}${h.columnType === h.type ? "" : ` (type ${h.columnType})`}`;
  const who = connection ? "the role this server connects as (it builds an invoked row's JSON)" : "the role the capture's functions run as";
  const runsAs = `neither a superuser nor \`${h.runner}\`, ${who}`;
  const when = connection ? "whenever a row is invoked" : "on every change";
  if (h.kind === "type") {
    const first = connection ? `connect the server as \`${h.owner}\`` : `install as \`${h.owner}\` if it owns the table`;
    return (
      `${where}: type ${h.type} is owned by role \`${h.owner}\`, ${runsAs}: \`${h.owner}\` could CREATE CAST (${h.type} AS json) ` +
      `and run code as \`${h.runner}\` ${when}. Fix: ${first}, or have a superuser ` +
      `run ALTER TYPE ${h.type} OWNER TO ${h.runner}, or leave the column out (exclude_columns)`
    );
  }
  return (
    `${where}: the cast of type ${h.type} to ${h.castTarget} runs ${h.castFunction}, owned by role \`${h.owner}\`, ${runsAs}: ` +
    `\`${h.owner}\` could replace that function and run code as \`${h.runner}\` ${when}. Fix: DROP CAST ` +
    `(${h.type} AS ${h.castTarget}), or have a superuser make \`${h.runner}\` own the function, or leave the column out (exclude_columns)`
  );
}
