/**
 * Engine throughput bench: 1,000 mixed automations, 200,000 GitHub-like events, against a JSON.parse floor.
 *   npm run bench                      (npm run build first: it imports build/src/)
 *   node bench/engine/run.js [--reps 5] [--events 200000] [--automations 1000] [--seed S] [--skip-process | --skip-in-process]
 *                            [--workload mixed|firing]   (firing: about a third of the events fire, gen-firing.mjs)
 *                            [--baseline DIR]   (also the engine of another build, e.g. main's build copied to bench/engine/tmp/build-main (under the repository, for node_modules), same rounds)
 * Inputs are generated (seeded) into bench/engine/tmp/ on first use; results go to tmp/results.json too.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { coveredShare } from "./coverage.mjs";
import { ensureData, TMP } from "./generate.mjs";
import { readLines } from "./lines.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const REPS = arg("reps", 5);
const wi = process.argv.indexOf("--workload");
const WORKLOAD = wi < 0 ? "mixed" : process.argv[wi + 1];
if (WORKLOAD !== "mixed" && WORKLOAD !== "firing") throw new Error(`--workload must be mixed or firing, not ${WORKLOAD}`);
const TARGETS = { engine: 2, simulate: 4 };

if (!existsSync(`${ROOT}build/src/engine/index.js`)) {
  console.error("bench: build/src/ is missing; run `npm run build` (npx tsc -p tsconfig.build.json) first");
  process.exit(2);
}
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

const { loadAutomations } = await import(`${ROOT}build/src/automations/index.js`);
const { createEngine } = await import(`${ROOT}build/src/engine/index.js`);
const { validateEvent, matchesEventName, matchesEvent } = await import(`${ROOT}build/src/events/index.js`);
const bi = process.argv.indexOf("--baseline");
const BASELINE = bi < 0 ? null : pathToFileURL(resolve(process.argv[bi + 1])).href.replace(/\/?$/, "/");
const baseline =
  BASELINE === null
    ? null
    : {
        createEngine: (await import(`${BASELINE}src/engine/index.js`)).createEngine,
        validateEvent: (await import(`${BASELINE}src/events/index.js`)).validateEvent,
      };

const data = await ensureData({ events: arg("events", 200_000), automations: arg("automations", 1000), seed: arg("seed", 20240506) });
const { files } = data;
const automationsFile = WORKLOAD === "firing" ? files.firingAutomations : files.automations;
const loaded = loadAutomations(readFileSync(automationsFile, "utf8"), automationsFile);
if (loaded.config === null) {
  console.error(loaded.problems.slice(0, 5));
  throw new Error("the generated automations file does not load");
}
const config = loaded.config;
const lines = readLines(files.events);
const N = lines.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Interleaved rounds (the machine is shared: a floor and its subject must see the same load): round 0 warms up,
 * then REPS rounds run each subject once, in turn. `once(first)` returns facts on the warm-up; gc before each.
 * Each subject's `ratios` are its time over the round's first subject (the floor), round by round.
 */
function measureRounds(subjects) {
  const res = subjects.map((s) => ({ name: s.name, runs: [], ratios: [], cpuRuns: [], cpuRatios: [] }));
  for (let i = 0; i <= REPS; i++) {
    const times = subjects.map((s, k) => {
      gc();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const f = s.once(i === 0);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      // a child process reports its own CPU time (cpu-usage.mjs); in-process runs are this process's
      const cpuMs = typeof f?.cpuMs === "number" ? f.cpuMs : (c.user + c.system) / 1000;
      if (i === 0) Object.assign(res[k], f ?? {});
      process.stderr.write(
        `  ${s.name} ${i === 0 ? "warm-up" : `#${i}`}: ${(ms / 1000).toFixed(2)} s (CPU ${(cpuMs / 1000).toFixed(2)} s)\n`,
      );
      return { ms, cpuMs };
    });
    if (i > 0)
      times.forEach((t, k) => {
        res[k].runs.push(t.ms);
        res[k].ratios.push(t.ms / times[0].ms);
        res[k].cpuRuns.push(t.cpuMs);
        res[k].cpuRatios.push(t.cpuMs / times[0].cpuMs);
      });
  }
  for (const r of res) {
    r.ms = median(r.runs);
    delete r.cpuMs; // a child's warm-up facts
  }
  return res;
}

function floorLoop() {
  let touched = 0;
  for (let i = 0; i < N; i++) touched += JSON.parse(lines[i]).id.length;
  if (touched === 0) throw new Error("nothing parsed");
}

function engineLoop(validate, impl = { createEngine, validateEvent }) {
  const engine = impl.createEngine(config);
  let firings = 0;
  for (let i = 0; i < N; i++) {
    const line = lines[i];
    let event = JSON.parse(line);
    if (validate) {
      const checked = impl.validateEvent(event, line);
      if (!checked.ok) throw new Error(`line ${i + 1}: ${checked.errors.join("; ")}`);
      event = checked.event;
    }
    const out = engine.ingest(event);
    for (let j = 0; j < out.length; j++) if (out[j].kind === "firing") firings++;
  }
  return { engine, firings };
}

function heapAfter(validate) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const { engine, firings } = engineLoop(validate);
  gc();
  const after = process.memoryUsage().heapUsed;
  const stateBytes = JSON.stringify(engine.snapshot()).length;
  return { firings, heapUsedAfter: after, engineHeap: after - before, stateBytes };
}

/** runs `node --import cpu-usage.mjs ARGS`, stdout to a file; its CPU time from the line cpu-usage.mjs prints */
function spawnTimed(args, stdoutFile) {
  const fd = openSync(stdoutFile, "w");
  const res = spawnSync(process.execPath, ["--import", "./bench/engine/cpu-usage.mjs", ...args], {
    cwd: ROOT,
    stdio: ["ignore", fd, "pipe"],
    maxBuffer: 64 << 20,
  });
  closeSync(fd);
  const stderr = res.stderr.toString();
  if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}: ${stderr.slice(0, 2000)}`);
  const m = /bench-cpu-us (\d+)/.exec(stderr);
  if (!m) throw new Error(`${args.join(" ")} did not report its CPU time`);
  return { cpuMs: Number(m[1]) / 1000 };
}

process.stderr.write(`bench: ${N} events, ${config.automations.length} automations, ${REPS} interleaved rounds after a warm-up\n`);
const results = {};
const inProcess = !process.argv.includes("--skip-in-process");
if (inProcess)
  [results.floor, results.engine, results.engineOnly, results.baseline] = measureRounds([
    { name: "floor (JSON.parse)", once: () => floorLoop() },
    { name: "engine (parse + validate + ingest)", once: (first) => (first ? heapAfter(true) : void engineLoop(true)) },
    { name: "engine without validation (parse + ingest)", once: (first) => (first ? heapAfter(false) : void engineLoop(false)) },
    ...(baseline === null ? [] : [{ name: `baseline engine (${BASELINE})`, once: () => void engineLoop(true, baseline) }]),
  ]);

if (!process.argv.includes("--skip-process")) {
  const simOut = `${TMP}simulate-out.jsonl`;
  const simulateArgs = ["bin/hookline.js", "simulate", "--automations", automationsFile, "--events", files.events, "--format", "json"];
  [results.floorProcess, results.simulate] = measureRounds([
    {
      name: "floor process (node + readline + JSON.parse)",
      once: () => spawnTimed(["bench/engine/floor-process.mjs", files.events], "/dev/null"),
    },
    { name: "simulate --format json", once: (first) => spawnTimed(simulateArgs, first ? simOut : "/dev/null") },
  ]);
  const counts = { firing: 0, action: 0, Triggered: 0, Resolved: 0, actionErrors: 0 };
  for (const l of readLines(simOut)) {
    const rec = JSON.parse(l);
    counts[rec.kind]++;
    if (rec.kind === "firing") counts[rec.state]++;
    else if (rec.error) counts.actionErrors++;
  }
  results.simulate.output = counts;
}

const coverage = coveredShare(lines, config.automations, { matchesEventName, matchesEvent });

// ---- report ----
const eps = (r) => N / (r.ms / 1000);
const fmt = (x) => Math.round(x).toLocaleString("en-US");
const ratio = (xs) => `${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)})`;
const row = (r, base, target) =>
  `| ${r.name} | ${(r.ms / 1000).toFixed(2)} | ${fmt(eps(r))} | ${fmt(N / (Math.max(...r.runs) / 1000))} .. ${fmt(N / (Math.min(...r.runs) / 1000))} | ${base ? ratio(r.ratios) : "1.00x (floor)"} | ${base ? ratio(r.cpuRatios) : "1.00x (floor)"} | ${target ? `<= ${target}x: ${median(r.ratios) <= target ? "met" : "MISSED"}` : ""} |`;
const mib = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const out = [];
out.push(
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
);
out.push(
  `${fmt(N)} events (${(data.events.bytes / 1e6).toFixed(0)} MB, ${data.events.first} .. ${data.events.last}), ${config.automations.length} automations; median of ${REPS} interleaved rounds after a warm-up; workload ${WORKLOAD}`,
  "",
);
out.push(
  "| measurement | median s | events/s (median) | events/s (min .. max) | time vs floor (median of rounds, range) | CPU time vs floor | target (time) |",
  "|---|---:|---:|---:|---:|---:|---|",
);
if (inProcess)
  out.push(row(results.floor, null), row(results.engine, results.floor, TARGETS.engine), row(results.engineOnly, results.floor));
if (results.baseline) out.push(row(results.baseline, results.floor, TARGETS.engine));
if (results.simulate) out.push(row(results.floorProcess, null), row(results.simulate, results.floorProcess, TARGETS.simulate));
out.push("");
const validationCost = inProcess ? results.engine.ms - results.engineOnly.ms : 0;
if (inProcess)
  out.push(
    `- engine-only share: JSON.parse ${((results.floor.ms / results.engine.ms) * 100).toFixed(0)}%, validateEvent ${((validationCost / results.engine.ms) * 100).toFixed(0)}% (${((validationCost / N) * 1000).toFixed(1)} µs/event), ingest ${(((results.engineOnly.ms - results.floor.ms) / results.engine.ms) * 100).toFixed(0)}% (${(((results.engineOnly.ms - results.floor.ms) / N) * 1000).toFixed(1)} µs/event)`,
  );
out.push(
  `- workload: ${(coverage.covered * 100).toFixed(0)}% of events (sample of ${fmt(coverage.sampled)}) are named and matched by at least one of the ${fmt(coverage.triggers)} event triggers, ${coverage.triggersPerEvent.toFixed(2)} triggers per event on average`,
);
if (inProcess) {
  out.push(`- firings (engine, no feedback): ${fmt(results.engine.firings)} with validation, ${fmt(results.engineOnly.firings)} without`);
  out.push(
    `- engine memory: heap used after the run ${mib(results.engine.heapUsedAfter)} (engine state +${mib(results.engine.engineHeap)} over the loaded inputs); snapshot() JSON ${(results.engine.stateBytes / 1e6).toFixed(1)} MB`,
  );
}
if (results.simulate) {
  const o = results.simulate.output;
  out.push(
    `- simulate output: ${fmt(o.firing)} firings (${fmt(o.Triggered)} Triggered, ${fmt(o.Resolved)} Resolved), ${fmt(o.action)} actions (${fmt(o.actionErrors)} with a render error)`,
  );
}
if (inProcess && results.engine.firings === 0)
  out.push("- WARNING: the engine produced 0 firings: it is broken or the inputs do not match");
console.log(out.join("\n"));
writeFileSync(`${TMP}results.json`, JSON.stringify({ N, REPS, node: process.version, coverage, results }, null, 2));
