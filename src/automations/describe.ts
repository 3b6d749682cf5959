/** Automations in the user's words, one line each: what a trigger waits for, which actions run. Pure. */
import type { Automation, TriggerSpec } from "./types.js";

/** One line per trigger, in the user's words: what it waits for. */
export function describeTrigger(t: TriggerSpec): string {
  if (t.type === "compound") return `${t.require} of (${t.triggers.map(describeTrigger).join("; ")})`;
  if (t.type === "sequence") return `in order (${t.triggers.map(describeTrigger).join(" -> ")})`;
  const parts: string[] = [];
  if (t.posture === "Proactive") parts.push(`absence of`);
  parts.push(t.expect.length ? t.expect.join(" | ") : "any event");
  const match = Object.entries(t.match).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : v}`);
  if (match.length) parts.push(`where ${match.join(", ")}`);
  if (t.after.length) parts.push(`after ${t.after.join(" | ")}`);
  if (t.threshold !== 1) parts.push(`x${t.threshold}`);
  if (t.within) parts.push(`within ${t.within}s`);
  if (t.for_each.length) parts.push(`for each ${t.for_each.join(", ")}`);
  return parts.join(" ");
}

/** `a, b; on resolve: c`, or `no actions`. */
export function describeActions(a: Automation): string {
  const on = [...a.actions, ...a.actions_on_trigger].map((x) => x.type).join(", ") || "no actions";
  const resolve = a.actions_on_resolve.map((x) => x.type).join(", ");
  return resolve ? `${on}; on resolve: ${resolve}` : on;
}
