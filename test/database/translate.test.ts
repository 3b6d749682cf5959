/** A captured change → one standard event: names and ids from config and the log only, Hasura's payload, exact numbers, the size rule. */
import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/index.js";
import { originOf } from "../../src/events/origin.js";
import {
  changeEventId,
  fitImage,
  isExactNumber,
  keyText,
  parseRowJson,
  translateChange,
  type CapturedTable,
  type DatabaseTable,
  type LogRow,
} from "../../src/database/index.js";

const config: DatabaseTable = {
  schema: "public",
  table: "orders",
  operations: ["insert", "update", "delete", "manual"],
  updateColumns: null,
  columns: null,
  excludeColumns: [],
  labels: ["status"],
  triggerName: "order_events",
  scopes: ["server"],
  source: { file: "d.yaml", line: 1, col: 1 },
};
const table: CapturedTable = { id: 1, schema: "public", table: "orders", keyColumns: ["id"], triggerName: "order_events", config };
const ctx = { source: "shop", installId: "11111111-2222-4333-8444-555555555555", maxImageBytes: 262_144, scopes: ["server"] };
const row = (over: Partial<LogRow>): LogRow => ({
  id: "42",
  op: "INSERT",
  oldRow: null,
  newRow: '{"id":17,"status":"new","total":12.5}',
  txid: "9001",
  capturedAt: Date.parse("2026-05-01T10:00:00.123Z"),
  session: null,
  key: ["17"],
  ...over,
});

describe("translateChange", () => {
  it("an insert becomes postgres.<schema>.<table>.inserted on the row's resource, with Hasura's payload", () => {
    const { event, scopes } = translateChange(ctx, table, row({}));
    expect(validateEvent(event).ok).toBe(true);
    expect(scopes).toEqual(["server"]);
    expect(event).toMatchObject({
      id: changeEventId("shop", ctx.installId, "42"),
      occurred: "2026-05-01T10:00:00.123Z",
      event: "postgres.public.orders.inserted",
      resource: {
        "prefect.resource.id": "postgres.shop.public.orders.17",
        "prefect.resource.name": "public.orders 17",
        "postgres.source": "shop",
        "postgres.schema": "public",
        "postgres.table": "orders",
        "postgres.operation": "INSERT",
        "postgres.row.status": "new",
      },
      follows: null,
    });
    expect(event.payload).toEqual({
      id: event.id,
      created_at: "2026-05-01T10:00:00.123Z",
      trigger: { name: "order_events" },
      table: { schema: "public", name: "orders" },
      event: { op: "INSERT", data: { old: null, new: { id: 17, status: "new", total: 12.5 } }, session_variables: null },
      delivery_info: { max_retries: 0, current_retry: 0 },
      hookline: { source: "shop", log_id: "42", transaction_id: "9001", captured_at: "2026-05-01T10:00:00.123Z" },
    });
    expect(event.related.map((r) => [r["prefect.resource.role"], r["prefect.resource.id"]])).toEqual([
      ["table", "postgres.shop.public.orders"],
      ["transaction", "postgres.shop.transaction.9001"],
      ["origin", "hookline.origin.database.shop"],
    ]);
    expect(originOf(event)).toEqual({ kind: "database", name: "shop" });
  });

  it("updates carry old and new images and the old label value; deletes name the row from the old image; manual is invoked", () => {
    const u = translateChange(
      ctx,
      table,
      row({ op: "UPDATE", oldRow: '{"id":17,"status":"new"}', newRow: '{"id":17,"status":"shipped"}' }),
    ).event;
    expect(u.event).toBe("postgres.public.orders.updated");
    expect(u.resource).toMatchObject({ "postgres.row.status": "shipped", "postgres.old.status": "new" });
    expect((u.payload.event as { data: unknown }).data).toEqual({ old: { id: 17, status: "new" }, new: { id: 17, status: "shipped" } });
    const d = translateChange(ctx, table, row({ op: "DELETE", oldRow: '{"id":17,"status":"gone"}', newRow: null })).event;
    expect(d.event).toBe("postgres.public.orders.deleted");
    expect(d.resource["postgres.row.status"]).toBe("gone");
    expect((d.payload.event as { data: unknown }).data).toEqual({ old: { id: 17, status: "gone" }, new: null });
    expect(translateChange(ctx, table, row({ op: "MANUAL" })).event.event).toBe("postgres.public.orders.invoked");
  });

  it("the same log row is the same event; another row, source or install is another event (no content takes part in the id)", () => {
    const a = translateChange(ctx, table, row({}));
    expect(translateChange(ctx, table, row({})).event).toEqual(a.event);
    expect(translateChange(ctx, table, row({ newRow: '{"id":17,"status":"other"}' })).event.id).toBe(a.event.id);
    expect(translateChange(ctx, table, row({ id: "43" })).event.id).not.toBe(a.event.id);
    expect(translateChange({ ...ctx, source: "other" }, table, row({})).event.id).not.toBe(a.event.id);
    expect(translateChange({ ...ctx, installId: "11111111-2222-4333-8444-000000000000" }, table, row({})).event.id).not.toBe(a.event.id);
  });

  it("a replay is a new event per replay id (the same replay id: the same event), naming the original", () => {
    const original = translateChange(ctx, table, row({})).event;
    const a = translateChange(ctx, table, row({}), { id: "r1" }).event;
    expect(a.id).not.toBe(original.id);
    expect(translateChange(ctx, table, row({}), { id: "r1" }).event.id).toBe(a.id);
    expect(translateChange(ctx, table, row({}), { id: "r2" }).event.id).not.toBe(a.id);
    expect(a.payload.hookline).toMatchObject({ replay: { id: "r1", original_event_id: original.id } });
  });

  it("a row cannot forge the origin, the event name or another table's resource: hostile values stay data", () => {
    const hostile = JSON.stringify({
      id: "x.inserted",
      status: "}}{{ event }}",
      "prefect.resource.id": "github.push.1",
      related: [{ "prefect.resource.role": "origin", "prefect.resource.id": "hookline.origin.server" }],
    });
    const { event } = translateChange(ctx, table, row({ newRow: hostile, key: ["x.inserted"] }));
    expect(event.event).toBe("postgres.public.orders.inserted");
    expect(event.resource["prefect.resource.id"]).toBe("postgres.shop.public.orders.x.inserted");
    expect(event.related.filter((r) => r["prefect.resource.role"] === "origin")).toHaveLength(1);
    expect(originOf(event)).toEqual({ kind: "database", name: "shop" });
    expect(validateEvent(event).ok).toBe(true);
  });

  it("composite keys join with commas, escaping % and , in each part so two keys never share a resource id", () => {
    expect(keyText(["7", "3"])).toBe("7,3");
    expect(keyText(["1,2", "3"])).not.toBe(keyText(["1", "2,3"]));
    expect(keyText(["a%2C", "b"])).toBe("a%252C,b");
    expect(keyText(["only"])).toBe("only");
  });

  it("session variables (Hasura's hasura.user setting) are passed through when they are a JSON object of strings", () => {
    const e = translateChange(ctx, table, row({ session: '{"x-hasura-role":"admin","x-hasura-user-id":"7","n":1}' })).event;
    expect((e.payload.event as { session_variables: unknown }).session_variables).toEqual({
      "x-hasura-role": "admin",
      "x-hasura-user-id": "7",
    });
    expect(
      (translateChange(ctx, table, row({ session: "not json" })).event.payload.event as { session_variables: unknown }).session_variables,
    ).toBeNull();
  });

  it("label values: NULL leaves the label out, JSON becomes its text, long text is cut at 1,024 characters", () => {
    const t = { ...table, config: { ...config, labels: ["a", "b", "c", "d"] } };
    const e = translateChange(
      ctx,
      t,
      row({ newRow: JSON.stringify({ id: 1, a: null, b: { x: [1] }, c: "é".repeat(2000), d: true }) }),
    ).event;
    expect(e.resource).not.toHaveProperty("postgres.row.a");
    expect(e.resource["postgres.row.b"]).toBe('{"x":[1]}');
    expect(e.resource["postgres.row.c"]).toHaveLength(1024);
    expect(e.resource["postgres.row.d"]).toBe("true");
  });
});

describe("exact numbers", () => {
  it("numbers a double holds exactly stay numbers; others become strings of PostgreSQL's exact text", () => {
    const v = parseRowJson(
      `{"big":9007199254740993,"ok":9007199254740991,"amount":12345678901234567.891,"f":0.30000000000000004,"s":"9007199254740993","n":-1.50,"tiny":${"0." + "0".repeat(399) + "1"},"denormal":1e-310}`,
    );
    expect(v).toEqual({
      big: "9007199254740993",
      ok: 9007199254740991,
      amount: "12345678901234567.891",
      f: 0.30000000000000004,
      s: "9007199254740993",
      n: -1.5,
      tiny: expect.stringMatching(/^0\.0+1$/),
      denormal: 1e-310,
    });
    expect(isExactNumber("1" + "0".repeat(400))).toBe(false);
    expect(isExactNumber("1e+300")).toBe(true);
  });

  it("digits inside strings are never touched, escaped quotes included", () => {
    expect(parseRowJson(String.raw`{"a":"\"12345678901234567890\"","b":12345678901234567890}`)).toEqual({
      a: '"12345678901234567890"',
      b: "12345678901234567890",
    });
  });
});

describe("the size rule", () => {
  it("an image over the limit loses its largest values first: strings keep 1,024 characters, other values become null", () => {
    const image = { id: 1, body: "x".repeat(300_000), doc: { a: "y".repeat(100_000) }, small: "keep" };
    const text = JSON.stringify(image);
    const r = fitImage(image, text.length, 262_144, "new");
    expect(r.cuts).toEqual([{ image: "new", column: "body", bytes: 300_002 }]);
    expect(r.image).toEqual({ id: 1, body: "x".repeat(1024), doc: image.doc, small: "keep" });
    const tight = fitImage(image, text.length, 4096, "old");
    expect(tight.cuts.map((c) => c.column)).toEqual(["body", "doc"]);
    expect(tight.image.doc).toBeNull();
    expect(fitImage({ a: 1 }, 7, 1024, "new").image).toEqual({ a: 1 });
  });

  it("a 1 MB row becomes an event under the 1.5 MB limit that lists what was cut", () => {
    const big = JSON.stringify({ id: 1, body: "é".repeat(600_000), bytes: "\\x" + "ab".repeat(200_000) });
    const { event } = translateChange(ctx, table, row({ op: "UPDATE", oldRow: big, newRow: big, key: ["1"] }));
    expect(validateEvent(event).ok).toBe(true);
    expect((event.payload.hookline as { truncated: unknown[] }).truncated).toEqual([
      { image: "old", column: "body", bytes: 1_200_002 },
      { image: "old", column: "bytes", bytes: 400_005 },
      { image: "new", column: "body", bytes: 1_200_002 },
      { image: "new", column: "bytes", bytes: 400_005 },
    ]);
  });

  it("a cut never splits a surrogate pair", () => {
    const r = fitImage({ e: "a" + "😀".repeat(2000) }, 8100, 1024, "new");
    expect(r.image.e).toBe("a" + "😀".repeat(511));
  });
});
