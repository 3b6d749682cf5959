import { loadAutomations, formatProblem, type Automation, type TriggerSpec } from "../../automations/index.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import { readText } from "../io.js";

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

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

function describeAutomation(a: Automation): string {
  const actions = [...a.actions, ...a.actions_on_trigger].map((x) => x.type);
  const resolve = a.actions_on_resolve.map((x) => x.type);
  return `  ${a.name}${a.enabled ? "" : " (disabled)"}: ${describeTrigger(a.trigger)} => ${actions.join(", ") || "no actions"}${
    resolve.length ? `; on resolve: ${resolve.join(", ")}` : ""
  }`;
}

export function validateCommand(argv: string[], io: CliIO): number {
  const { values, positionals } = parseFlags("validate", argv, { format: { type: "string" } });
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${format}"`, "validate");
  if (positionals.length === 0) throw new UsageError("name at least one automations file, e.g. .github/automations.yaml", "validate");
  let failed = false;
  for (const file of positionals) {
    const result = loadAutomations(readText(file), file);
    const errors = result.problems.filter((p) => p.severity === "error").length;
    if (errors) failed = true;
    if (format === "json") {
      io.out(JSON.stringify({ file, ok: errors === 0, automations: result.config?.automations ?? [], problems: result.problems }));
      continue;
    }
    for (const p of result.problems) io.err(formatProblem(p));
    if (result.config) {
      const n = result.config.automations.length;
      io.out(`${file}: ${n} automation${n === 1 ? "" : "s"} OK${result.problems.length ? ` (${result.problems.length} warning${result.problems.length === 1 ? "" : "s"})` : ""}`);
      for (const a of result.config.automations) io.out(describeAutomation(a));
    } else {
      io.err(`${file}: ${errors} error${errors === 1 ? "" : "s"}`);
    }
  }
  return failed ? EXIT.invalid : EXIT.ok;
}
