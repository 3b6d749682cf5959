import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { CHECK_NAME } from "../../bots/app/index.js";
import { example, forRepo, harness, type Harness } from "./helpers.js";

const PATH = ".github/automations.yaml";
const HEAD = "a".repeat(40);
const GOOD = `automations:
  - name: deploy-after-build
    trigger:
      expect: github.workflow-run.completed
    actions:
      - type: run-workflow
        workflow: deploy.yml
        ref: main
`;
const BAD_TRIGGER = GOOD.replace(
  "      expect: github.workflow-run.completed\n",
  "      expect: github.workflow-run.completed\n      within: banana\n",
);
const DISPATCHABLE = "on:\n  workflow_dispatch:\njobs: {}\n";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

function openPr(files: string[], action = "opened", number = 7) {
  h.github.prFiles.set(
    `acme/web#${number}`,
    files.map((filename) => ({ filename, status: "modified" })),
  );
  const p = forRepo(example("pull_request", action), "acme/web");
  p.number = number;
  p.pull_request.number = number;
  p.pull_request.head.sha = HEAD;
  return h.deliver("pull_request", p);
}

describe("the PR check `hookline / automations`", () => {
  it("a PR whose automations.yaml has a bad trigger gets a failing check run annotated at the offending line", async () => {
    h.github.setFile("acme/web", PATH, BAD_TRIGGER, HEAD);
    h.github.setFile("acme/web", ".github/workflows/deploy.yml", DISPATCHABLE, HEAD);
    await openPr([PATH, "src/index.ts"]);
    expect(h.github.checkRuns).toHaveLength(1);
    const run = h.github.checkRuns[0]!.create;
    expect(run).toMatchObject({ name: CHECK_NAME, head_sha: HEAD, status: "completed", conclusion: "failure" });
    const line = BAD_TRIGGER.split("\n").findIndex((l) => l.includes("within: banana")) + 1;
    const col = BAD_TRIGGER.split("\n")[line - 1]!.indexOf("banana") + 1;
    expect(run.output.annotations).toHaveLength(1);
    expect(run.output.annotations[0]).toMatchObject({
      path: PATH,
      start_line: line,
      end_line: line,
      start_column: col,
      annotation_level: "failure",
    });
    expect(run.output.annotations[0].title).toMatch(/^HOOKLINE_/);
    expect(run.output.summary).toContain(`${PATH}:${line}:${col}`);
    // the files were read at the head commit, not the default branch
    for (const r of h.github.seen("GET", "/repos/acme/web/contents/")) expect(r.query.get("ref")).toBe(HEAD);
  });

  it("a good automations.yaml succeeds, with the automations table in the summary", async () => {
    h.github.setFile("acme/web", PATH, GOOD, HEAD);
    h.github.setFile("acme/web", ".github/workflows/deploy.yml", DISPATCHABLE, HEAD);
    await openPr([PATH], "synchronize");
    expect(h.github.checkRuns).toHaveLength(1);
    const run = h.github.checkRuns[0]!.create;
    expect(run.conclusion).toBe("success");
    expect(run.output.annotations).toEqual([]);
    expect(run.output.summary).toContain("deploy-after-build");
    expect(run.output.title).toContain("1 automation OK");
  });

  it("workflow files are checked at the head commit: a run-workflow naming a missing workflow fails", async () => {
    h.github.setFile("acme/web", PATH, GOOD, HEAD);
    h.github.setFile("acme/web", ".github/workflows/deploy.yml", DISPATCHABLE); // default branch only
    await openPr([".github/workflows/deploy.yml"], "reopened");
    const run = h.github.checkRuns[0]!.create;
    expect(run.conclusion).toBe("failure");
    expect(run.output.annotations.map((a: any) => a.title)).toEqual(["HOOKLINE_WORKFLOW_NOT_FOUND"]);
  });

  it("a PR that touches neither automations.yaml nor a workflow gets no check and no file reads", async () => {
    h.github.setFile("acme/web", PATH, BAD_TRIGGER, HEAD);
    await openPr(["README.md", ".github/dependabot.yml"]);
    expect(h.github.checkRuns).toHaveLength(0);
    expect(h.github.seen("GET", "/repos/acme/web/contents/")).toHaveLength(0);
  });

  it("other pull_request actions (closed, labeled) run no check", async () => {
    h.github.setFile("acme/web", PATH, BAD_TRIGGER, HEAD);
    await openPr([PATH], "closed");
    await openPr([PATH], "labeled", 8);
    expect(h.github.checkRuns).toHaveLength(0);
  });

  it("more than 50 problems: 50 annotations with the create call, the rest in update calls of at most 50", async () => {
    const many =
      "automations:\n" +
      Array.from(
        { length: 120 },
        (_, i) => `  - name: a${i}\n    trigger:\n      expect: x.y\n      within: banana\n    actions:\n      - type: do-nothing\n`,
      ).join("");
    const expected = loadAutomations(many, PATH).problems.length;
    expect(expected).toBeGreaterThan(100);
    h.github.setFile("acme/web", PATH, many, HEAD);
    await openPr([PATH]);
    const run = h.github.checkRuns[0]!;
    expect(run.create.conclusion).toBe("failure");
    const sizes = [run.create.output.annotations.length, ...run.updates.map((u) => u.output.annotations.length)];
    expect(sizes[0]).toBe(50);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(50);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(expected);
    const lines = [run.create, ...run.updates].flatMap((r) => r.output.annotations.map((a: any) => `${a.start_line}:${a.start_column}`));
    expect(new Set(lines).size).toBe(lines.length); // no annotation sent twice
  });

  it("a commit without the file (deleted by the PR) gets a neutral check", async () => {
    await openPr([PATH]);
    expect(h.github.checkRuns[0]!.create.conclusion).toBe("neutral");
  });

  it("check_suite rerequested runs the check again for its head commit", async () => {
    h.github.setFile("acme/web", PATH, GOOD, HEAD);
    h.github.setFile("acme/web", ".github/workflows/deploy.yml", DISPATCHABLE, HEAD);
    const p = forRepo(example("check_suite", "rerequested"), "acme/web");
    p.check_suite.head_sha = HEAD;
    await h.deliver("check_suite", p);
    expect(h.github.checkRuns).toHaveLength(1);
    expect(h.github.checkRuns[0]!.create).toMatchObject({ head_sha: HEAD, conclusion: "success" });
  });

  it("a redelivered pull_request event (same delivery id) does not publish a second check run", async () => {
    h.github.setFile("acme/web", PATH, GOOD, HEAD);
    h.github.setFile("acme/web", ".github/workflows/deploy.yml", DISPATCHABLE, HEAD);
    h.github.prFiles.set("acme/web#7", [{ filename: PATH }]);
    const p = forRepo(example("pull_request", "opened"), "acme/web");
    p.pull_request.number = 7;
    p.pull_request.head.sha = HEAD;
    await h.deliver("pull_request", p, { delivery: "pr-once" });
    await h.deliver("pull_request", p, { delivery: "pr-once" });
    expect(h.github.checkRuns).toHaveLength(1);
  });

  it("the check's failure never fails the delivery: the events are stored even when GitHub rejects the check run", async () => {
    h.github.setFile("acme/web", PATH, GOOD, HEAD);
    h.github.prFiles.set("acme/web#9", [{ filename: PATH }]);
    const p = forRepo(example("pull_request", "opened"), "acme/web");
    p.pull_request.number = 9;
    p.pull_request.head.sha = HEAD;
    h.github.failCheckRuns = true;
    const res = await h.deliver("pull_request", p);
    expect(res.status).toBe(200);
    expect(h.ingest.ids.size).toBe(1);
    expect(h.github.checkRuns).toHaveLength(0);
    expect(h.logs.some((l) => l.level === "warn" && l.msg === "PR check failed" && (l.obj as { status?: number }).status === 422)).toBe(
      true,
    );
  });
});
