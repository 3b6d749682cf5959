import { loadAutomations, type LoadResult, type Problem } from "../../src/automations/index.js";

/** strips the common indentation of a template literal so YAML can be written inline */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

export function load(text: string): LoadResult {
  return loadAutomations(text, "automations.yaml");
}

export function errors(r: LoadResult): Problem[] {
  return r.problems.filter((p) => p.severity === "error");
}

export function warnings(r: LoadResult): Problem[] {
  return r.problems.filter((p) => p.severity === "warning");
}

export function codes(r: LoadResult): string[] {
  return r.problems.map((p) => p.code);
}

/** the only problem with `code`; fails when there is not exactly one */
export function only(r: LoadResult, code: string): Problem {
  const found = r.problems.filter((p) => p.code === code);
  if (found.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(r.problems, null, 2)}`);
  return found[0]!;
}

/** a minimal valid automation around a trigger / actions snippet */
export const notifiers = yaml`
  notifiers:
    ops: {type: slack, channel: "#ops", token_env: SLACK_BOT_TOKEN}
`;
