/** The capture's SQL text: names are always quoted, bodies cannot end their quote, the plan says what is wrong with a table. */
import { describe, expect, it } from "vitest";
import {
  dollarQuote,
  imageSql,
  planTable,
  quoteIdent,
  quoteLiteral,
  tableCaptureSql,
  updateConditionSql,
  type DatabaseTable,
  type PlanResult,
  type TablePlan,
} from "../../src/database/index.js";

const config = (over: Partial<DatabaseTable> = {}): DatabaseTable => ({
  schema: "public",
  table: "orders",
  operations: ["insert", "update", "delete"],
  updateColumns: null,
  columns: null,
  excludeColumns: [],
  labels: [],
  triggerName: "t",
  scopes: ["server"],
  source: { file: "d.yaml", line: 1, col: 1 },
  ...over,
});
function planOf(r: PlanResult): TablePlan {
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.plan;
}
const catalog = { kind: "r", columns: ["id", "status", "secret", "total"], keyColumns: ["id"] };

describe("quoting", () => {
  it("identifiers are double-quoted with quotes doubled; literals are escape strings with \\ and ' escaped; NUL is refused", () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent("select")).toBe('"select"');
    expect(quoteLiteral("it's a \\ test")).toBe("E'it''s a \\\\ test'");
    expect(() => quoteIdent("a\u0000b")).toThrow(/cannot be a PostgreSQL name/);
    expect(() => quoteLiteral("\u0000")).toThrow();
  });

  it("a dollar quote picks a tag its body does not hold", () => {
    expect(dollarQuote("x")).toBe("$hookline$x$hookline$");
    expect(dollarQuote("a $hookline$ b")).toBe("$hookline1$a $hookline$ b$hookline1$");
  });

  it("row images: the whole row, or the chosen columns under their own (quoted) names; over 50 columns through a sub-select", () => {
    expect(imageSql("NEW", null)).toBe("pg_catalog.to_json(NEW)");
    expect(imageSql("r", ["id", "a'b"])).toBe(`pg_catalog.json_build_object(E'id', r."id", E'a''b', r."a'b")`);
    expect(
      imageSql(
        "r",
        Array.from({ length: 51 }, (_, i) => `c${i}`),
      ),
    ).toMatch(/^\(SELECT pg_catalog\.to_json\(r\) FROM \(SELECT r\."c0" AS "c0", /);
  });

  it("the update condition compares whole records byte for byte (json columns have no equality)", () => {
    expect(updateConditionSql(null)).toBe("OLD.* OPERATOR(pg_catalog.*<>) NEW.*");
    expect(updateConditionSql(["status"])).toBe('ROW(OLD."status")::record OPERATOR(pg_catalog.*<>) ROW(NEW."status")::record');
  });

  it("a hostile column name stays one quoted identifier everywhere it appears", () => {
    const name = `x"); DROP TABLE orders; --$hookline$`;
    const plan = planTable(config({ columns: [name] }), { ...catalog, columns: [...catalog.columns, name] });
    expect(plan.ok).toBe(true);
    const sql = tableCaptureSql("hookline_capture", 3, planOf(plan)).statements.join("\n");
    expect(sql).toContain(`r."x""); DROP TABLE orders; --$hookline$"`);
    expect(sql).toContain("AS $hookline1$");
  });
});

describe("planTable", () => {
  it("statement triggers for insert and delete, a row trigger for update; a partitioned table gets row triggers", () => {
    const plan = planTable(config(), catalog);
    expect(plan).toMatchObject({
      ok: true,
      plan: { partitioned: false, keyColumns: ["id"], imageColumns: null, triggers: ["insert", "update", "delete"] },
    });
    const sql = tableCaptureSql("hookline_capture", 1, planOf(plan)).statements;
    expect(sql.filter((s) => s.startsWith("CREATE TRIGGER"))).toEqual([
      'CREATE TRIGGER "hookline_capture_insert" AFTER INSERT ON "public"."orders" REFERENCING NEW TABLE AS hookline_new FOR EACH STATEMENT EXECUTE FUNCTION "hookline_capture"."capture_1_insert"()',
      'CREATE TRIGGER "hookline_capture_update" AFTER UPDATE ON "public"."orders" FOR EACH ROW WHEN (OLD.* OPERATOR(pg_catalog.*<>) NEW.*) EXECUTE FUNCTION "hookline_capture"."capture_1_update"()',
      'CREATE TRIGGER "hookline_capture_delete" AFTER DELETE ON "public"."orders" REFERENCING OLD TABLE AS hookline_old FOR EACH STATEMENT EXECUTE FUNCTION "hookline_capture"."capture_1_delete"()',
    ]);
    const partitioned = planTable(config(), { ...catalog, kind: "p" });
    const psql = tableCaptureSql("hookline_capture", 1, planOf(partitioned)).statements;
    expect(psql.filter((s) => s.startsWith("CREATE TRIGGER")).every((s) => s.includes("FOR EACH ROW"))).toBe(true);
  });

  it("columns always include the primary key; exclude_columns keeps the rest in table order; manual needs no trigger", () => {
    expect(planTable(config({ columns: ["total", "status"] }), catalog)).toMatchObject({
      plan: { imageColumns: ["id", "status", "total"] },
    });
    expect(planTable(config({ excludeColumns: ["secret"] }), catalog)).toMatchObject({ plan: { imageColumns: ["id", "status", "total"] } });
    expect(planTable(config({ operations: ["manual", "update"] }), catalog)).toMatchObject({ plan: { triggers: ["update"] } });
    const sql = tableCaptureSql("c", 1, planOf(planTable(config({ operations: ["update"] }), catalog))).statements;
    expect(sql).toContain('DROP FUNCTION IF EXISTS "c"."capture_1_insert"()');
  });

  it("a missing table, a view, no primary key, unknown columns, an excluded key and a label outside the columns are problems with the fix", () => {
    expect(planTable(config(), { kind: null, columns: [], keyColumns: [] })).toEqual({
      ok: false,
      problems: ["table public.orders does not exist in the source database: create it, or fix `schema`/`table` in database.yaml"],
    });
    expect(planTable(config(), { ...catalog, kind: "v" })).toEqual({
      ok: false,
      problems: ["public.orders is a view: only tables can be captured"],
    });
    const r = planTable(config({ columns: ["nope"], labels: ["secret"], updateColumns: ["gone"], excludeColumns: [] }), {
      ...catalog,
      keyColumns: [],
    });
    expect(r.ok).toBe(false);
    const problems = (r as { problems: string[] }).problems;
    expect(problems[0]).toMatch(/has no primary key: .*ADD PRIMARY KEY/);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^column `nope` \(in columns of public.orders\) does not exist; the table's columns: id, status, secret, total$/,
      ),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^column `gone` \(in update_columns/));
    expect(problems).toContainEqual("label column `secret` of public.orders is not in the event's columns: add it to `columns`");
    expect((planTable(config({ excludeColumns: ["id"] }), catalog) as { problems: string[] }).problems).toEqual([
      "column `id` of public.orders is its primary key: it is always in the event, it cannot be excluded",
    ]);
  });

  it("the definition hash changes with the plan and only with it", () => {
    const a = tableCaptureSql("c", 1, planOf(planTable(config(), catalog))).definition;
    expect(tableCaptureSql("c", 1, planOf(planTable(config(), catalog))).definition).toBe(a);
    expect(tableCaptureSql("c", 1, planOf(planTable(config({ updateColumns: ["status"] }), catalog))).definition).not.toBe(a);
  });
});
