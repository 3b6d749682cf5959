/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), and self time per file.
 *   node bench/engine/top-self.mjs FILE.cpuprofile [--top 30]
 */
import { readFileSync } from "node:fs";

const file = process.argv[2];
const ti = process.argv.indexOf("--top");
const TOP = ti < 0 ? 30 : Number(process.argv[ti + 1]);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const selfUs = new Map(); // node id -> µs
for (let i = 0; i < prof.samples.length; i++) selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const short = (url) => url.replace(/^file:\/\/.*?\/(build|node_modules|bench)\//, "$1/").replace(/^node:/, "node:");
const fns = new Map();
const files = new Map();
for (const [id, us] of selfUs) {
  const cf = byId.get(id).callFrame;
  const where = cf.url ? `${short(cf.url)}:${cf.lineNumber + 1}` : "(native)";
  const key = `${cf.functionName || "(anonymous)"} ${where}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const f = cf.url ? short(cf.url) : cf.functionName || "(native)";
  files.set(f, (files.get(f) ?? 0) + us);
}
const pct = (us) => `${((us / total) * 100).toFixed(1)}%`.padStart(6);
const ms = (us) => `${(us / 1000).toFixed(0)} ms`.padStart(9);
console.log(`total sampled: ${(total / 1e6).toFixed(2)} s\n\ntop self time by function (line is 1-based, in build/*.js):`);
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms(us)} ${pct(us)}  ${k}`);
console.log("\nself time by file:");
for (const [k, us] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${ms(us)} ${pct(us)}  ${k}`);
