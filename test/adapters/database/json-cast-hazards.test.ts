/**
 * The capture's functions are SECURITY DEFINER and turn rows into JSON, which runs any `CREATE CAST (t AS json)`
 * the owner of a column's type t created, as the functions' owner (src/database/json-cast-hazards.ts). This pins
 * the rule: install refuses (HOOKLINE_DB_UNSAFE_TYPE, nothing changed) when a captured column's type, walked
 * through arrays, domains and composites, is owned by a role that is neither a superuser nor the functions' owner,
 * whether a non-superuser or a superuser installs; a table owner capturing its own types (and its own cast) still
 * installs and captures; `db status` reports a cast or an owner changed after install. On PGlite and PostgreSQL
 * (PGlite has roles, SET ROLE and privilege checks; everything here runs on both).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureStatus, DatabaseSourceError, installCapture, invokeRow } from "../../../src/adapters/database/index.js";
import type { Db, QueryResult } from "../../../src/store/sql/db.js";
import { ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const suffix = randomBytes(4).toString("hex");
/** the table owner who installs the capture (not a superuser), and a hostile role owning types and functions */
const OWNER = `hl_owner_${suffix}`;
const HOSTILE = `hl_hostile_${suffix}`;
/** the escalation the hostile cast attempts: if it ever ran as a superuser, this role would exist */
const PWNED = `hl_pwned_${suffix}`;

const source = (schema: string, table: string, more = "") =>
  sourceOf(
    `sources:\n  - name: ${schema.replace(/_/g, "-")}\n    capture_schema: ${schema}\n    tables:\n      - table: ${table}\n${more}`,
  );

/** the Db port, every statement run as `role` (SET LOCAL ROLE in each transaction) */
function asRole(db: Db, role: string): Db {
  const within = <T>(fn: (tx: Db) => Promise<T>) =>
    db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      return fn(tx);
    });
  return {
    kind: db.kind,
    query: <T>(sql: Parameters<Db["query"]>[0], params?: readonly unknown[]) =>
      within((tx) => tx.query<T>(sql, params)) as Promise<QueryResult<T>>,
    transaction: within,
    close: async () => {},
  };
}

async function refusal(run: Promise<unknown>): Promise<DatabaseSourceError> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseSourceError);
  expect((err as DatabaseSourceError).code).toBe("HOOKLINE_DB_UNSAFE_TYPE");
  return err as DatabaseSourceError;
}

describe.each(ENGINES)("json cast hazards on %s", (kind) => {
  let t: TestDb;
  const exists = async (sql: string, params: unknown[]) => (await t.db.query(sql, params)).rows.length > 0;
  beforeAll(async () => {
    t = await openTestDb(kind);
    // one transaction, so SET LOCAL ROLE never outlives it on a pooled connection
    const setup = [
      `CREATE ROLE ${OWNER}`,
      `CREATE ROLE ${HOSTILE}`,
      `DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${OWNER}', current_database()); END $$`,
      `CREATE SCHEMA hx AUTHORIZATION ${HOSTILE}`,
      `GRANT USAGE ON SCHEMA hx TO ${OWNER}`,
      `CREATE SCHEMA ox AUTHORIZATION ${OWNER}`,
      // the hostile role's enum, a cast of it to json whose function tries to create a superuser, and types built on it
      `CREATE TYPE public.mood_h AS ENUM ('calm', 'angry')`,
      `ALTER TYPE public.mood_h OWNER TO ${HOSTILE}`,
      `SET LOCAL ROLE ${HOSTILE}`,
      `CREATE FUNCTION hx.escalate(public.mood_h) RETURNS json LANGUAGE plpgsql AS $$
       BEGIN EXECUTE 'CREATE ROLE ${PWNED} SUPERUSER'; RETURN pg_catalog.to_json($1::text); END $$`,
      `CREATE CAST (public.mood_h AS json) WITH FUNCTION hx.escalate(public.mood_h)`,
      `SET LOCAL ROLE NONE`,
      `CREATE TYPE public.visit_h AS (at text, mood public.mood_h)`,
      `ALTER TYPE public.visit_h OWNER TO ${HOSTILE}`,
      `CREATE DOMAIN public.moods_d AS public.mood_h[]`,
      `ALTER DOMAIN public.moods_d OWNER TO ${OWNER}`,
      // the owner's own types: an enum with the owner's own cast, a composite of an enum, a domain
      `CREATE TYPE public.level_o AS ENUM ('low', 'high')`,
      `CREATE TYPE public.size_o AS ENUM ('s', 'l')`,
      `CREATE TYPE public.box_o AS (size public.size_o, n integer)`,
      `CREATE DOMAIN public.note_o AS text CHECK (VALUE <> '')`,
      ...["level_o", "size_o", "box_o"].map((ty) => `ALTER TYPE public.${ty} OWNER TO ${OWNER}`),
      `ALTER DOMAIN public.note_o OWNER TO ${OWNER}`,
      // (1) the owner's table with columns of the hostile role's types
      `CREATE TABLE public.tickets (id bigint PRIMARY KEY, mood public.mood_h, moods public.moods_d, body text)`,
      // (2) the hostile role's own table and types, which a superuser installs
      `CREATE TABLE public.rentals (id bigint PRIMARY KEY, visits public.visit_h[])`,
      `ALTER TABLE public.rentals OWNER TO ${HOSTILE}`,
      // the harmless case: the owner's table of its own types
      `CREATE TABLE public.orders (id bigint PRIMARY KEY, level public.level_o, boxes public.box_o[], note public.note_o)`,
      // invoked by hand (manual): the owner's table of the owner's own enum
      `CREATE TYPE public.stage_o AS ENUM ('packed', 'sent')`,
      `ALTER TYPE public.stage_o OWNER TO ${OWNER}`,
      `CREATE TABLE public.shipments (id bigint PRIMARY KEY, stage public.stage_o)`,
      `ALTER TABLE public.shipments OWNER TO ${OWNER}`,
      `INSERT INTO public.shipments VALUES (7, 'sent')`,
      `ALTER TABLE public.tickets OWNER TO ${OWNER}`,
      `ALTER TABLE public.orders OWNER TO ${OWNER}`,
      `SET LOCAL ROLE ${OWNER}`,
      `CREATE FUNCTION ox.level_json(public.level_o) RETURNS json LANGUAGE sql AS $$ SELECT pg_catalog.to_json(pg_catalog.upper($1::text)) $$`,
      `CREATE CAST (public.level_o AS json) WITH FUNCTION ox.level_json(public.level_o)`,
      `SET LOCAL ROLE NONE`,
    ];
    await t.db.transaction(async (tx) => {
      for (const statement of setup) await tx.query(statement);
    });
  });
  afterAll(async () => {
    if (!t) return;
    await t.db.query(`DROP SCHEMA IF EXISTS hx, ox CASCADE`);
    const roles = await t.db.query<{ rolname: string }>(`SELECT rolname FROM pg_roles WHERE rolname = ANY ($1::text[])`, [
      [OWNER, HOSTILE, PWNED],
    ]);
    for (const { rolname } of roles.rows) {
      await t.db.query(`DROP OWNED BY ${rolname}`);
      await t.db.query(`DROP ROLE ${rolname}`);
    }
    await t.close();
  });

  it("install refuses a column whose type (or an array's element under a domain) another non-superuser owns; nothing is installed", async () => {
    const err = await refusal(installCapture(asRole(t.db, OWNER), source("cap_tickets", "tickets"), newId));
    expect(err.message).toMatch(/source cap-tickets: the capture was not installed.*nothing was changed/);
    expect(err.problems).toEqual([
      // for each column in name order: the cast whose function the hostile role owns, then the type it owns
      expect.stringMatching(
        new RegExp(
          `^column \`mood\` of public\\.tickets: the cast of type mood_h to json runs hx\\.escalate\\(mood_h\\), owned by role \`${HOSTILE}\`, neither a superuser nor \`${OWNER}\`.*Fix: DROP CAST \\(mood_h AS json\\)`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^column \`mood\` of public\\.tickets: type mood_h is owned by role \`${HOSTILE}\`, neither a superuser nor \`${OWNER}\`, the role the capture's functions run as: .*CREATE CAST \\(mood_h AS json\\).*Fix: install as \`${HOSTILE}\` if it owns the table, or have a superuser run ALTER TYPE mood_h OWNER TO ${OWNER}, or leave the column out \\(exclude_columns\\)$`,
        ),
      ),
      // through the owner's own domain over an array of the hostile enum
      expect.stringMatching(/^column `moods` of public\.tickets \(type moods_d\): the cast of type mood_h to json runs hx\.escalate/),
      expect.stringMatching(
        new RegExp(`^column \`moods\` of public\\.tickets \\(type moods_d\\): type mood_h is owned by role \`${HOSTILE}\``),
      ),
    ]);
    expect(await exists(`SELECT 1 FROM pg_namespace WHERE nspname = 'cap_tickets'`, [])).toBe(false);
    expect(await exists(`SELECT 1 FROM pg_trigger WHERE tgrelid = 'public.tickets'::regclass`, [])).toBe(false);
    // the fix the message names: leave the columns out, and the capture installs and captures
    const fixed = source("cap_tickets", "tickets", "        exclude_columns: [mood, moods]\n");
    await installCapture(asRole(t.db, OWNER), fixed, newId);
    await t.db.query(`INSERT INTO public.tickets VALUES (1, 'angry', '{calm}', 'hi')`);
    const logged = await t.db.query<{ new_row: unknown }>(`SELECT new_row FROM cap_tickets.log`);
    expect(logged.rows).toEqual([{ new_row: { id: 1, body: "hi" } }]);
    expect(await exists(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [PWNED])).toBe(false);
  });

  it("a superuser installing on a table whose owner owns its column's composite type is refused (that owner would become superuser)", async () => {
    const err = await refusal(installCapture(t.db, source("cap_rentals", "rentals"), newId));
    const lines = err.problems.join("\n");
    // the superuser who installs owns the functions: the hostile table owner's array, composite, enum and cast are named
    for (const part of ["visit_h", "mood_h"])
      expect(lines).toContain(
        `column \`visits\` of public.rentals (type visit_h[]): type ${part} is owned by role \`${HOSTILE}\`, neither a superuser nor \`postgres\``,
      );
    expect(lines).toContain("the cast of type mood_h to json runs hx.escalate(mood_h)");
    // the hook is live: turning the enum into JSON runs the hostile function (refused here, run as that role itself)
    await expect(asRole(t.db, HOSTILE).query(`SELECT pg_catalog.to_json('calm'::public.mood_h)`)).rejects.toThrow(
      /permission denied to create role|must be superuser to create superusers/,
    );
    expect(await exists(`SELECT 1 FROM pg_namespace WHERE nspname = 'cap_rentals'`, [])).toBe(false);
    expect(await exists(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [PWNED])).toBe(false);
  });

  it("the table's owner capturing its own types (and its own cast to json) installs and captures; status then finds a cast or an owner changed later", async () => {
    const orders = source("cap_orders", "orders");
    const owner = asRole(t.db, OWNER);
    expect((await installCapture(owner, orders, newId)).tables).toEqual([{ schema: "public", table: "orders", action: "installed" }]);
    await t.db.query(`INSERT INTO public.orders VALUES (1, 'high', ARRAY[ROW('l', 2)]::public.box_o[], 'n')`);
    const logged = await t.db.query<{ new_row: unknown }>(`SELECT new_row FROM cap_orders.log`);
    expect(logged.rows).toEqual([{ new_row: { id: 1, level: "HIGH", boxes: [{ size: "l", n: 2 }], note: "n" } }]);
    expect((await captureStatus(t.db, orders)).tables[0]!.drift).toEqual([]);

    // later, the owner makes a cast of the composite's enum run a function the hostile role owns (and may replace)
    await t.db.query(`CREATE FUNCTION hx.size_json(public.size_o) RETURNS json LANGUAGE sql AS $$ SELECT pg_catalog.to_json($1::text) $$`);
    await t.db.query(`ALTER FUNCTION hx.size_json(public.size_o) OWNER TO ${HOSTILE}`);
    await owner.query(`CREATE CAST (public.size_o AS json) WITH FUNCTION hx.size_json(public.size_o)`);
    expect((await captureStatus(t.db, orders)).tables[0]!.drift).toEqual([
      expect.stringMatching(
        new RegExp(
          `^unsafe \\(HOOKLINE_DB_UNSAFE_TYPE\\): column \`boxes\` of public\\.orders \\(type box_o\\[\\]\\): the cast of type size_o to json runs hx\\.size_json\\(size_o\\), owned by role \`${HOSTILE}\`, neither a superuser nor \`${OWNER}\`.*Fix: DROP CAST \\(size_o AS json\\)`,
        ),
      ),
    ]);
    // and a superuser hands the enum to the hostile role: reported too, and a new install refuses
    await t.db.query(`ALTER TYPE public.level_o OWNER TO ${HOSTILE}`);
    const drift = (await captureStatus(t.db, orders)).tables[0]!.drift;
    expect(drift).toHaveLength(2);
    expect(drift.join("\n")).toContain(`column \`level\` of public.orders: type level_o is owned by role \`${HOSTILE}\``);
    // the owner's own cast function stays the owner's: not a hazard
    expect(drift.join("\n")).not.toContain("level_json");
    await refusal(installCapture(owner, orders, newId));
  });

  it("db invoke refuses a row whose column's type another role owns: the row's JSON is built as the server's own role", async () => {
    const shipments = source("cap_shipments", "shipments", "        operations: [update, manual]\n");
    const owner = asRole(t.db, OWNER);
    await installCapture(owner, shipments, newId);
    // the server connects as a superuser: the owner's enum (and any cast of it the owner creates) would run as that
    const err = await refusal(invokeRow(t.db, shipments, { schema: "public", table: "shipments", key: ["7"] }));
    expect(err.message).toMatch(/^public\.shipments: the row was not invoked/);
    expect(err.problems).toEqual([
      `column \`stage\` of public.shipments: type stage_o is owned by role \`${OWNER}\`, neither a superuser nor \`postgres\`, the role ` +
        `this server connects as (it builds an invoked row's JSON): \`${OWNER}\` could CREATE CAST (stage_o AS json) and run code ` +
        `as \`postgres\` whenever a row is invoked. Fix: connect the server as \`${OWNER}\`, or have a superuser run ALTER TYPE ` +
        `stage_o OWNER TO postgres, or leave the column out (exclude_columns)`,
    ]);
    expect((await t.db.query(`SELECT 1 FROM cap_shipments.log`)).rows).toEqual([]);
    // connected as the type's owner (who also owns the capture's functions), the same row is invoked and logged
    const done = await invokeRow(owner, shipments, { schema: "public", table: "shipments", key: ["7"] });
    expect(done.logId).toMatch(/^\d+$/);
    const logged = await t.db.query<{ op: string; new_row: unknown }>(`SELECT op, new_row FROM cap_shipments.log`);
    expect(logged.rows).toEqual([{ op: "MANUAL", new_row: { id: 7, stage: "sent" } }]);
  });
});
