/** Outputs (`fired`, `actions`, `events`) and the job summary of an evaluation. */
import type { HooklineEvent } from "../events/index.js";
import type { EvaluationReport } from "./evaluation.js";
import { htmlTable, paragraph } from "./io.js";

/** Step outputs are capped by GitHub (1 MB per job): past this, `events` drops payloads. */
export const MAX_EVENTS_OUTPUT = 512 * 1024;

export function toOutputs(report: EvaluationReport): Record<"fired" | "actions" | "events", string> {
  const actions = report.actions.map(({ invocation: inv, result }) => ({
    automation: inv.automation.name,
    firing: inv.firing.id,
    state: inv.firing.state,
    index: inv.index,
    type: inv.action.type,
    idempotency_key: inv.idempotencyKey,
    status: result.status,
    ...(result.request !== undefined ? { request: result.request } : {}),
    ...(result.result !== undefined ? { result: result.result } : {}),
    ...(result.code !== undefined ? { code: result.code } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
  }));
  let events = JSON.stringify(report.events);
  if (events.length > MAX_EVENTS_OUTPUT)
    events = JSON.stringify(report.events.map((e): HooklineEvent => ({ ...e, payload: { truncated: true } })));
  return { fired: String(report.firings.length), actions: JSON.stringify(actions), events };
}

function why(f: EvaluationReport["firings"][number]): string {
  const cause = f.triggering_event
    ? `${f.triggering_event.event} (${f.triggering_event.resource["prefect.resource.id"] ?? "?"})`
    : "no event in time (proactive)";
  const labels = Object.entries(f.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return labels ? `${cause}; ${labels}` : cause;
}

export function toSummary(report: EvaluationReport, received: string, source: string): string[] {
  const blocks = [paragraph(`Received: ${received}. Automations: ${source}.`)];
  const inputs = report.events.filter((e) => !e.event.startsWith("hookline."));
  if (inputs.length)
    blocks.push(
      htmlTable(
        ["Event", "Resource", "Occurred"],
        inputs.map((e) => [e.event, e.resource["prefect.resource.id"] ?? "", e.occurred]),
      ),
    );
  blocks.push(
    report.firings.length
      ? htmlTable(
          ["Automation", "State", "At", "Why"],
          report.firings.map((f) => [f.automation, f.state, f.at, why(f)]),
        )
      : paragraph("No automation fired."),
  );
  if (report.actions.length) {
    blocks.push(
      htmlTable(
        ["Automation", "#", "Action", "Outcome", "Detail"],
        report.actions.map(({ invocation: inv, result }) => [
          inv.automation.name,
          String(inv.index),
          inv.action.type,
          result.status,
          result.reason ?? (result.request !== undefined ? JSON.stringify(result.request) : ""),
        ]),
      ),
    );
  }
  for (const w of report.warnings) blocks.push(paragraph(`Warning: ${w}`));
  return blocks;
}
