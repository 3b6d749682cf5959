import { describeActions, describeTrigger } from "../../automations/describe.js";
import { loadAutomations, formatProblem, type Automation } from "../../automations/index.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import { readText } from "../io.js";

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

function describeAutomation(a: Automation): string {
  return `  ${a.name}${a.enabled ? "" : " (disabled)"}: ${describeTrigger(a.trigger)} => ${describeActions(a)}`;
}

export function validateCommand(argv: string[], io: CliIO): number {
  const { values, positionals } = parseFlags("validate", argv, { format: { type: "string" }, strict: { type: "boolean" } });
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not "${format}"`, "validate");
  if (positionals.length === 0) throw new UsageError("name at least one automations file, e.g. .github/automations.yaml", "validate");
  let failed = false;
  for (const file of positionals) {
    const result = loadAutomations(readText(file), file, { strict: values.strict === true });
    const errors = result.problems.filter((p) => p.severity === "error").length;
    if (errors) failed = true;
    if (format === "json") {
      io.out(JSON.stringify({ file, ok: errors === 0, automations: result.config?.automations ?? [], problems: result.problems }));
      continue;
    }
    for (const p of result.problems) io.err(formatProblem(p));
    if (result.config) {
      const n = result.config.automations.length;
      io.out(
        `${file}: ${n} automation${n === 1 ? "" : "s"} OK${result.problems.length ? ` (${result.problems.length} warning${result.problems.length === 1 ? "" : "s"})` : ""}`,
      );
      for (const a of result.config.automations) io.out(describeAutomation(a));
    } else {
      io.err(`${file}: ${errors} error${errors === 1 ? "" : "s"}`);
    }
  }
  return failed ? EXIT.invalid : EXIT.ok;
}
