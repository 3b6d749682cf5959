/**
 * Hostile templates against the deterministic work budget (in-process, no worker): how long each attack family
 * runs before it is refused or aborted, and at what cost per work unit (calibrates WORK_COSTS).
 *   npm run build && node bench/templates/hostile.mjs [--only NAME] [--budget UNITS] [--reps 3]
 * Every template is rendered WITHOUT the static check (renderUnchecked), so the runtime wall alone is measured.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
if (!existsSync(`${ROOT}build/src/templates/render.js`)) {
  console.error("bench: build/ is missing: run `npm run build` first");
  process.exit(2);
}
const { renderUnchecked } = await import(`${ROOT}build/src/templates/render.js`);
const { toTemplateData } = await import(`${ROOT}build/src/templates/data.js`);
const { TEMPLATE_LIMITS } = await import(`${ROOT}build/src/templates/policy.js`);

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const only = arg("only", null);
const budget = Number(arg("budget", TEMPLATE_LIMITS.workBudget));
const reps = Number(arg("reps", 3));

const loop2 = (body) => `{% for a in range(100) %}{% for b in range(100) %}${body}{% endfor %}{% endfor %}`;
const mapping = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value ${n - i}`]));
let deep = { leaf: "x" };
for (let i = 0; i < 60; i++) deep = { a: deep, b: [1, 2, 3] };
const context = toTemplateData({
  big: "x".repeat(1_000_000),
  body64: "lorem ipsum\n".repeat(5_461),
  spaces: `a${" ".repeat(60_000)}a`,
  tags: "<a".repeat(30_000),
  list: Array.from({ length: 100_000 }, (_, i) => `item${i}`),
  list1k: Array.from({ length: 1_000 }, (_, i) => ({ name: `n${i % 37}`, v: i })),
  strings1k: Array.from({ length: 1_000 }, (_, i) => `string number ${(i * 7919) % 1000}`),
  map1k: mapping(1_000),
  map10k: mapping(10_000),
  deep,
});

/** name -> template; every one is hostile (the legitimate shapes are in test/templates/budget-*.test.ts) */
const CASES = {
  "brief (1 MB string, selectattr x900)": `{% set s = "xxxxxxxxxxxxxxxx" %}{% for i in range(16) %}{% set s = s ~ s %}{% endfor %}{% for a in range(30) %}{% for b in range(30) %}{{ s | selectattr("q") | length }}{% endfor %}{% endfor %}`,
  "brief (64 KB string)": `{% set s = "xxxxxxxxxxxxxxxx" %}{% for i in range(12) %}{% set s = s ~ s %}{% endfor %}{% for a in range(30) %}{% for b in range(30) %}{{ s | selectattr("q") | length }}{% endfor %}{% endfor %}`,
  "~ doubling": `{% set s = "xx" %}{% for i in range(100) %}{% set s = s ~ s %}{% endfor %}`,
  "+ list doubling": `{% set l = [1, 2] %}{% for i in range(100) %}{% set l = l + l %}{% endfor %}`,
  "list of references | tojson": `{% set l = [big] %}{% for i in range(16) %}{% set l = l + l %}{% endfor %}{{ l | tojson | length }}`,
  upper: loop2("{{ body64 | upper | length }}"),
  "capitalize/title": loop2("{{ body64 | title | length }}"),
  escape: loop2("{{ tags | e | length }}"),
  selectattr: loop2('{{ list1k | selectattr("v") | length }}'),
  "select (test per item)": loop2('{{ list1k | select("defined") | length }}'),
  sort: loop2("{{ strings1k | sort | length }}"),
  "sort(attribute)": loop2('{{ list1k | sort(attribute="name") | length }}'),
  "dictsort by value": loop2('{{ map1k | dictsort(false, "value") | length }}'),
  groupby: loop2('{{ list1k | groupby("name") | length }}'),
  join: loop2('{{ strings1k | join(",") | length }}'),
  "join(attribute)": loop2('{{ list1k | join(",", "name") | length }}'),
  tojson: loop2("{{ list1k | tojson | length }}"),
  "tojson(10) deep": loop2("{{ deep | tojson(10) | length }}"),
  "batch(1)": loop2("{{ strings1k | batch(1) | length }}"),
  "slice(1000)": loop2("{{ strings1k | slice(1000) | length }}"),
  "list of a mapping": loop2("{{ map1k | list | length }}"),
  reverse: loop2("{{ body64 | reverse | length }}"),
  "length of a mapping": loop2("{{ map10k | length }}"),
  center: loop2("{{ 'x' | center(10000) | length }}"),
  indent: loop2("{{ body64 | indent(100) | length }}"),
  "replace('', ...)": loop2("{{ body64 | replace('', 'yy') | length }}"),
  truncate: loop2("{{ big | truncate(1000000, true) | length }}"),
  "trim (spaces)": loop2("{{ spaces | trim | length }}"),
  "striptags (no >)": loop2("{{ tags | striptags | length }}"),
  "striptags(true) (spaces)": loop2("{{ spaces | striptags(true) | length }}"),
  urlize: loop2("{{ body64 | urlize | length }}"),
  wordcount: loop2("{{ body64 | wordcount }}"),
  urlencode: loop2("{{ map1k | urlencode | length }}"),
  "sum (strings)": loop2("{{ strings1k | sum | length }}"),
  "int of a list": loop2("{{ strings1k | int }}"),
  "list < 1": loop2("{% if strings1k < 1 %}{% endif %}"),
  "list - 1": loop2("{% if strings1k - 1 %}{% endif %}"),
  "list == 'x'": loop2("{% if strings1k == 'x' %}{% endif %}"),
  "'zz' in string": loop2("{% if 'zz' in big %}{% endif %}"),
  "'x' in list": loop2("{% if 'x' in list %}{% endif %}"),
  "is lower": loop2("{% if big is lower %}{% endif %}"),
  "is ge (list)": loop2("{% if strings1k is ge(1) %}{% endif %}"),
  "huge body: outputs": loop2("{{ 1 }}".repeat(3_000)),
  "huge body: sets": loop2("{% set x = 1 %}".repeat(3_000)),
  "huge body: ifs": loop2("{% if a %}{% endif %}".repeat(3_000)),
  "huge body: lookups": loop2("{{ map1k.key1 }}".repeat(3_000)),
  "range() calls": loop2("{{ range(100) | length }}"),
  "string chars loop": "{% for c in big %}{% endfor %}",
  "macro recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
  "call/caller": "{% call f() %}x{% endcall %}",
};

const rows = [];
for (const [name, src] of Object.entries(CASES)) {
  if (only && !name.includes(only)) continue;
  let best = Infinity;
  let outcome = "";
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    try {
      const out = renderUnchecked(src, context, "text", { workBudget: budget });
      outcome = `rendered (${String(out).length} chars)`;
    } catch (err) {
      outcome = err.code ?? String(err);
    }
    best = Math.min(best, performance.now() - t0);
  }
  const perUnit = outcome === "HOOKLINE_TEMPLATE_BUDGET_EXCEEDED" ? ((best * 1e6) / budget).toFixed(2) : "";
  rows.push({ name, ms: best.toFixed(1), outcome, "ns/unit": perUnit });
}
console.table(rows);
const worst = rows.reduce((w, r) => (Number(r.ms) > Number(w.ms) ? r : w), rows[0]);
console.log(`budget ${budget} units; slowest: ${worst.name} ${worst.ms} ms (${worst.outcome})`);
