/**
 * Every server config folder the project ships (an example's, a bench's) loads as `hookline serve` loads it: a
 * rule that tightens the config (a webhook must now say its `auth`) cannot leave a bench or an example that no
 * longer starts, as bench/server's did.
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadServerFiles } from "../../bots/server/config-files.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SERVER_FILES = new Set(["webhooks.yaml", "database.yaml"]);

/** folders under bench/ and examples/ holding a server-only config file (tmp/ and node_modules/ left out) */
function serverConfigDirs(): string[] {
  const found = new Set<string>();
  for (const top of ["bench", "examples"]) {
    for (const entry of readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })) {
      const dir = join(entry.parentPath, entry.name);
      // relative: the checkout itself may live under a tmp/ (a fresh clone in /tmp)
      if (/(^|[\\/])(tmp|node_modules)[\\/]/.test(relative(ROOT, dir))) continue;
      if (entry.isFile() && SERVER_FILES.has(entry.name)) found.add(dirname(dir));
    }
  }
  return [...found].sort();
}

describe("the shipped server configs", () => {
  it("include bench/server's and the webhooks and database examples", () => {
    const dirs = serverConfigDirs().map((d) => d.slice(ROOT.length));
    expect(dirs).toEqual(expect.arrayContaining(["bench/server/config", "examples/database", "examples/webhooks"]));
  });
  it.each(serverConfigDirs().map((d) => [d.slice(ROOT.length), d]))("%s loads with no error", (_, dir) => {
    expect(() => loadServerFiles(dir)).not.toThrow();
  });
});
