/** docs/configuration.md's environment table describes every variable the server and the Slack bot read. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = readFileSync(join(ROOT, "docs/configuration.md"), "utf8");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(ROOT, dir, d.name)] : [],
  );
}

describe("docs/configuration.md server environment", () => {
  it("names every variable bots/ reads (text(env, NAME) or env.NAME), each in a row with a description", () => {
    const read = new Set<string>();
    for (const file of sources("bots"))
      for (const m of readFileSync(file, "utf8").matchAll(/\benv(?:, "|\.|\[")([A-Z][A-Z0-9_]{2,})/g)) read.add(m[1]!);
    expect(read.size).toBeGreaterThan(20);
    const section = PAGE.slice(PAGE.indexOf("## Server environment"));
    const rows = section.split("\n").filter((l) => l.startsWith("| `"));
    const missing = [...read].filter((name) => !rows.some((r) => r.split("|")[1]!.includes(`\`${name}\``)));
    expect(missing).toEqual([]);
    for (const r of rows) expect(r.split("|")[3]!.trim().length, r).toBeGreaterThan(10);
  });
});
