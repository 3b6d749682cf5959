import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSqlStore, migrate } from "../../../src/store/sql/index.js";
import { openDatabase, openPostgres } from "../../../src/adapters/index.js";
import { decodeCursor, encodeCursor } from "../../../src/store/sql/event-cursor.js";
import { indexKey, INDEX_KEY_MAX } from "../../../src/store/sql/index-key.js";
import { nameFilterOf } from "../../../src/store/sql/name-filter.js";
import { parseTimestamptz, textSafe } from "../../../src/store/sql/values.js";
import { PG_URL, errorOf, ev, item } from "./helpers.js";

describe("timestamptz text → epoch ms (both engines print this, in any session time zone)", () => {
  it("reads UTC, offsets with minutes and seconds, microseconds, and no fraction", () => {
    expect(parseTimestamptz("2024-01-02 03:04:05.678901+00")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(parseTimestamptz("2024-01-02 03:04:05+00")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimestamptz("2024-01-02 08:34:05.5+05:30")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 500));
    expect(parseTimestamptz("2024-01-01 23:30:00-03:30")).toBe(Date.UTC(2024, 0, 2, 3, 0, 0));
    expect(parseTimestamptz("1900-01-01 00:00:00+00:09:21")).toBe(Date.UTC(1900, 0, 1) - 561_000);
    expect(parseTimestamptz("0099-06-01 00:00:00+00")).toBe(Date.parse("0099-06-01T00:00:00Z"));
  });
  it("infinity reads as ±Infinity and garbage as NaN, never as a plausible time", () => {
    expect(parseTimestamptz("infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(parseTimestamptz("-infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(parseTimestamptz("yesterday")).toBeNaN();
  });
});

describe("index keys and name filters", () => {
  it("index keys drop NUL and lone surrogates and cut long values, keeping pairs whole", () => {
    expect(textSafe("a\u0000b\ud800c\udc00d😀")).toBe("a\ufffdb\ufffdc\ufffdd😀");
    expect(indexKey("x".repeat(600))).toHaveLength(INDEX_KEY_MAX);
  });
  it("only literals and literal prefixes become SQL; every other glob is matched in JS", () => {
    expect(nameFilterOf("a.b.c")).toEqual({ kind: "equals", value: "a.b.c" });
    expect(nameFilterOf("a.b.*")).toEqual({ kind: "like", pattern: "a.b.%" });
    expect(nameFilterOf("a_%\\.**")).toEqual({ kind: "like", pattern: "a\\_\\%\\\\.%" });
    for (const glob of ["*.b", "a.*.c", "a.?", "a.[bc]", "!a.*", "*", `a.${"x".repeat(600)}`, "a\u0000b"]) {
      expect(nameFilterOf(glob)).toEqual({ kind: "js" });
    }
  });
  it("a cursor round-trips and anything not made by encodeCursor is refused", () => {
    expect(decodeCursor(encodeCursor("asc", "42"), "asc")).toBe("42");
    expect(decodeCursor(encodeCursor("desc", "9223372036854775807"), "desc")).toBe("9223372036854775807");
    for (const bad of [
      encodeCursor("asc", "9223372036854775808"),
      encodeCursor("asc", "042"),
      "YXNjOjQy=",
      "a b",
      encodeCursor("asc", "1") + "A",
    ]) {
      expect(() => decodeCursor(bad, "asc")).toThrow(expect.objectContaining({ code: "HOOKLINE_STORE_BAD_CURSOR" }));
    }
  });
});

describe("openDatabase picks the engine and explains failures", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("a URL that is not postgres:// is refused with HOOKLINE_DB_URL_INVALID, naming no secret", async () => {
    const err = await errorOf(openDatabase({ url: "mysql://root:hunter2@localhost/db" }));
    expect(err.code).toBe("HOOKLINE_DB_URL_INVALID");
    expect(err.message).not.toContain("hunter2");
  });

  it("an unreachable PostgreSQL is HOOKLINE_DB_UNREACHABLE with the fix, and the password is not shown", async () => {
    const err = await errorOf(openDatabase({ url: "postgres://u:hunter2@127.0.0.1:1/db" }));
    expect(err.code).toBe("HOOKLINE_DB_UNREACHABLE");
    expect(err.message).toMatch(/is PostgreSQL running\? check DATABASE_URL/);
    expect(err.message).not.toContain("hunter2");
  });

  it("a Unix socket folder with no PostgreSQL in it is HOOKLINE_DB_UNREACHABLE too (not an internal error)", async () => {
    const err = await errorOf(openDatabase({ url: "postgres://u:hunter2@%2Fno%2Fsuch%2Fsocket%2Fdir/db" }));
    expect(err.code).toBe("HOOKLINE_DB_UNREACHABLE");
    expect(err.message).toMatch(/is PostgreSQL running\?/);
    expect(err.message).not.toContain("hunter2");
  });

  it("the embedded database in a data folder keeps what was acknowledged across a close and reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hookline-sql-"));
    dirs.push(dir);
    const first = await openDatabase({ dataDir: join(dir, "data") });
    expect(first.kind).toBe("pglite");
    await migrate(first);
    const a = ev(1);
    await createSqlStore(first).ingest([item(a)]);
    await first.close();
    const again = await openDatabase({ dataDir: join(dir, "data") });
    expect((await migrate(again)).applied).toEqual([]);
    const store = createSqlStore(again);
    expect((await store.listEvents({ limit: 10 })).events.map((e) => e.event)).toEqual([a]);
    expect(await store.scopesWithWork(Date.now(), 10)).toEqual(["server"]);
    await store.close();
  });
});

describe.runIf(!!PG_URL)("openDatabase on postgres", () => {
  it("a postgres:// URL opens PostgreSQL; a wrong password is HOOKLINE_DB_AUTH, a missing database HOOKLINE_DB_NOT_FOUND", async () => {
    const db = await openDatabase({ url: PG_URL!, max: 1 });
    expect(db.kind).toBe("postgres");
    await db.close();
    const wrongPassword = new URL(PG_URL!);
    wrongPassword.password = "definitely-not-the-password";
    // a server with trust authentication lets any password in: then there is no refusal to explain
    const auth = await openPostgres(wrongPassword.toString()).then(
      async (db) => (await db.close(), "trusted"),
      (e: { code?: string }) => e.code,
    );
    expect(["HOOKLINE_DB_AUTH", "trusted"]).toContain(auth);
    const missing = new URL(PG_URL!);
    missing.pathname = "/hookline_no_such_database";
    expect((await errorOf(openPostgres(missing.toString()))).code).toBe("HOOKLINE_DB_NOT_FOUND");
  });

  it("every pooled connection compresses large values with lz4 when the server has it (pglz otherwise)", async () => {
    const db = await openPostgres(PG_URL!, { max: 3 });
    try {
      const lz4 = (
        await db.query<{ lz4: boolean }>("SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'")
      ).rows[0]!.lz4;
      // three connections at once: the probe's and two opened later by the pool
      const settings = await Promise.all(
        [1, 2, 3].map(() =>
          db.transaction(
            async (tx) =>
              (await tx.query<{ c: string }>("SELECT current_setting('default_toast_compression') AS c, pg_sleep(0.05)")).rows[0]!.c,
          ),
        ),
      );
      expect(settings).toEqual(lz4 ? ["lz4", "lz4", "lz4"] : ["pglz", "pglz", "pglz"]);
    } finally {
      await db.close();
    }
  });

  it("a rolled-back transaction returns its connection healthy to the pool", async () => {
    const db = await openPostgres(PG_URL!, { max: 1 });
    try {
      await expect(db.transaction(async (tx) => tx.query("SELECT no_such_function()"))).rejects.toThrow();
      expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      expect(
        (await db.query<{ n: string; t: number }>("SELECT 9007199254740993::int8 AS n, '2024-01-01T00:00:00.123Z'::timestamptz AS t")).rows,
      ).toEqual([{ n: "9007199254740993", t: Date.UTC(2024, 0, 1, 0, 0, 0, 123) }]);
    } finally {
      await db.close();
    }
  });
});

describe("retryOnConflict: deadlock and serialization victims run again, other errors do not", async () => {
  const { retryOnConflict } = await import("../../../src/store/sql/retry.js");
  const failing = (codes: (string | undefined)[]) => {
    let calls = 0;
    return {
      fn: async () => {
        const code = codes[calls++];
        if (code === undefined) return "ok";
        throw Object.assign(new Error(code), { code });
      },
      calls: () => calls,
    };
  };
  it("a deadlock victim is retried until it succeeds", async () => {
    const f = failing(["40P01", "40001"]);
    expect(await retryOnConflict(f.fn)).toBe("ok");
    expect(f.calls()).toBe(3);
  });
  it("a constraint error is not retried, and retries end after the last attempt", async () => {
    const unique = failing(["23505"]);
    await expect(retryOnConflict(unique.fn)).rejects.toMatchObject({ code: "23505" });
    expect(unique.calls()).toBe(1);
    const forever = failing(Array(10).fill("40P01"));
    await expect(retryOnConflict(forever.fn, 3)).rejects.toMatchObject({ code: "40P01" });
    expect(forever.calls()).toBe(3);
  });
});
