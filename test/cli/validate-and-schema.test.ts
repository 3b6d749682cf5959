import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT, tempDir, writeTemp } from "./run-cli.js";

const GOOD = `automations:
  - name: notify
    trigger: {expect: github.workflow-run.Failed}
    actions: [{type: do-nothing}]
workflows:
  deploy.yml:
    triggers:
      - expect: github.push.pushed
        match: {github.branch: main}
        inputs: {sha: "{{ event.resource['github.sha'] }}"}
`;

describe("hookline validate", () => {
  it("exits 0 for a valid file and shows each automation, including ones generated from workflows:", () => {
    const f = writeTemp(tempDir(), "a.yaml", GOOD);
    const r = cli(["validate", f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${f}: 2 automations OK`);
    expect(r.stdout).toMatch(/notify: github.workflow-run.Failed => do-nothing/);
    expect(r.stdout).toMatch(/deploy\.yml#1: github.push.pushed where github.branch=main => run-workflow/);
  });

  it("exits 1 and prints every error as file:line:col", () => {
    const f = writeTemp(tempDir(), "a.yaml", "automations:\n  - name: x\n    trigger: {expct: a.b.c}\n    actions: []\n");
    const r = cli(["validate", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${f}:3:\\d+: error: .*expct.*expect`, "m"));
  });

  it("exits 1 when any of several files has an error", () => {
    const dir = tempDir();
    const good = writeTemp(dir, "good.yaml", GOOD);
    const bad = writeTemp(dir, "bad.yaml", "automations: [1");
    expect(cli(["validate", good, bad]).code).toBe(1);
  });

  it("rejects a 10 MB file with a clear error instead of crashing", () => {
    const f = writeTemp(tempDir(), "big.yaml", `automations:\n${"  # padding\n".repeat(900_000)}`);
    const r = cli(["validate", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/too large|bytes|limit/i);
  });

  it("rejects deep nesting and alias bombs with a clear error", () => {
    const dir = tempDir();
    const deep = writeTemp(dir, "deep.yaml", `automations: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    expect(cli(["validate", deep]).code).toBe(1);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(", ")}]`,
      );
    const r = cli(["validate", writeTemp(dir, "bomb.yaml", bomb.join("\n"))]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("internal error");
  });

  it("--format json prints the problems as data", () => {
    const f = writeTemp(tempDir(), "a.yaml", "automations: 5\n");
    const r = cli(["validate", "--format", "json", f]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.lines[0]!);
    expect(out.ok).toBe(false);
    expect(out.problems[0]).toMatchObject({ severity: "error", file: f, line: 1 });
  });

  it("bad usage exits 2", () => {
    expect(cli(["validate"]).code).toBe(2);
    expect(cli(["validate", "/nonexistent.yaml"]).code).toBe(2);
    expect(cli(["validate", "--format", "xml", "x"]).code).toBe(2);
  });
});

describe("hookline schema", () => {
  it("prints exactly the committed schema/automations.schema.json", () => {
    const r = cli(["schema"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, "schema", "automations.schema.json"), "utf8"));
  });

  it("--event prints the JSON Schema of a standard event", () => {
    const schema = JSON.parse(cli(["schema", "--event"]).stdout);
    expect(schema.required).toEqual(expect.arrayContaining(["id", "occurred", "event", "resource"]));
  });
});

describe("hookline (top level)", () => {
  it("--help for every command exits 0 and shows its usage", () => {
    for (const c of ["validate", "simulate", "translate", "schema", "demo"]) {
      const r = cli([c, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: hookline ${c}`);
    }
    expect(cli(["--help"]).stdout).toContain("Commands:");
  });

  it("--version prints package.json's version, not a copy of it", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it("an unknown command exits 2 and lists the commands", () => {
    const r = cli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it("no command prints the usage and exits 2", () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Usage: hookline <command>");
  });
});
