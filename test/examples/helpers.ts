/** Reads the bundled examples/ and replays them in-process through the same pipeline as `hookline simulate`. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAutomations, type LoadResult } from "../../src/automations/index.js";
import { Simulation, toContractRecord } from "../../src/cli/simulation.js";
import { validateEvent, type HooklineEvent } from "../../src/events/index.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const EXAMPLES = join(ROOT, "examples");

/** Every examples/<name>/ that `hookline demo` replays: it holds automations.yaml and events.jsonl. */
/** the examples recorded from GitHub webhooks (examples/webhooks is the server's custom-webhook example, tested in test/webhooks) */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES, { withFileTypes: true })
    .filter(
      (d) => d.isDirectory() && ["automations.yaml", "events.jsonl", "webhooks.jsonl"].every((f) => existsSync(join(EXAMPLES, d.name, f))),
    )
    .map((d) => d.name)
    .sort();
}

export function readExample(name: string, file: string): string {
  return readFileSync(join(EXAMPLES, name, file), "utf8");
}

export function jsonLines(text: string): unknown[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as unknown);
}

export function loadExample(name: string): LoadResult {
  return loadAutomations(readExample(name, "automations.yaml"), `examples/${name}/automations.yaml`);
}

export function eventsOf(name: string): HooklineEvent[] {
  return jsonLines(readExample(name, "events.jsonl")).map((raw, i) => {
    const r = validateEvent(raw);
    if (!r.ok) throw new Error(`examples/${name}/events.jsonl:${i + 1}: ${r.errors.join("; ")}`);
    return r.event;
  });
}

/** Shorthand for the records of the `simulate --format json` contract. */
export type SimRecord = Record<string, unknown> & { kind: "firing" | "action"; automation: string };

/** Replays an example as `hookline simulate --format json` does (with its until.txt, if any). */
export function simulateExample(name: string): { records: SimRecord[]; events: HooklineEvent[]; warnings: string[] } {
  const loaded = loadExample(name);
  if (loaded.config === null) throw new Error(`examples/${name}/automations.yaml does not load`);
  const sim = new Simulation(loaded.config);
  const events = eventsOf(name);
  const records: SimRecord[] = [];
  for (const e of events) records.push(...sim.event(e).map((i) => toContractRecord(i) as SimRecord));
  const untilFile = join(EXAMPLES, name, "until.txt");
  if (existsSync(untilFile))
    records.push(...sim.tick(Date.parse(readFileSync(untilFile, "utf8").trim())).map((i) => toContractRecord(i) as SimRecord));
  return { records, events, warnings: sim.warnings };
}

export function firings(records: SimRecord[]): SimRecord[] {
  return records.filter((r) => r.kind === "firing");
}

export function actions(records: SimRecord[]): SimRecord[] {
  return records.filter((r) => r.kind === "action");
}

/** The event of a run in a given state (e.g. run 9202, "Running"); fails loudly when the stream lacks it. */
export function eventOf(events: HooklineEvent[], runId: number, state: string): HooklineEvent {
  const found = events.filter(
    (e) => e.resource["prefect.resource.id"] === `github.workflow-run.${runId}` && e.resource["github.state"] === state,
  );
  if (found.length !== 1) throw new Error(`expected one ${state} event of run ${runId}, found ${found.length}`);
  return found[0]!;
}

export function runNode(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { encoding: "utf8", cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
