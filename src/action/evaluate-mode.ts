/**
 * `mode: evaluate` (the runner's event) and `mode: emit` (an event from the step's inputs): evaluate the
 * repository's automations, run the selected actions (or render them in a dry run), write outputs and a summary.
 */
import { formatProblem } from "../automations/index.js";
import type { AutomationsConfig } from "../automations/types.js";
import type { HooklineEvent } from "../events/index.js";
import { translateWebhook } from "../github/index.js";
import { annotate } from "./annotations.js";
import { ActionInputError } from "./errors.js";
import { dryRun, evaluate, memoryHost, type EngineHost, type EvaluationReport, type Execute } from "./evaluation.js";
import type { ActionIO } from "./io.js";
import { loadRepositoryAutomations, type ApiTarget } from "./load-config.js";
import { toOutputs, toSummary } from "./report.js";

/** What a real run plugs in (executors and the state host, see wiring.ts); absent = a dry run with no stored state. */
export interface EvaluateWiring {
  wire?: (config: AutomationsConfig, io: ActionIO) => { execute: Execute; host: EngineHost };
}

export interface EvaluateArgs {
  io: ActionIO;
  automationsPath: string;
  api: ApiTarget;
  events: HooklineEvent[];
  /** schedule runs: move the clock to now so proactive deadlines fire */
  advanceTo: number | null;
  dryRun: boolean;
  wiring: EvaluateWiring;
  /** one line for the summary: what was received */
  received: string;
}

/** The runner's event as standard events. Re-runs of one run get the same ids: the delivery is the run id. */
export function runnerEvents(
  name: string,
  payloadText: string,
  runKey: string,
  nowIso: string,
): { events: HooklineEvent[]; skipped?: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw new ActionInputError(
      "HOOKLINE_ACTION_EVENT_FILE",
      `the event file (GITHUB_EVENT_PATH) is not JSON; the runner writes it, so this step is not running on a GitHub runner`,
    );
  }
  const translated = translateWebhook({ name, delivery: runKey, payload, received: nowIso });
  return "skipped" in translated ? { events: [], skipped: translated.skipped } : { events: translated.events };
}

export async function evaluateMode(args: EvaluateArgs): Promise<EvaluationReport> {
  const { io } = args;
  // templates are checked at their first render (one automation fires, not fifty): `mode: validate` checks them all
  const loaded = await loadRepositoryAutomations(io, args.automationsPath, args.api, { templates: "lazy" });
  const config = loaded.result.config;
  annotate(loaded.result.problems, io);
  for (const p of loaded.result.problems) io.info(formatProblem(p));
  if (!config) {
    throw new ActionInputError(
      "HOOKLINE_ACTION_AUTOMATIONS_INVALID",
      `${args.automationsPath} has errors (annotated above); fix them, \`mode: validate\` on pull requests catches them earlier`,
    );
  }
  const wired = !args.dryRun && args.wiring.wire ? args.wiring.wire(config, io) : undefined;
  if (!args.dryRun && !wired) io.info("hookline: executors are not available in this build; rendering actions only (dry run)");
  const execute = wired ? wired.execute : dryRun;
  const host = wired ? wired.host : memoryHost(config);
  const report = await evaluate({ config, host, events: args.events, advanceTo: args.advanceTo, execute });
  for (const w of report.warnings) io.warning(w, { title: "hookline" });
  for (const f of report.firings) io.info(`fired: ${f.automation} ${f.state} at ${f.at}`);
  for (const { invocation: inv, result } of report.actions) {
    io.info(
      `action: ${inv.automation.name}[${inv.index}] ${inv.action.type}: ${result.status}${result.reason ? ` (${result.reason})` : ""}`,
    );
  }
  const outputs = toOutputs(report);
  for (const [name, value] of Object.entries(outputs)) io.setOutput(name, value);
  await io.writeSummary(
    "hookline",
    toSummary(
      report,
      args.received,
      loaded.source === "api" ? `${args.automationsPath} (default branch, via the API)` : args.automationsPath,
    ),
  );
  return report;
}
