/**
 * The Action's release workflow (.github/workflows/release.yml) as the ecosystem expects it: a tag vX.Y.Z (or a manual
 * run with a version) builds dist/ from a clean install, fails when it differs from the committed bundle, runs the
 * tests, creates the release, then moves the major tag. Parsed with `yaml`; the version and dist checks are run with
 * bash, as the runner would.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(new URL("../../.github/workflows/release.yml", import.meta.url), "utf8")) as {
  on: { push: { tags: string[] }; workflow_dispatch: { inputs: { version: { required: boolean } } } };
  permissions: Record<string, string>;
  jobs: Record<string, { env: Record<string, string>; steps: Step[] }>;
};
const job = workflow.jobs.release!;
const steps = job.steps;
const step = (name: string) => steps.find((s) => s.name === name)!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function bash(script: string, env: Record<string, string>, cwd?: string) {
  const r = spawnSync("bash", ["-e", "-c", script], { env: { PATH: process.env.PATH, ...env }, cwd, encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("the release workflow", () => {
  it("runs on a pushed vX.Y.Z tag or by hand with a version, with contents: write and nothing more", () => {
    expect(workflow.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
    expect(workflow.on.workflow_dispatch.inputs.version.required).toBe(true);
    expect(workflow.permissions).toEqual({ contents: "write" });
  });

  it("installs, builds dist/, checks it against the committed one, tests, tags, releases and moves the major tag, in that order", () => {
    const order = [
      (s: Step) => s.name === "Check the version",
      (s: Step) => s.uses?.startsWith("actions/checkout@") === true,
      (s: Step) => s.uses?.startsWith("actions/setup-node@") === true,
      (s: Step) => s.run === "npm ci",
      (s: Step) => s.run === "npm run build:dist",
      (s: Step) => s.run?.includes("git status --porcelain -- dist") === true,
      (s: Step) => s.run === "npm test",
      (s: Step) => s.if === "github.event_name == 'workflow_dispatch'" && s.run?.includes('git push origin "refs/tags/$VERSION"') === true,
      (s: Step) => s.run?.startsWith('gh release create "$VERSION"') === true,
      (s: Step) => s.run?.includes('git tag -f "$MAJOR"') === true && s.run.includes('git push -f origin "refs/tags/$MAJOR"'),
    ];
    expect(steps.map((s) => order.findIndex((match) => match(s)))).toEqual(order.map((_, i) => i));
    // the full history, so the release notes and the tag moves see every tag
    expect(steps[1]!.with).toEqual({ "fetch-depth": 0 });
  });

  it("no run script splices an expression: the version reaches the shell through the environment", () => {
    for (const s of steps) expect(s.run ?? "").not.toContain("${{");
    expect(job.env.VERSION).toBe("${{ github.event_name == 'workflow_dispatch' && inputs.version || github.ref_name }}");
    for (const s of steps.filter((x) => x.run)) expect(bash(`set -n\n${s.run!}`, {}).code).toBe(0);
  });

  it("accepts vX.Y.Z and names its major tag; refuses anything else before checking out", () => {
    const check = step("Check the version").run!;
    const dir = mkdtempSync(join(tmpdir(), "hookline-release-"));
    dirs.push(dir);
    const envFile = join(dir, "env");
    writeFileSync(envFile, "");
    expect(bash(check, { VERSION: "v1.4.2", GITHUB_ENV: envFile }).code).toBe(0);
    expect(readFileSync(envFile, "utf8")).toBe("MAJOR=v1\n");
    for (const bad of ["1.4.2", "v1.4", "v1.4.2-rc.1", "v1.4.2; touch pwned", ""]) {
      const r = bash(check, { VERSION: bad, GITHUB_ENV: envFile });
      expect(r.code).toBe(1);
      expect(r.out).toContain("the version must be vX.Y.Z");
    }
  });

  it("fails when the fresh dist/ differs from the committed one, passes when it is the same", () => {
    const check = step("Fail if dist/ differs from the committed one").run!;
    const repo = mkdtempSync(join(tmpdir(), "hookline-release-"));
    dirs.push(repo);
    const git = (...args: string[]) =>
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    mkdirSync(join(repo, "dist"));
    writeFileSync(join(repo, "dist", "index.js"), "old\n");
    git("add", ".");
    git("commit", "-qm", "dist");
    expect(bash(check, {}, repo).code).toBe(0);
    writeFileSync(join(repo, "dist", "index.js"), "new\n");
    const stale = bash(check, {}, repo);
    expect(stale.code).toBe(1);
    expect(stale.out).toContain("dist/ differs from a fresh build");
    git("checkout", "--", "dist");
    writeFileSync(join(repo, "dist", "chunk.js"), "added\n");
    expect(bash(check, {}, repo).code).toBe(1);
  });
});
