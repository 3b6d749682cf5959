/**
 * docs/database.md and examples/database are checked, not trusted: every YAML snippet loads without a problem
 * (database.yaml and automations.yaml through their loaders; the Hasura comparison as YAML), every shell
 * snippet parses, every SQL snippet runs on a database with the example's capture installed, and demo.sh runs
 * end to end against a PostgreSQL of its own and prints the billing calls with Hasura's payload.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { installCapture } from "../../src/adapters/database/index.js";
import { openDatabase } from "../../src/adapters/index.js";
import { loadAutomations } from "../../src/automations/index.js";
import { loadDatabaseConfig } from "../../src/database/index.js";
import { pgDatabase, PG_URL, ROOT } from "../server/durability/harness.js";

const doc = readFileSync(join(ROOT, "docs", "database.md"), "utf8");
const example = (f: string) => readFileSync(join(ROOT, "examples", "database", f), "utf8");

/** fenced blocks of one language, with their indentation (list items) removed */
function blocks(lang: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`^( *)\`\`\`${lang}\\n([\\s\\S]*?)^\\1\`\`\`$`, "gm");
  for (const m of doc.matchAll(re)) {
    const indent = m[1]!.length;
    out.push(
      m[2]!
        .split("\n")
        .map((l) => l.slice(indent))
        .join("\n"),
    );
  }
  return out;
}

function checkYaml(text: string, where: string): void {
  if (text.startsWith("# Hasura metadata")) {
    expect(() => parse(text), where).not.toThrow();
  } else if (/^sources:/m.test(text)) {
    const r = loadDatabaseConfig(text, where);
    expect(r.problems, where).toEqual([]);
    expect(r.config?.sources.length, where).toBeGreaterThan(0);
  } else {
    const r = loadAutomations(text, where);
    expect(r.problems, where).toEqual([]);
  }
}

describe("docs/database.md and examples/database", () => {
  it("every YAML snippet of the page, and the example's database.yaml and automations.yaml, load with no problem", () => {
    const yaml = blocks("yaml");
    expect(yaml.length).toBeGreaterThanOrEqual(3);
    yaml.forEach((b, i) => checkYaml(b, `docs/database.md yaml block ${i + 1}`));
    checkYaml(example("database.yaml"), "examples/database/database.yaml");
    checkYaml(example("automations.yaml"), "examples/database/automations.yaml");
  });

  it("every shell snippet of the page, and demo.sh, parse; the JSON payload parses", () => {
    const sh = blocks("sh");
    expect(sh.length).toBeGreaterThanOrEqual(3);
    for (const b of [...sh, example("demo.sh")]) {
      const r = spawnSync("sh", ["-n", "-c", b], { encoding: "utf8" });
      expect(r.stderr, b).toBe("");
      expect(r.status, b).toBe(0);
    }
    for (const b of blocks("json")) expect(() => JSON.parse(b) as unknown).not.toThrow();
  });

  it.skipIf(!PG_URL)("every SQL snippet runs on a database with the example's table and capture (PostgreSQL)", async () => {
    const pg = await pgDatabase();
    const db = await openDatabase({ url: pg.url, max: 2 });
    try {
      await db.query(example("schema.sql"));
      const source = loadDatabaseConfig(example("database.yaml"), "database.yaml").config!.sources[0]!;
      await installCapture(db, source, randomUUID);
      await db.query("INSERT INTO public.orders (id, customer, total) VALUES (1, 'Ada', 1)");
      const sql = blocks("sql");
      expect(sql.length).toBeGreaterThanOrEqual(1);
      for (const b of sql) expect((await db.query(b)).rows.length, b).toBeGreaterThan(0);
    } finally {
      await db.close();
      await pg.drop();
    }
  });

  it.skipIf(!PG_URL)(
    "demo.sh creates the table, starts hookline, changes rows and prints the billing calls with Hasura's payload",
    async () => {
      const pg = await pgDatabase();
      try {
        const port = 20_000 + Math.floor(Math.random() * 20_000);
        const env: NodeJS.ProcessEnv = {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: pg.url,
          RECEIVER_PORT: String(port),
        };
        const r = spawnSync("sh", [join(ROOT, "examples", "database", "demo.sh")], { encoding: "utf8", env, timeout: 170_000 });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const calls = r.stdout
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { path: string; body: Record<string, any> });
        const billing = calls.filter((c) => c.path === "/billing");
        expect(billing.map((c) => c.body.event.data.new.customer).sort()).toEqual(["Ada", "Grace"]);
        expect(billing[0]!.body).toMatchObject({
          trigger: { name: "public_orders" },
          table: { schema: "public", name: "orders" },
          event: { op: "INSERT" },
        });
        expect(billing.some((c) => "secret" in c.body.event.data.new)).toBe(false);
      } finally {
        await pg.drop();
      }
    },
    180_000,
  );
});
