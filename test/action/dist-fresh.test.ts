/** dist/ is committed (action.yml runs it directly): it must be what the sources build to, byte for byte. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./run-dist.js";

describe("dist/", () => {
  it("the committed dist/index.js is what `npm run build:dist` builds now (rebuild and commit dist/ when this fails)", () => {
    const out = mkdtempSync(join(tmpdir(), "hookline-dist-"));
    execFileSync(process.execPath, [join(ROOT, "scripts/build-dist.mjs"), out], { cwd: ROOT, stdio: "pipe" });
    // every file, chunks loaded on demand included, and no committed file the build no longer makes
    expect(
      readdirSync(join(ROOT, "dist")).sort(),
      "dist/ holds other files than the build makes: run npm run build:dist and commit dist/",
    ).toEqual(readdirSync(out).sort());
    for (const file of readdirSync(out)) {
      const fresh = readFileSync(join(out, file), "utf8");
      const committed = readFileSync(join(ROOT, "dist", file), "utf8");
      expect(committed === fresh, `dist/${file} is stale: run npm run build:dist and commit dist/`).toBe(true);
    }
  }, 300_000);
});
