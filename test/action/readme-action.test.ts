/** README "## GitHub Action" documents inputs (with their defaults) and the outputs of action.yml; docs/action.md has every input. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInputs } from "../../src/action/inputs.js";
import { ROOT } from "./run-dist.js";

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("\n## GitHub Action\n"), readme.indexOf("\n## ", readme.indexOf("\n## GitHub Action\n") + 5));

/** rows of the markdown table whose header starts with `| first |` */
function table(first: string): string[][] {
  const lines = section.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  expect(start, `README GitHub Action section has a | ${first} | table`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    rows.push(
      lines[i]!.split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}
const unquote = (cell: string) => cell.replace(/^`|`$/g, "");

describe("README GitHub Action section vs action.yml", () => {
  it("sits after ## CLI and before ## Standard events", () => {
    expect(readme.indexOf("\n## CLI\n")).toBeLessThan(readme.indexOf("\n## GitHub Action\n"));
    expect(readme.indexOf("\n## GitHub Action\n")).toBeLessThan(readme.indexOf("\n## Standard events\n"));
  });

  it("the inputs its table lists are action.yml's, in order, with their defaults (docs/action.md lists them all)", () => {
    const rows = table("Input");
    const names = rows.map((r) => unquote(r[0]!));
    expect(names).toEqual(Object.keys(action.inputs).filter((n) => names.includes(n)));
    for (const [name, def, meaning] of rows) {
      expect(unquote(def!), `default of ${name}`).toBe(String(action.inputs[unquote(name!)]!.default ?? ""));
      expect(meaning!.length, `meaning of ${name}`).toBeGreaterThan(5);
    }
  });

  it("the outputs table lists every output of action.yml, in order", () => {
    expect(table("Output").map((r) => unquote(r[0]!))).toEqual(Object.keys(action.outputs));
  });

  it("action.yml runs dist/index.js on node24 and every input and output is described", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)])
      expect(spec.description.length, name).toBeGreaterThan(10);
  });

  it("the examples the section links to exist", () => {
    for (const m of section.matchAll(/\]\((examples\/[^)]+)\)/g)) expect(() => readFileSync(join(ROOT, m[1]!))).not.toThrow();
  });
});

describe("README's notify step", () => {
  it("is a step action.yml and the Action's input rules accept as written (issue 17: the README's notify example is true)", () => {
    const notify = section.slice(section.indexOf("\n### Notify step\n"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(notify)![1]!;
    const [step] = parse(yaml) as Array<{ if?: string; uses?: string; with: Record<string, unknown> }>;
    expect(step!.uses).toMatch(/^OWNER\/hookline@/);
    expect(step!.if).toBe("always()");
    const given: Record<string, string> = {};
    for (const [k, v] of Object.entries(step!.with)) {
      expect(Object.keys(action.inputs)).toContain(k);
      given[k] = String(v)
        .replace("${{ job.status }}", "failure")
        .replace(/\$\{\{ secrets\.\w+ \}\}/, "xoxb-1");
    }
    const inputs = readInputs((name) => given[name] ?? String(action.inputs[name]?.default ?? ""));
    expect(inputs.mode).toBe("notify");
    expect(inputs.notify.onlyStates).toEqual(["Failed", "TimedOut"]);
  });
});

describe("examples/workflows", () => {
  it("every hookline step passes only inputs action.yml declares, with a valid mode", () => {
    for (const file of ["hookline.yml", "notify-step.yml", "hookline-validate.yml"]) {
      const wf = parse(readFileSync(join(ROOT, "examples/workflows", file), "utf8")) as {
        jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
      };
      const steps = Object.values(wf.jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.uses?.startsWith("OWNER/hookline@"));
      expect(steps.length, file).toBe(1);
      for (const s of steps) {
        for (const key of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs), `${file}: ${key}`).toContain(key);
        expect(["evaluate", "validate", "notify", "emit"]).toContain(s.with?.mode ?? "evaluate");
      }
    }
  });

  it("the evaluator workflow has no concurrency group and runs on a */5 schedule", () => {
    const wf = parse(readFileSync(join(ROOT, "examples/workflows/hookline.yml"), "utf8")) as Record<string, any>;
    expect(wf.concurrency).toBeUndefined();
    expect(Object.values(wf.jobs).some((j: any) => j.concurrency !== undefined)).toBe(false);
    expect(wf.on.schedule).toEqual([{ cron: "*/5 * * * *" }]);
    expect(wf.permissions).toMatchObject({ contents: "write" });
  });
});
