/** `simulate --format table`: what fired, when and why, readable at a glance. */
import type { HooklineEvent } from "../events/event-schema.js";
import type { SimulationItem } from "./simulation.js";

const MAX_CELL = 60;

function clip(text: string, max = MAX_CELL): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function why(event: HooklineEvent | null, state: string, at: string): string {
  if (event === null) return state === "Triggered" ? "deadline passed: too few expected events in the window" : "";
  const name = event.resource["prefect.resource.name"];
  const id = event.resource["prefect.resource.id"];
  const what = `${event.event} on ${name ? `${name} (${id})` : id}`;
  // a proactive deadline fires after its last event: say so, rather than blaming that event
  return event.occurred === at ? what : `deadline passed: nothing expected since ${what} at ${event.occurred}`;
}

function describeRequest(item: Extract<SimulationItem, { type: "action" }>): string {
  if (item.error !== null) return `ERROR ${item.error}`;
  const r = (item.request ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => r[k]).find((v) => v !== undefined && v !== null && v !== "");
  const main = pick("subject", "body", "workflow", "url", "event_type", "event", "title", "automation", "run_id");
  const summary = main === undefined ? JSON.stringify(r) : typeof main === "string" ? main : JSON.stringify(main);
  return clip(summary, 90);
}

export interface TableTotals {
  events: number;
  firings: number;
  actions: number;
}

/** Renders items as fixed-width rows; the caller prints a header once and totals at the end. */
export function tableHeader(): string[] {
  return [`${"AT".padEnd(24)} ${"STATE".padEnd(9)} ${"AUTOMATION".padEnd(28)} WHY`];
}

export function tableRows(items: SimulationItem[]): string[] {
  const rows: string[] = [];
  for (const item of items) {
    if (item.type === "firing") {
      const f = item.firing;
      const labels = Object.entries(f.labels)
        .filter(([, v]) => v !== "")
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      rows.push(
        `${f.at.padEnd(24)} ${f.state.padEnd(9)} ${clip(f.automation, 28).padEnd(28)} ${clip(why(f.triggering_event, f.state, f.at), 90)}${labels ? `  [${clip(labels, 50)}]` : ""}`,
      );
    } else {
      rows.push(`${"".padEnd(24)} ${"".padEnd(9)}   -> ${item.action.type} #${item.index}: ${describeRequest(item)}`);
    }
  }
  return rows;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function tableFooter(t: TableTotals): string[] {
  return ["", `${count(t.events, "event")}, ${count(t.firings, "firing")}, ${count(t.actions, "action")} (dry run: nothing was executed)`];
}
