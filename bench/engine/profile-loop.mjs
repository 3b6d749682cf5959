/**
 * The engine loop alone, once, under the V8 CPU profiler (the same profile `node --cpu-prof` writes, but
 * started after loading, so YAML parsing and file reading stay out of it):
 *   node bench/engine/profile-loop.mjs [--events N] [--no-validate]   -> bench/engine/tmp/engine-loop.cpuprofile
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
const { files } = await ensureData({ events: i < 0 ? 200_000 : Number(process.argv[i + 1]) });
const { loadAutomations } = await import(`${ROOT}build/src/automations/index.js`);
const { createEngine } = await import(`${ROOT}build/src/engine/index.js`);
const { validateEvent } = await import(`${ROOT}build/src/events/index.js`);
const config = loadAutomations(readFileSync(files.automations, "utf8"), files.automations).config;
const lines = readLines(files.events);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 200 });
await session.post("Profiler.start");
const t0 = performance.now();
const engine = createEngine(config);
let firings = 0;
for (const line of lines) {
  let event = JSON.parse(line);
  if (validate) {
    const checked = validateEvent(event, line);
    if (!checked.ok) throw new Error(checked.errors.join("; "));
    event = checked.event;
  }
  for (const o of engine.ingest(event)) if (o.kind === "firing") firings++;
}
console.error(`${lines.length} events, ${firings} firings, ${((performance.now() - t0) / 1000).toFixed(2)} s (validate: ${validate})`);
const { profile } = await session.post("Profiler.stop");
const out = `${TMP}engine-loop${validate ? "" : "-no-validate"}.cpuprofile`;
writeFileSync(out, JSON.stringify(profile));
console.error(`profile: ${out}`);
