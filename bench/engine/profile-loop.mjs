/**
 * The engine loop alone, once, under the V8 CPU profiler (the same profile `node --cpu-prof` writes, but
 * started after loading, so YAML parsing and file reading stay out of it):
 *   node bench/engine/profile-loop.mjs [--events N] [--no-validate] [--workload firing] [--render]
 *     -> bench/engine/tmp/engine-loop[-no-validate][-firing][-render].cpuprofile
 * --render also builds each firing's template data and renders its actions, as `simulate` does (its Simulation).
 *   node bench/engine/top-self.mjs bench/engine/tmp/engine-loop.cpuprofile
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { ensureData, TMP } from "./generate.mjs";
import { readLines } from "./lines.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const i = process.argv.indexOf("--events");
const validate = !process.argv.includes("--no-validate");
const firingWorkload = process.argv.includes("--workload") && process.argv[process.argv.indexOf("--workload") + 1] === "firing";
const render = process.argv.includes("--render");
const { files } = await ensureData({ events: i < 0 ? 200_000 : Number(process.argv[i + 1]) });
const { loadAutomations } = await import(`${ROOT}build/src/automations/index.js`);
const { createEngine } = await import(`${ROOT}build/src/engine/index.js`);
const { validateEvent } = await import(`${ROOT}build/src/events/index.js`);
const automationsFile = firingWorkload ? files.firingAutomations : files.automations;
const config = loadAutomations(readFileSync(automationsFile, "utf8"), automationsFile).config;
const { Simulation } = await import(`${ROOT}build/src/cli/simulation.js`);
const lines = readLines(files.events);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
const t0 = performance.now();
const engine = render ? null : createEngine(config);
const simulation = render ? new Simulation(config) : null;
let firings = 0;
let actions = 0;
for (const line of lines) {
  let event = JSON.parse(line);
  if (validate) {
    const checked = validateEvent(event, line);
    if (!checked.ok) throw new Error(checked.errors.join("; "));
    event = checked.event;
  }
  if (simulation)
    for (const item of simulation.event(event)) {
      if (item.type === "firing") firings++;
      else actions++;
    }
  else for (const o of engine.ingest(event)) if (o.kind === "firing") firings++;
}
console.error(
  `${lines.length} events, ${firings} firings, ${actions} actions rendered, ${((performance.now() - t0) / 1000).toFixed(2)} s (validate: ${validate})`,
);
const { profile } = await session.post("Profiler.stop");
const out = `${TMP}engine-loop${validate ? "" : "-no-validate"}${firingWorkload ? "-firing" : ""}${render ? "-render" : ""}.cpuprofile`;
writeFileSync(out, JSON.stringify(profile));
console.error(`profile: ${out}`);
