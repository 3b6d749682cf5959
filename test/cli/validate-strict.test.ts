/**
 * `hookline validate` reports a trigger that can never fire as a warning (exit 0), and `--strict` makes it an error
 * (exit 1): the CI job that wants a typo in an event name to fail the build asks for it.
 */
import { describe, expect, it } from "vitest";
import { cli, tempDir, writeTemp } from "./run-cli.js";

const NEVER_FIRES = `automations:
  - name: notify
    trigger: {expect: github.workflow_run.failed}
    actions: [{type: do-nothing}]
`;

describe("hookline validate and triggers that never fire", () => {
  it("a github.workflow_run.failed trigger is a warning with the did-you-mean, and the file is OK (exit 0)", () => {
    const f = writeTemp(tempDir(), "a.yaml", NEVER_FIRES);
    const r = cli(["validate", f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `^${f}:3:23: warning: .*github\\.workflow_run\\.failed.* never fires .*did you mean \`github\\.workflow-run\\.Failed\`\\?`,
        "m",
      ),
    );
    expect(r.stdout).toContain(`${f}: 1 automation OK (1 warning)`);
  });

  it("with --strict the same trigger is an error and validate exits 1", () => {
    const f = writeTemp(tempDir(), "a.yaml", NEVER_FIRES);
    const r = cli(["validate", "--strict", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${f}:3:23: error: .*did you mean \`github\\.workflow-run\\.Failed\`\\?`, "m"));
    expect(r.stderr).toContain(`${f}: 1 error`);
  });

  it("--strict passes a file whose triggers can all fire", () => {
    const f = writeTemp(tempDir(), "a.yaml", NEVER_FIRES.replace("github.workflow_run.failed", "github.workflow-run.Failed"));
    expect(cli(["validate", "--strict", f]).code).toBe(0);
  });
});
