/**
 * The Action's validate mode warns about a trigger that can never fire and passes; with the `strict` input it fails
 * the step (the built dist/index.js, run as the runner runs it).
 */
import { describe, expect, it } from "vitest";
import { runDist } from "./run-dist.js";

const files = {
  ".github/automations.yaml": `automations:
  - name: ci-failed
    trigger: {expect: github.workflow_run.failed}
    actions: [{type: do-nothing}]
`,
};

describe("dist/index.js validate mode and triggers that never fire", () => {
  it("without strict: a warning annotation with the did-you-mean, and the step passes", async () => {
    const r = await runDist({ node: process.execPath, inputs: { mode: "validate" }, files });
    expect(r.code).toBe(0);
    const warning = r.annotations.find((a) => a.level === "warning");
    expect(warning?.props.line).toBe("3");
    expect(warning?.message).toContain("did you mean `github.workflow-run.Failed`?");
  });

  it("with strict: true the same trigger is an error and the step fails", async () => {
    const r = await runDist({ node: process.execPath, inputs: { mode: "validate", strict: "true" }, files });
    expect(r.code).toBe(1);
    expect(r.annotations.some((a) => a.level === "error" && a.props.title === "HOOKLINE_TRIGGER_NEVER_FIRES_NAME")).toBe(true);
    expect(r.annotations.at(-1)?.message).toMatch(/^HOOKLINE_ACTION_AUTOMATIONS_INVALID: /);
  });
});
