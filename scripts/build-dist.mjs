#!/usr/bin/env node
/**
 * Builds the Action bundle into dist/ (or the directory given as the first argument; test/action/dist-fresh.test.ts
 * builds into a temp dir and compares):
 *   1. tsc compiles ONLY what src/action/index.ts imports (a generated tsconfig with `files`), into
 *      build/dist-src/, failing on type errors there. (ncc's own TypeScript loader type-checks every file of
 *      tsconfig.json, so an unrelated file mid-edit would break the bundle.)
 *   2. ncc bundles build/dist-src/action/index.js as ESM (dist/package.json {"type":"module"}) with licenses.
 * The output is deterministic: the same sources give the same bytes, whatever the output directory.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "dist"));
const work = join(root, "build/dist-src");
const require = createRequire(import.meta.url);

function step(what, args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`build-dist: ${what} failed (exit ${r.status ?? r.signal}); fix the errors above and run npm run build:dist again`);
    process.exit(1);
  }
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const tsconfig = join(work, "tsconfig.json");
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: "../../tsconfig.json",
    compilerOptions: { rootDir: "../../src", outDir: "./out", noEmit: false, declaration: false, sourceMap: false },
    files: ["../../src/action/index.ts"],
    include: [],
  }),
);
step("tsc", [require.resolve("typescript/bin/tsc"), "-p", tsconfig]);
step("ncc", [require.resolve("@vercel/ncc/dist/ncc/cli.js"), "build", join(work, "out/action/index.js"), "-o", out, "--license", "licenses.txt", "--quiet"]);
