/**
 * Writes the bench inputs to bench/engine/tmp/ (git-ignored): automations-*.yaml (1,000 mixed automations) and
 * events-*.jsonl (200,000 GitHub-like events in time order). Reuses them when a stamp says they were made with
 * the same parameters; automations-firing-*.yaml is the same file plus gen-firing.mjs' reports (`--workload firing`).
 * Needs build/ (`npx tsc -p tsconfig.build.json`).
 *   node bench/engine/generate.mjs [--events N] [--automations N] [--seed S] [--force]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateAutomations } from "./gen-automations.mjs";
import { firingAutomationLines } from "./gen-firing.mjs";
import { writeEvents } from "./gen-events.mjs";
import { buildWorld } from "./world.mjs";

export const TMP = fileURLToPath(new URL("./tmp/", import.meta.url));
const GENERATOR_VERSION = 1;

export async function ensureData({ events = 200_000, automations = 1000, seed = 20240506, force = false, log = console.error } = {}) {
  mkdirSync(TMP, { recursive: true });
  const tag = `${automations}a-${events}e-${seed}`;
  const files = {
    automations: `${TMP}automations-${tag}.yaml`,
    firingAutomations: `${TMP}automations-firing-${tag}.yaml`,
    events: `${TMP}events-${tag}.jsonl`,
    stamp: `${TMP}stamp-${tag}.json`,
  };
  const withFiring = (result) => {
    writeFileSync(files.firingAutomations, readFileSync(files.automations, "utf8") + firingAutomationLines());
    return result;
  };
  const params = { GENERATOR_VERSION, events, automations, seed };
  if (!force && existsSync(files.stamp) && existsSync(files.events) && existsSync(files.automations)) {
    const stamp = JSON.parse(readFileSync(files.stamp, "utf8"));
    if (JSON.stringify(stamp.params) === JSON.stringify(params)) return withFiring({ files, ...stamp });
  }
  const world = buildWorld(seed);
  const t0 = performance.now();
  const a = generateAutomations(world, seed + 1, automations);
  writeFileSync(files.automations, a.text);
  const e = await writeEvents(files.events, { world, seed: seed + 2, count: events });
  const stamp = { params, automationKinds: a.kinds, events: e };
  writeFileSync(files.stamp, JSON.stringify(stamp, null, 2));
  log(
    `generated ${automations} automations and ${e.events} events (${(e.bytes / 1e6).toFixed(0)} MB, ${e.first} .. ${e.last}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return withFiring({ files, ...stamp });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? dflt : Number(process.argv[i + 1]);
  };
  const out = await ensureData({
    events: arg("events", 200_000),
    automations: arg("automations", 1000),
    seed: arg("seed", 20240506),
    force: process.argv.includes("--force"),
  });
  console.log(JSON.stringify(out, null, 2));
}
