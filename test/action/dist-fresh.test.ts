/** dist/ is committed (action.yml runs it directly): it must be what the sources build to, byte for byte. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./run-dist.js";

describe("dist/", () => {
  it("the committed dist/index.js is what `npm run build:dist` builds now (rebuild and commit dist/ when this fails)", () => {
    const out = mkdtempSync(join(tmpdir(), "hookline-dist-"));
    execFileSync(process.execPath, [join(ROOT, "scripts/build-dist.mjs"), out], { cwd: ROOT, stdio: "pipe" });
    for (const file of ["index.js", "package.json", "licenses.txt"]) {
      const fresh = readFileSync(join(out, file), "utf8");
      const committed = readFileSync(join(ROOT, "dist", file), "utf8");
      expect(committed === fresh, `dist/${file} is stale: run npm run build:dist and commit dist/`).toBe(true);
    }
  }, 300_000);
});
