/** action.yml describes every input and output, and the example workflows pass only inputs it declares. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./run-dist.js";

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
describe("action.yml", () => {
  it("runs dist/index.js on node24 and every input and output is described (docs/action.md tables them: test/action/docs-action.test.ts)", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)])
      expect(spec.description.length, name).toBeGreaterThan(10);
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
