// Regenerates docs/errors.md from the error registry (src/errors/registry.ts): `npm run docs:errors`.
// test/errors/errors-doc.test.ts fails when the committed page is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { errorsMarkdown } from "../build/src/errors/doc.js";

const page = new URL("../docs/errors.md", import.meta.url);
const next = errorsMarkdown();
let before = "";
try {
  before = readFileSync(page, "utf8");
} catch {
  // first generation
}
writeFileSync(page, next);
console.log(next === before ? "docs/errors.md is up to date" : "docs/errors.md regenerated");
