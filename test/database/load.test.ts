/** database.yaml: defaults, every problem at its file:line:col with a stable code, secrets only by variable name. */
import { describe, expect, it } from "vitest";
import { loadDatabaseConfig } from "../../src/database/index.js";

function problems(yaml: string) {
  return loadDatabaseConfig(yaml, "database.yaml").problems.map((p) => ({
    code: p.code,
    line: p.line,
    col: p.col,
    message: p.message,
    hint: p.hint,
  }));
}

describe("loadDatabaseConfig", () => {
  it("fills the defaults: public schema, insert/update/delete, all columns, the server scope, 0.2 s polls, a day of retention", () => {
    const r = loadDatabaseConfig(
      "sources:\n  - name: shop\n    url_env: SHOP_DATABASE_URL\n    tables:\n      - table: orders\n",
      "conf/database.yaml",
    );
    expect(r.problems).toEqual([]);
    const s = r.config!.sources[0]!;
    expect(s).toMatchObject({
      name: "shop",
      urlEnv: "SHOP_DATABASE_URL",
      install: false,
      captureSchema: "hookline_capture",
      scopes: ["server"],
      batchSize: 500,
      pollMs: 200,
      retentionMs: 86_400_000,
      maxImageBytes: 262_144,
      source: { file: "conf/database.yaml", line: 2, col: 5 },
    });
    expect(s.tables[0]).toMatchObject({
      schema: "public",
      table: "orders",
      operations: ["insert", "update", "delete"],
      updateColumns: null,
      columns: null,
      excludeColumns: [],
      labels: [],
      triggerName: "public_orders",
      scopes: ["server"],
    });
  });

  it("a table may route to other scopes than its source's; a source without url_env captures hookline's own database", () => {
    const r = loadDatabaseConfig(
      'sources:\n  - name: own\n    scopes: [server]\n    tables:\n      - { table: a, scopes: [server, "repo:acme/api"], operations: [manual] }\n',
      "d.yaml",
    );
    expect(r.problems).toEqual([]);
    expect(r.config!.sources[0]!.urlEnv).toBeNull();
    expect(r.config!.sources[0]!.tables[0]!.scopes).toEqual(["server", "repo:acme/api"]);
  });

  it("an inline URL is refused with the hint to name an environment variable", () => {
    expect(problems("sources:\n  - name: shop\n    url: postgres://u:p@h/db\n    tables: [{ table: t }]\n")[0]).toMatchObject({
      code: "HOOKLINE_INLINE_SECRET",
      line: 3,
      col: 5,
      hint: "use `url_env: NAME_OF_ENV_VAR`",
    });
  });

  it("a schema or table name with a dot or whitespace cannot be part of an event name", () => {
    for (const name of ['"a.b"', '"a b"', '"tab\\tle"']) {
      expect(problems(`sources:\n  - name: s\n    tables:\n      - table: ${name}\n`)[0], name).toMatchObject({
        code: "HOOKLINE_INVALID_VALUE",
        line: 4,
        col: 16,
      });
    }
    expect(problems(`sources:\n  - name: s\n    tables:\n      - { table: t, schema: "x.y" }\n`)[0]).toMatchObject({
      code: "HOOKLINE_INVALID_VALUE",
    });
  });

  it("names longer than PostgreSQL keeps (63 bytes) are refused: it would silently capture another name", () => {
    const long = "é".repeat(32); // 64 bytes
    expect(problems(`sources:\n  - name: s\n    tables:\n      - table: ${long}\n`)[0]!.message).toMatch(/at most 63 bytes/);
    expect(problems(`sources:\n  - name: s\n    tables:\n      - table: ${"é".repeat(31)}\n`)).toEqual([]);
  });

  it("quotes, unicode and SQL keywords are valid names (they are quoted in SQL)", () => {
    expect(
      problems(
        `sources:\n  - name: s\n    tables:\n      - { table: 'Bestellung";DROP', schema: select, columns: ["Größe", "a'b"], labels: ["a'b"] }\n`,
      ),
    ).toEqual([]);
  });

  it("duplicate sources and tables, and two sources on one capture schema, are errors naming the first", () => {
    const p = problems(
      "sources:\n  - name: a\n    tables: [{ table: t }, { table: t }]\n  - name: a\n    url_env: X\n    tables: [{ table: u }]\n  - name: b\n    tables: [{ table: v }]\n",
    );
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_DB_DUPLICATE_TABLE", line: 3 }));
    expect(p).toContainEqual(
      expect.objectContaining({ code: "HOOKLINE_DB_DUPLICATE_SOURCE", line: 4, message: "source `a` is already defined (line 2)" }),
    );
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_DB_SHARED_CAPTURE", line: 7 }));
  });

  it("columns with exclude_columns, a label that is excluded, and unused update_columns are reported", () => {
    const p = problems(
      "sources:\n  - name: a\n    tables:\n      - table: t\n        operations: [insert]\n        columns: [a]\n        exclude_columns: [b]\n        labels: [b]\n        update_columns: [a]\n",
    );
    expect(p.map((x) => x.code)).toEqual([
      "HOOKLINE_DB_COLUMNS_AND_EXCLUDE",
      "HOOKLINE_DB_LABEL_EXCLUDED",
      "HOOKLINE_DB_UPDATE_COLUMNS_UNUSED",
    ]);
    expect(p[0]).toMatchObject({ line: 7, col: 9 });
  });

  it("bad durations, sizes, scopes and operations are errors at the value, with did-you-mean", () => {
    const p = problems(
      'sources:\n  - name: a\n    poll_interval: 2m\n    retention: -1\n    max_image_bytes: 10\n    scopes: ["repo:x"]\n    tables:\n      - table: t\n        operations: [insrt]\n',
    );
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_INVALID_VALUE", line: 4 }));
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_INVALID_VALUE", line: 5 }));
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_INVALID_VALUE", line: 6 }));
    expect(p).toContainEqual(expect.objectContaining({ code: "HOOKLINE_INVALID_VALUE", line: 9, hint: "did you mean `insert`?" }));
    expect(problems("sources:\n  - name: a\n    poll_interval: 2m\n    tables: [{ table: t }]\n")[0]).toMatchObject({
      code: "HOOKLINE_DB_BAD_POLL_INTERVAL",
      line: 3,
    });
  });

  it("an unknown field gets a did-you-mean; an empty file and a file with no sources say what to write", () => {
    expect(problems("sources:\n  - name: a\n    tabels: []\n")).toContainEqual(
      expect.objectContaining({ code: "HOOKLINE_UNKNOWN_FIELD", hint: "did you mean `tables`?" }),
    );
    expect(problems("")[0]).toMatchObject({ code: "HOOKLINE_EMPTY_FILE", hint: "start it with `sources:` and a list of database sources" });
    expect(loadDatabaseConfig("sources: []\n", "d.yaml").problems[0]).toMatchObject({
      severity: "warning",
      code: "HOOKLINE_DB_NO_SOURCES",
    });
  });
});
