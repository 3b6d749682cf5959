/**
 * Where an Action bundle's startup time goes, from a V8 .cpuprofile (`node --cpu-prof`): self time by package
 * (through the bundle's source map when there is one), split into module loading (under the bundler's
 * `__nccwpck_require__`, i.e. evaluating the bundled modules) and the rest (running).
 *   node bench/action/attribute.mjs FILE.cpuprofile BUNDLE.js
 * buildMappedBundle() makes a source-mapped copy of hookline's dist (tsc + `ncc build -s`, the same steps as
 * scripts/build-dist.mjs) in bench/action/tmp/prof-build/, so profiles can name packages and source files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

export function buildMappedBundle(root) {
  const require = createRequire(join(root, "package.json"));
  const work = join(root, "bench/action/tmp/prof-build");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tsconfig = join(work, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: "../../../../tsconfig.json",
      compilerOptions: { rootDir: "../../../../src", outDir: "./out", noEmit: false, declaration: false, sourceMap: false },
      files: ["../../../../src/action/index.ts"],
      include: [],
    }),
  );
  const steps = [
    [require.resolve("typescript/bin/tsc"), "-p", tsconfig],
    [require.resolve("@vercel/ncc/dist/ncc/cli.js"), "build", join(work, "out/action/index.js"), "-o", join(work, "dist"), "-s", "--quiet"],
  ];
  for (const step of steps) {
    const r = spawnSync(process.execPath, step, { cwd: root, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`building the source-mapped bundle failed: ${step.slice(1).join(" ")}`);
  }
  return join(work, "dist/index.js");
}

function packageOf(source) {
  const i = source.lastIndexOf("node_modules/");
  if (i >= 0) {
    const parts = source.slice(i + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = /(?:^|\/)(?:out|src)\/([^/]+)\//.exec(source);
  return src ? `hookline src/${src[1]}` : source.replace(/^webpack:\/\/[^/]*\//, "");
}

export function attribute(profilePath, bundlePath, top = 14) {
  const prof = JSON.parse(readFileSync(profilePath, "utf8"));
  const bundleUrl = pathToFileURL(bundlePath).href;
  let map = null;
  if (existsSync(`${bundlePath}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, "utf8")));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sourceOf = (cf) => (cf.url === bundleUrl && map ? (map.findEntry(cf.lineNumber, cf.columnNumber)?.originalSource ?? "") : "");
  // the entry module's top-level await runs the Action inside the bundler's require of that module: frames
  // under hookline's `run` (src/action/main) are running, not loading
  const phase = new Map(); // node id -> "load" | "run" | null
  const phaseOf = (id) => {
    if (phase.has(id)) return phase.get(id);
    const cf = byId.get(id).callFrame;
    let v;
    if (cf.functionName === "run" && /action\/main\.[jt]s$/.test(sourceOf(cf))) v = "run";
    else {
      const up = parent.has(id) ? phaseOf(parent.get(id)) : null;
      v = up === "run" ? "run" : cf.functionName === "__nccwpck_require__" ? "load" : up;
    }
    phase.set(id, v);
    return v;
  };
  const isLoading = (id) => phaseOf(id) === "load";
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const rows = new Map(); // key -> {load, run}
  const files = new Map();
  let total = 0;
  let totalLoad = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    let key;
    let file = null;
    if (cf.url === bundleUrl) {
      if (map) {
        const e = map.findEntry(cf.lineNumber, cf.columnNumber);
        file = e?.originalSource ?? "(unmapped)";
        key = packageOf(file);
      } else key = "(bundle)";
    } else if (cf.url.startsWith("node:") || cf.url === "")
      key = cf.url ? "node internals (JS)" : cf.functionName.startsWith("(") ? cf.functionName : "native / builtins";
    else key = cf.url.replace(/^file:\/\/.*\//, "");
    const l = isLoading(id);
    const r = rows.get(key) ?? { load: 0, run: 0 };
    r[l ? "load" : "run"] += us;
    rows.set(key, r);
    if (file) files.set(file, (files.get(file) ?? 0) + us);
    total += us;
    if (l) totalLoad += us;
  }
  const ms = (us) => (us / 1000).toFixed(1);
  const out = [];
  out.push(`sampled ${ms(total)} ms, of which module loading (under __nccwpck_require__, not under hookline's run()) ${ms(totalLoad)} ms`);
  out.push("", "| self time in | loading ms | running ms | total ms |", "|---|---:|---:|---:|");
  for (const [k, r] of [...rows].sort((a, b) => b[1].load + b[1].run - (a[1].load + a[1].run)).slice(0, top))
    out.push(`| ${k} | ${ms(r.load)} | ${ms(r.run)} | ${ms(r.load + r.run)} |`);
  if (files.size) {
    out.push("", "top source files (self ms):");
    for (const [f, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 12))
      out.push(`  ${ms(us).padStart(7)}  ${f.replace(/^webpack:\/\/[^/]*\//, "")}`);
  }
  return out.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(attribute(process.argv[2], process.argv[3]));
