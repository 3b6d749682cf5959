/**
 * A trigger in plain sentences for the console's automations page ("Fires when acme.order.failed happens 3
 * times within 5 minutes, per each value of repository."): what describe.ts says in its compact one-liner,
 * written for a reader who does not know the trigger fields. Pure.
 */
import type { EventTriggerSpec, TriggerSpec } from "./types.js";

/** 90 → "1 minute 30 seconds", 3600 → "1 hour", 0 → "" */
export function durationInWords(seconds: number): string {
  const units: [number, string][] = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
    rest -= n * size;
  }
  return parts.join(" ");
}

const list = (items: string[], joiner: "or" | "and") =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;

const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

function matchWords(t: EventTriggerSpec): string {
  const conds = Object.entries(t.match).map(([k, v]) => `${k} is ${list(Array.isArray(v) ? [...v] : [String(v)], "or")}`);
  const related = t.match_related.map(
    (m) =>
      `a related resource has ${list(
        Object.entries(m).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(" or ") : v}`),
        "and",
      )}`,
  );
  const all = [...conds, ...related];
  return all.length ? ` on resources where ${list(all, "and")}` : "";
}

function eventWords(t: EventTriggerSpec): string {
  const expected = t.expect.length ? list(t.expect, "or") : "any event";
  const per = t.for_each.length ? `, separately for each ${list(t.for_each, "and")}` : "";
  const within = t.within > 0 ? durationInWords(t.within) : "";
  if (t.posture === "Proactive") {
    const start = t.after.length ? `, after ${list(t.after, "or")},` : "";
    const count = t.threshold <= 1 ? `no ${expected} arrives` : `fewer than ${t.threshold} ${expected} arrive`;
    const repeat = t.repeat ? `; repeats every ${durationInWords(t.repeat)} while it lasts` : "";
    return `Fires when${start} ${count} within ${within}${matchWords(t)}${per}; resolves when ${expected} arrives${repeat}.`;
  }
  const after = t.after.length ? ` after ${list(t.after, "or")}` : "";
  const happens = t.threshold <= 1 ? "happens" : `happens ${times(t.threshold)}`;
  const window = within ? ` within ${within}` : "";
  return `Fires when ${expected} ${happens}${window}${after}${matchWords(t)}${per}.`;
}

export function describeTriggerInWords(t: TriggerSpec): string {
  if (t.type === "event") return eventWords(t);
  const within = t.within ? ` within ${durationInWords(t.within)}` : "";
  const children = t.triggers.map(
    (c, i) =>
      `(${i + 1}) ${describeTriggerInWords(c)
        .replace(/^Fires when /, "")
        .replace(/\.$/, "")}`,
  );
  if (t.type === "sequence") return `Fires when these happen in this order${within}: ${children.join("; then ")}.`;
  const need = t.require === "all" ? "all" : t.require === "any" ? "any one" : `${t.require}`;
  return `Fires when ${need} of these ${t.triggers.length} happen${within}: ${children.join("; ")}.`;
}
