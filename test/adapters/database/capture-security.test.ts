/**
 * The capture's trigger functions are SECURITY DEFINER without a `SET search_path` clause (its cost,
 * bench/README.md), so they run with the writer's search_path: every name in them must be qualified
 * (src/database/capture-sql.ts functionSql). This pins it: a writer with no right on the capture schema, whose
 * search_path puts their own schema first and who owns functions, aggregates, operators, types and temp tables
 * named like every name in the bodies (each one raises if called), still has every change logged exactly as
 * without them, and cannot write the log. On PGlite and on PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCapture } from "../../../src/adapters/database/index.js";
import { drain, ENGINES, newId, openTestDb, sourceOf, type TestDb } from "./helpers.js";

const ORDERS = `CREATE TABLE public.orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new', customer text, note text)`;
const SOURCE = "sources:\n  - name: shop\n    tables:\n      - table: orders\n";

/** the writer's decoys: each raises if the capture ever resolves a name to it */
const decoys = (role: string) => [
  `CREATE SCHEMA evil AUTHORIZATION ${role}`,
  `SET LOCAL ROLE ${role}`,
  `CREATE FUNCTION evil.hijacked() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$`,
  `CREATE FUNCTION evil.to_json(anyelement) RETURNS json LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked to_json'; END $$`,
  `CREATE FUNCTION evil.row_number() RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hijacked() $$`,
  `CREATE FUNCTION evil.txid_current() RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hijacked() $$`,
  `CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$`,
  `CREATE FUNCTION evil.current_setting(text, boolean) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked'; END $$`,
  `CREATE FUNCTION evil.step(bigint) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hijacked() $$`,
  `CREATE AGGREGATE evil.count(*) (SFUNC = evil.step, STYPE = bigint, INITCOND = '0')`,
  `CREATE FUNCTION evil.jstep(json, anyelement) RETURNS json LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked json_agg'; END $$`,
  `CREATE AGGREGATE evil.json_agg(anyelement) (SFUNC = evil.jstep, STYPE = json)`,
  ...["-", "/", "=", "<", ">"].flatMap((op, i) => [
    `CREATE FUNCTION evil.op${i}(bigint, integer) RETURNS bigint LANGUAGE sql AS $$ SELECT evil.hijacked() $$`,
    `CREATE OPERATOR evil.${op} (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = evil.op${i})`,
  ]),
  `CREATE TYPE evil.text AS (x integer)`,
  `CREATE DOMAIN evil.json AS integer CHECK (VALUE < 0)`,
  `CREATE DOMAIN evil.integer AS integer CHECK (VALUE < 0)`,
  // tables named like the transition tables, the log and the capture's schema, in the writer's temp schema and own
  `CREATE TEMP TABLE hookline_new (id bigint, status text, customer text, note text)`,
  `CREATE TEMP TABLE hookline_old (id bigint, status text, customer text, note text)`,
  `INSERT INTO hookline_new VALUES (666, 'forged', 'x', 'x')`,
  `INSERT INTO hookline_old VALUES (666, 'forged', 'x', 'x')`,
  `CREATE TEMP TABLE log (id bigint)`,
  `CREATE TABLE evil.log (id bigint)`,
  `CREATE TABLE evil.tables (id bigint)`,
];

describe.each(ENGINES)("capture security on %s", (kind) => {
  let t: TestDb;
  const role = `hookline_writer_${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    t = await openTestDb(kind);
    await t.db.query(ORDERS);
    await installCapture(t.db, sourceOf(SOURCE), newId);
    await t.db.query(`CREATE ROLE ${role}`);
    await t.db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await t.db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON public.orders TO ${role}`);
  });
  afterAll(async () => {
    if (t) {
      await t.db.query(`DROP SCHEMA IF EXISTS evil CASCADE`);
      await t.db.query(`DROP OWNED BY ${role}`);
      await t.db.query(`DROP ROLE ${role}`);
      await t.close();
    }
  });

  it("the trigger functions carry no SET clause and are SECURITY DEFINER", async () => {
    const { rows } = await t.db.query<{ proname: string; prosecdef: boolean; proconfig: string[] | null }>(
      `SELECT proname, prosecdef, proconfig FROM pg_proc WHERE pronamespace = 'hookline_capture'::regnamespace ORDER BY proname`,
    );
    expect(rows).toEqual(
      ["capture_1_delete", "capture_1_insert", "capture_1_update"].map((proname) => ({ proname, prosecdef: true, proconfig: null })),
    );
  });

  it("a writer's own objects named like those in the trigger bodies, first on their search_path, change nothing that is logged", async () => {
    await t.db.transaction(async (tx) => {
      for (const statement of decoys(role)) await tx.query(statement);
      await tx.query(`SET LOCAL search_path = evil, pg_temp, pg_catalog, public`);
      // the decoys are live: an unqualified name resolves to them and raises
      await tx.query(`SAVEPOINT live`);
      await expect(tx.query(`SELECT count(*) FROM hookline_new`)).rejects.toThrow(/hijacked/);
      await tx.query(`ROLLBACK TO SAVEPOINT live`);
      await tx.query(`INSERT INTO public.orders (id, customer) VALUES (1, 'ada')`);
      await tx.query(`INSERT INTO public.orders (id, customer) SELECT g, 'c' || g FROM pg_catalog.generate_series(2, 151) g`);
      await tx.query(`UPDATE public.orders SET status = 'paid' WHERE id OPERATOR(pg_catalog.=) 1`);
      await tx.query(`DELETE FROM public.orders WHERE id OPERATOR(pg_catalog.=) ANY (ARRAY[150, 151])`);
      // and the writer cannot write the log themselves
      await tx.query(`SAVEPOINT s`);
      await expect(tx.query(`INSERT INTO hookline_capture.log (table_id, op) VALUES (1, 'INSERT')`)).rejects.toThrow(/permission denied/);
      await tx.query(`ROLLBACK TO SAVEPOINT s`);
    });
    const logged = await t.db.query<{ op: string; changes: number }>(`SELECT op, changes FROM hookline_capture.log ORDER BY id`);
    expect(logged.rows.map((r) => `${r.op}:${r.changes}`)).toEqual(["INSERT:1", "INSERTS:100", "INSERTS:50", "UPDATE:1", "DELETES:2"]);
    const got = await drain(t.db, sourceOf(SOURCE));
    const data = (i: number) => (got[i]!.event.payload.event as { op: string; data: { old: unknown; new: unknown } }).data;
    expect(got.map((g) => g.row.key[0])).toEqual([...Array.from({ length: 151 }, (_, i) => String(i + 1)), "1", "150", "151"]);
    expect(data(0)).toEqual({ old: null, new: { id: 1, status: "new", customer: "ada", note: null } });
    expect(data(151)).toEqual({
      old: { id: 1, status: "new", customer: "ada", note: null },
      new: { id: 1, status: "paid", customer: "ada", note: null },
    });
    expect(data(153)).toEqual({ old: { id: 151, status: "new", customer: "c151", note: null }, new: null });
  });
});
