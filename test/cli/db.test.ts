/**
 * `hookline db` (issue 15 item 5) through the real bin/hookline.js on PostgreSQL: install is idempotent and
 * reports what it did, status shows the tables and the backlog, invoke logs a row of a `manual` table,
 * uninstall refuses while changes wait (unless --force); a bad source name is a usage error; `schema
 * --database` prints the committed schema/database.schema.json.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CAPTURE_VERSION } from "../../src/database/index.js";
import { pgDatabase, PG_URL } from "../server/durability/harness.js";
import { cli, ROOT, tempDir, writeTemp } from "./run-cli.js";

const BIN = join(ROOT, "bin", "hookline.js");

function db(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, "db", ...args], { encoding: "utf8", cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DATABASE = `sources:
  - name: shop
    url_env: SHOP_DATABASE_URL
    tables:
      - table: orders
        operations: [insert, update, delete, manual]
`;

describe("hookline schema --database", () => {
  it("prints exactly the committed schema/database.schema.json", () => {
    const r = cli(["schema", "--database"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, "schema", "database.schema.json"), "utf8"));
  });
});

describe.skipIf(!PG_URL)("hookline db (PostgreSQL)", () => {
  it("install (idempotent), status with the backlog, invoke a manual row, uninstall keeps a log with waiting changes, then --force drops it", async () => {
    const shop = await pgDatabase();
    try {
      await shop.query(`CREATE TABLE orders (id bigint PRIMARY KEY, status text)`);
      const dir = tempDir();
      writeTemp(dir, "database.yaml", DATABASE);
      const env = { HOOKLINE_CONFIG_DIR: dir, SHOP_DATABASE_URL: shop.url };

      const first = db(["install", "--source", "shop"], env);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        source: "shop",
        fromVersion: 0,
        tables: [{ table: "orders", action: "installed" }],
      });
      const again = db(["install", "--source", "shop"], env);
      expect(JSON.parse(again.stdout)).toMatchObject({ fromVersion: CAPTURE_VERSION, tables: [{ table: "orders", action: "unchanged" }] });

      await shop.query(`INSERT INTO orders VALUES (1, 'new'), (2, 'new')`);
      const invoked = db(["invoke", "--source", "shop", "--table", "orders", "--key", "id=2"], env);
      expect(invoked.code).toBe(0);
      expect(JSON.parse(invoked.stdout)).toMatchObject({ source: "shop", log_id: expect.any(String), event_id: expect.any(String) });
      const missing = db(["invoke", "--source", "shop", "--table", "orders", "--key", "id=99"], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("HOOKLINE_DB_ROW_NOT_FOUND");

      const status = db(["status"], env);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        installed: true,
        backlog: 3,
        tables: [{ table: "orders", captured: true, drift: [], backlog: 3 }],
      });

      const refused = db(["uninstall", "--source", "shop"], env);
      expect(refused.code).toBe(0);
      expect(JSON.parse(refused.stdout)).toMatchObject({ tables: ["public.orders"], undelivered: 3, schemaDropped: false });
      expect(refused.stderr).toContain("3 captured change(s) wait for delivery");
      const forced = db(["uninstall", "--source", "shop", "--force"], env);
      expect(forced.code).toBe(0);
      const [left] = await shop.query<{ n: string }>(`SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'hookline_capture'`);
      expect(left!.n).toBe("0");
      expect(db(["status", "--source", "shop"], env).stdout).toContain('"installed": false');
    } finally {
      await shop.drop();
    }
  });

  it("a source not in database.yaml, or no URL in its variable, is refused with the fix", () => {
    const dir = tempDir();
    writeTemp(dir, "database.yaml", DATABASE);
    const unknown = db(["install", "--source", "nope"], { HOOKLINE_CONFIG_DIR: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no source "nope" in database.yaml (sources: shop)');
    const unset = db(["install", "--source", "shop"], { HOOKLINE_CONFIG_DIR: dir });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("HOOKLINE_DB_SOURCE_URL_UNSET");
    expect(unset.stderr).toContain("SHOP_DATABASE_URL is not set");
  });
});
