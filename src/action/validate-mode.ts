/**
 * `mode: validate`, the PR check: every problem of the automations file (and what the repository can tell) as
 * annotations at file:line:col, errors first; a job summary with the automations and what each reacts to.
 */
import { formatProblem, loadAutomations, type Problem } from "../automations/index.js";
import { annotate } from "./annotations.js";
import { actionsOf, reactsTo } from "./describe.js";
import { htmlTable, paragraph, type ActionIO } from "./io.js";
import { checkWorkflows } from "../automations/workflow-checks.js";

export interface ValidateResult {
  errors: number;
  warnings: number;
}

/** `strict`: a trigger that can never fire (HOOKLINE_TRIGGER_NEVER_FIRES_*) is an error, not a warning */
export async function validateMode(io: ActionIO, automationsPath: string, strict = false): Promise<ValidateResult> {
  const text = io.readWorkspaceFile(automationsPath);
  let problems: Problem[];
  let rows: string[][] = [];
  if (text === undefined) {
    problems = [
      {
        severity: "error",
        code: "HOOKLINE_ACTION_AUTOMATIONS_MISSING",
        file: automationsPath,
        line: 1,
        col: 1,
        message: `${automationsPath} does not exist in the workspace`,
        hint: "check out the repository first (actions/checkout) or set the `automations` input to the file's path",
      },
    ];
  } else {
    const loaded = loadAutomations(text, automationsPath, { strict });
    problems = [...loaded.problems];
    if (loaded.config) {
      problems.push(...checkWorkflows(loaded.config, automationsPath, (name) => io.readWorkspaceFile(`.github/workflows/${name}`)));
      rows = loaded.config.automations.map((a) => [a.name + (a.enabled ? "" : " (disabled)"), reactsTo(a), actionsOf(a)]);
    }
  }
  const errors = problems.filter((p) => p.severity === "error").length;
  const warnings = problems.length - errors;
  for (const p of [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)))
    io.info(formatProblem(p));
  annotate(problems, io);
  const verdict = errors
    ? `${automationsPath}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`
    : `${automationsPath}: ${rows.length} automation${rows.length === 1 ? "" : "s"} OK${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}`;
  io.info(verdict);
  const blocks = [paragraph(verdict)];
  if (rows.length) blocks.push(htmlTable(["Automation", "Reacts to", "Actions"], rows));
  if (problems.length)
    blocks.push(
      htmlTable(
        ["Where", "Severity", "Code", "Problem"],
        problems.map((p) => [`${p.file}:${p.line}:${p.col}`, p.severity, p.code, p.hint ? `${p.message} (${p.hint})` : p.message]),
      ),
    );
  await io.writeSummary("hookline: automations check", blocks);
  return { errors, warnings };
}
