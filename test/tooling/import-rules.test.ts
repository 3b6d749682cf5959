/**
 * The import rules of .dependency-cruiser.cjs (DESIGN.md "Rules of the house"): each one refuses a deliberately bad
 * import in a scratch tree shaped like this repository, and the repository itself has no violation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type ICruiseResult, type IConfiguration } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const config = require("../../.dependency-cruiser.cjs") as IConfiguration;
const ROOT = join(import.meta.dirname, "..", "..");

async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "hookline-imports-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { output } = await cruise(["src", "bots"], {
    validate: true,
    ruleSet: config,
    baseDir: dir,
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
  });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const OK = {
  "src/events/labels.ts": "export const RESOURCE_ID = 'prefect.resource.id';\n",
  "src/engine/engine.ts": "import { RESOURCE_ID } from '../events/labels.js';\nexport const id = RESOURCE_ID;\n",
  "bots/server/index.ts": "export const serve = 1;\n",
  "bots/server/ingest.ts": "export const ingest = 1;\n",
  "bots/app/index.ts": "export const app = 1;\n",
  "src/executors/run.ts": "export const run = 1;\n",
  "src/adapters/http.ts": "import { run } from '../executors/run.js';\nexport const http = run;\n",
};

describe("import rules", () => {
  it("a tree that keeps the rules has no violation (the control)", async () => {
    expect(
      await violations({ ...OK, "src/cli/serve.ts": "import { serve } from '../../bots/server/index.js';\nexport const s = serve;\n" }),
    ).toEqual([]);
  });

  it("core-is-pure: the engine importing node:fs is refused", async () => {
    const v = await violations({ ...OK, "src/engine/bad.ts": "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" });
    expect(v).toContain("core-imports-no-node-io: src/engine/bad.ts -> fs");
  });

  it("core-is-pure: the core importing an adapter or a runtime is refused", async () => {
    const v = await violations({
      ...OK,
      "src/templates/bad.ts":
        "import { http } from '../adapters/http.js';\nimport { serve } from '../../bots/server/index.js';\nexport const x = [http, serve];\n",
    });
    expect(v).toEqual(
      expect.arrayContaining([
        "core-is-pure: src/templates/bad.ts -> src/adapters/http.ts",
        "core-is-pure: src/templates/bad.ts -> bots/server/index.ts",
      ]),
    );
  });

  it("executors-behind-ports: an executor importing an adapter is refused", async () => {
    const v = await violations({ ...OK, "src/executors/bad.ts": "import { http } from '../adapters/http.js';\nexport const x = http;\n" });
    expect(v).toContain("executors-behind-ports: src/executors/bad.ts -> src/adapters/http.ts");
  });

  it("src-reaches-bots-through-entries: the CLI importing a server internal is refused", async () => {
    const v = await violations({
      ...OK,
      "src/cli/bad.ts": "import { ingest } from '../../bots/server/ingest.js';\nexport const x = ingest;\n",
    });
    expect(v).toContain("src-reaches-bots-through-entries: src/cli/bad.ts -> bots/server/ingest.ts");
  });

  it("runtimes-meet-at-entries: the App importing a server internal is refused, its entry is not", async () => {
    const v = await violations({
      ...OK,
      "bots/app/bad.ts":
        "import { ingest } from '../server/ingest.js';\nimport { serve } from '../server/index.js';\nexport const x = [ingest, serve];\n",
    });
    expect(v).toEqual(["runtimes-meet-at-entries: bots/app/bad.ts -> bots/server/ingest.ts"]);
  });

  it("this repository keeps every rule", async () => {
    const { output } = await cruise(["src", "bots"], {
      validate: true,
      ruleSet: config,
      baseDir: ROOT,
      tsPreCompilationDeps: true,
      doNotFollow: { path: "node_modules" },
    });
    expect((output as ICruiseResult).summary.violations).toEqual([]);
  });
});
