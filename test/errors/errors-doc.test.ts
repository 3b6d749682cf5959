/**
 * docs/errors.md is generated from the registry (`npm run docs:errors`): the committed page is the generated one,
 * every code has its anchor on it, and every `docs/errors.md#...` link a message names reaches an anchor.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorsMarkdown } from "../../src/errors/doc.js";
import { ERROR_CODES, errorAnchor, type HooklineCode } from "../../src/errors/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = readFileSync(join(ROOT, "docs/errors.md"), "utf8");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

describe("docs/errors.md", () => {
  it("is the page the registry generates (run `npm run docs:errors` after changing a code)", () => {
    expect(PAGE).toBe(errorsMarkdown());
  });

  it("has an anchor for every code, named as messages link it (docs/errors.md#hookline_secret_missing)", () => {
    for (const code of Object.keys(ERROR_CODES) as HooklineCode[]) expect(PAGE, code).toContain(`<a id="${errorAnchor(code)}"></a>`);
    expect(errorAnchor("HOOKLINE_SECRET_MISSING")).toBe("hookline_secret_missing");
  });

  it("every docs/errors.md#anchor named in src/ or bots/ exists on the page", () => {
    const links = [...sources("src"), ...sources("bots")].flatMap((f) => [
      ...readFileSync(join(ROOT, f), "utf8").matchAll(/docs\/errors\.md#([\w-]+)/g),
    ]);
    const missing = links.map((m) => m[1]!).filter((a) => !PAGE.includes(`<a id="${a}"></a>`));
    expect(missing).toEqual([]);
  });
});
