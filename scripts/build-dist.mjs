#!/usr/bin/env node
/**
 * Builds the Action bundle into dist/ (or the directory given as the first argument; test/action/dist-fresh.test.ts
 * builds into a temp dir and compares):
 *   1. tsc compiles ONLY what src/action/index.ts imports (a generated tsconfig with `files`), into
 *      build/dist-src/, failing on type errors there. (ncc's own TypeScript loader type-checks every file of
 *      tsconfig.json, so an unrelated file mid-edit would break the bundle.)
 *   2. ncc bundles build/dist-src/action/index.js as ESM (dist/package.json {"type":"module"}) with licenses.
 *      What a mode rarely needs is imported with `import()` and lands in a chunk next to index.js
 *      (`<id>.index.js`, loaded only when used: nodemailer, @actions/github behind a proxy); licenses.txt
 *      covers the entry and every chunk.
 * The output is deterministic: the same sources give the same bytes, whatever the output directory.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
// stale chunks of an earlier build must not survive next to the new index.js
for (const f of existsSync(out) ? readdirSync(out) : []) if (/^\d+\.index\.js$|^licenses(-.+)?\.txt$/.test(f)) rmSync(join(out, f));
step("ncc", [
  require.resolve("@vercel/ncc/dist/ncc/cli.js"),
  "build",
  join(work, "out/action/index.js"),
  "-o",
  out,
  "--license",
  "licenses-[name].txt",
  "--quiet",
]);
mergeLicenses(out);

/**
 * ncc writes one licence file per chunk (the same file name for every chunk would keep only the last one):
 * licenses.txt is the entry chunk's, then each chunk loaded on demand (`import()`: nodemailer, the proxy
 * fallback) under a heading naming its file.
 */
function mergeLicenses(dir) {
  const files = readdirSync(dir)
    .filter((f) => /^licenses-.+\.txt$/.test(f))
    .sort();
  const main = files.find((f) => f === "licenses-index.txt") ?? files.find((f) => !/^licenses-\d+\.txt$/.test(f));
  if (!main) {
    console.error(`build-dist: ncc wrote no licence file for the entry chunk (found: ${files.join(", ") || "none"})`);
    process.exit(1);
  }
  let text = readFileSync(join(dir, main), "utf8");
  for (const f of files.filter((f) => f !== main)) {
    const chunk = `${f.slice("licenses-".length, -".txt".length)}.index.js`;
    text += `\n==== dist/${chunk} (loaded on demand) ====\n\n${readFileSync(join(dir, f), "utf8")}`;
  }
  for (const f of files) rmSync(join(dir, f));
  writeFileSync(join(dir, "licenses.txt"), text);
}
