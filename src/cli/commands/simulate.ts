import { formatProblem, loadAutomations, type AutomationsConfig } from "../../automations/index.js";
import { parseIsoTime, validateEvent } from "../../events/event-schema.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import { LineWriter, openLines, readText } from "../io.js";
import { Simulation, toContractRecord, type SimulationItem } from "../simulation.js";
import { tableFooter, tableHeader, tableRows } from "../table.js";
import type { CliIO } from "./validate.js";

export type SimulateFormat = "json" | "table";

export interface SimulateRun {
  automationsFile: string;
  eventsFile: string;
  untilMs: number | null;
  format: SimulateFormat;
}

function isTick(v: unknown): v is { tick: unknown } {
  // `"tick" in v` first: events never have it, and Object.keys would copy every event's keys
  return typeof v === "object" && v !== null && !Array.isArray(v) && "tick" in v && Object.keys(v).length === 1;
}

export function parseSimulateArgs(argv: string[]): SimulateRun {
  const { values, positionals } = parseFlags("simulate", argv, {
    automations: { type: "string" },
    events: { type: "string" },
    until: { type: "string" },
    format: { type: "string" },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, "simulate");
  if (!values.automations) throw new UsageError("--automations FILE is required", "simulate");
  if (!values.events) throw new UsageError("--events FILE.jsonl is required (use - for standard input)", "simulate");
  const format = values.format ?? "json";
  if (format !== "json" && format !== "table") throw new UsageError(`--format must be json or table, not "${format}"`, "simulate");
  let untilMs: number | null = null;
  if (values.until !== undefined) {
    untilMs = parseIsoTime(values.until);
    if (Number.isNaN(untilMs))
      throw new UsageError(`--until must be an ISO-8601 time like 2024-05-01T12:00:00Z, not "${values.until}"`, "simulate");
  }
  return { automationsFile: values.automations, eventsFile: values.events, untilMs, format };
}

/** Loads and reports the automations file; null (after printing every problem) when it has errors. */
export function loadOrReport(file: string, io: CliIO): AutomationsConfig | null {
  const result = loadAutomations(readText(file), file);
  for (const p of result.problems) io.err(formatProblem(p));
  return result.config;
}

export async function runSimulation(run: SimulateRun, io: CliIO, writer: LineWriter): Promise<number> {
  const config = loadOrReport(run.automationsFile, io);
  const lines = openLines(run.eventsFile); // checks readability before any output
  if (config === null) return EXIT.invalid;
  const sim = new Simulation(config);
  const totals = { events: 0, firings: 0, actions: 0 };
  const emit = (items: SimulationItem[]) => {
    if (items.length === 0) return;
    for (const item of items) {
      if (item.type === "firing") totals.firings++;
      else totals.actions++;
    }
    if (run.format === "json") for (const item of items) writer.line(JSON.stringify(toContractRecord(item)));
    else for (const row of tableRows(items)) writer.line(row);
  };
  if (run.format === "table") for (const row of tableHeader()) writer.line(row);

  let lineNo = 0;
  let exit: number = EXIT.ok;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      exit = fail(io, writer, `${run.eventsFile}:${lineNo}: not valid JSON: ${(err as Error).message}`);
      break;
    }
    if (isTick(parsed)) {
      const ms = typeof parsed.tick === "string" ? parseIsoTime(parsed.tick) : Number.NaN;
      if (Number.isNaN(ms)) {
        exit = fail(io, writer, `${run.eventsFile}:${lineNo}: "tick" must be an ISO-8601 time like 2024-05-01T12:00:00Z`);
        break;
      }
      emit(sim.tick(ms));
      continue;
    }
    const checked = validateEvent(parsed, line);
    if (!checked.ok) {
      exit = fail(io, writer, `${run.eventsFile}:${lineNo}: not a valid event: ${checked.errors.join("; ")}`);
      break;
    }
    totals.events++;
    emit(sim.event(checked.event));
  }
  if (exit === EXIT.ok && run.untilMs !== null) emit(sim.tick(run.untilMs));
  if (run.format === "table") for (const row of tableFooter(totals)) writer.line(row);
  writer.flush();
  for (const w of sim.warnings) io.err(`warning: ${w}`);
  const waiting = sim.pendingFollowers();
  if (waiting.length) {
    io.err(`${waiting.length} event${waiting.length === 1 ? " is" : "s are"} still waiting for the event they follow:`);
    for (const e of waiting) io.err(`  ${e.id} (${e.event} at ${e.occurred}) follows ${e.follows}`);
  }
  return exit;
}

function fail(io: CliIO, writer: LineWriter, message: string): number {
  writer.flush();
  io.err(message);
  return EXIT.invalid;
}

export async function simulateCommand(argv: string[], io: CliIO, writer: LineWriter): Promise<number> {
  return runSimulation(parseSimulateArgs(argv), io, writer);
}
