/**
 * Module hooks that let a worker thread started by a test run the TypeScript sources (vitest transforms the
 * test's own modules, not a worker's): `./x.js` resolves to `./x.ts` when only the source exists, and `.ts`
 * files are transpiled by the project's TypeScript (no type check). Transpiled files are cached under
 * node_modules/.cache (keyed by path, size and mtime), so TypeScript itself is loaded only on a miss and a
 * worker starts in about the time the compiled build/ takes. Production runs the compiled build/.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CACHE = fileURLToPath(new URL("../../node_modules/.cache/hookline-ts-worker/", import.meta.url));
let ts = null;

export async function resolve(specifier, context, next) {
  if (specifier.endsWith(".js") && (specifier.startsWith(".") || specifier.startsWith("file:")) && context.parentURL?.endsWith(".ts")) {
    const url = new URL(specifier, context.parentURL);
    const source = new URL(url.href.replace(/\.js$/, ".ts"));
    if (!existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(source))) return { url: source.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const file = fileURLToPath(url);
  const st = statSync(file);
  const cached = `${CACHE}${createHash("sha256").update(`${file}:${st.size}:${st.mtimeMs}`).digest("hex")}.js`;
  if (existsSync(cached)) return { format: "module", source: readFileSync(cached, "utf8"), shortCircuit: true };
  ts ??= (await import("typescript")).default;
  const out = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, out);
  return { format: "module", source: out, shortCircuit: true };
}
