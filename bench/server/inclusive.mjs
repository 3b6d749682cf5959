/**
 * Inclusive time of named functions in a .cpuprofile (a function counted once per sample even when
 * recursive): `node bench/server/inclusive.mjs FILE [name|file-substring ...]`. Without names, the top 40
 * by inclusive time. Tells where a request's time goes (translate, ingest, evaluation, logging, Probot).
 */
import { readFileSync } from "node:fs";

const [file, ...names] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const label = (n) =>
  `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(node_modules|build)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;
const incl = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of dt) {
  total += us;
  const leaf = byId.get(id);
  if (["(idle)", "(program)", "(garbage collector)"].includes(leaf.callFrame.functionName)) {
    if (leaf.callFrame.functionName === "(idle)") idle += us;
    const k = leaf.callFrame.functionName;
    incl.set(k, (incl.get(k) ?? 0) + us);
    continue;
  }
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    const keys = names.length ? names.filter((q) => label(n).includes(q)) : [label(n)];
    for (const k of keys) {
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
}
const ms = (us) => (us / 1000).toFixed(0).padStart(7);
console.log(`total ${ms(total)} ms, busy ${ms(total - idle)} ms`);
const rows = [...incl].sort((a, b) => b[1] - a[1]).slice(0, names.length ? 1000 : Number(process.env.TOP ?? 40));
for (const [k, us] of rows) console.log(`${ms(us)} ms ${((100 * us) / (total - idle)).toFixed(1).padStart(5)} % of busy  ${k}`);
