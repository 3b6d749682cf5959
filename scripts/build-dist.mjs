#!/usr/bin/env node
/**
 * Builds the Action bundle: `ncc build src/action/index.ts` into dist/ (or the directory given as the first
 * argument; test/action/dist-fresh.test.ts builds into a temp dir and compares). ncc compiles the TypeScript
 * itself (NodeNext `.js` imports resolve to the .ts files) and emits ESM with dist/package.json {"type":"module"}.
 * The output is deterministic: the same sources give the same bytes.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? resolve(root, "dist"));
const ncc = createRequire(import.meta.url).resolve("@vercel/ncc/dist/ncc/cli.js");
const result = spawnSync(process.execPath, [ncc, "build", "src/action/index.ts", "-o", out, "--license", "licenses.txt", "--quiet"], {
  cwd: root,
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error(`build-dist: ncc failed (exit ${result.status ?? result.signal}); fix the errors above and run npm run build:dist again`);
  process.exit(1);
}
