/** notify: which job is this one, and its state (README "Notify step" rules). */
import { describe, expect, it } from "vitest";
import { deriveJobState, findCurrentJob, type ApiJob } from "../../src/action/job-state.js";
import { passesStateFilters } from "../../src/github/state.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const job = (steps: Array<[string, string]>, extra: Partial<ApiJob> = {}): ApiJob => ({
  id: 1,
  name: "build",
  status: "in_progress",
  conclusion: null,
  started_at: "2026-01-01T11:50:00Z",
  steps: [
    ...steps.map(([name, conclusion], i) => ({ name, number: i + 1, status: "completed", conclusion })),
    { name: "notify", number: 99, status: "in_progress", conclusion: null },
  ],
  ...extra,
});

describe("deriveJobState", () => {
  it("all steps succeeded (skipped ones ignored) is Completed", () => {
    expect(
      deriveJobState(
        job([
          ["checkout", "success"],
          ["deploy", "skipped"],
        ]),
        null,
        NOW,
        360,
      ).state,
    ).toBe("Completed");
  });
  it("a failed step is Failed and named", () => {
    expect(deriveJobState(job([["test", "failure"]]), null, NOW, 360)).toMatchObject({ state: "Failed", steps: ["test"] });
  });
  it("continue-on-error: a failed step does not fail the job when job.status says success", () => {
    expect(
      deriveJobState(
        job([
          ["lint", "failure"],
          ["test", "success"],
        ]),
        "success",
        NOW,
        360,
      ).state,
    ).toBe("Completed");
  });
  it("job.status failure wins even when no step shows a failure yet", () => {
    expect(deriveJobState(job([["test", "success"]]), "failure", NOW, 360).state).toBe("Failed");
  });
  it("a cancelled step, or job.status cancelled, is Cancelled", () => {
    expect(deriveJobState(job([["test", "cancelled"]]), null, NOW, 360).state).toBe("Cancelled");
    expect(deriveJobState(job([["test", "success"]]), "cancelled", NOW, 360).state).toBe("Cancelled");
  });
  it("cancelled after running timeout-minutes or longer is TimedOut; shorter stays Cancelled", () => {
    expect(deriveJobState(job([["test", "cancelled"]]), "cancelled", NOW, 10).state).toBe("TimedOut");
    expect(deriveJobState(job([["test", "cancelled"]]), "cancelled", NOW, 11).state).toBe("Cancelled");
  });
  it("a job the API already reports completed keeps its conclusion (timed_out); one notify cannot report (skipped) follows the steps", () => {
    expect(deriveJobState(job([], { status: "completed", conclusion: "timed_out" }), "success", NOW, 360).state).toBe("TimedOut");
    expect(deriveJobState(job([], { status: "completed", conclusion: "skipped" }), null, NOW, 360).state).toBe("Completed");
  });
  it("an unreadable started_at never makes a job TimedOut", () => {
    expect(deriveJobState(job([["t", "cancelled"]], { started_at: "yesterday" }), null, NOW, 1).state).toBe("Cancelled");
  });
});

describe("findCurrentJob", () => {
  const jobs: ApiJob[] = [
    { id: 1, name: "lint", status: "completed", runner_name: "r1" },
    { id: 2, name: "test (ubuntu, 20)", status: "in_progress", runner_name: "r2" },
    { id: 3, name: "test (ubuntu, 22)", status: "in_progress", runner_name: "r3" },
    { id: 4, name: "docs", status: "in_progress", runner_name: "r4" },
  ];
  it("the in-progress job on this runner (RUNNER_NAME) wins", () => {
    expect(findCurrentJob(jobs, { jobKey: "test", runnerName: "r3" }).id).toBe(3);
  });
  it("else the one in-progress job named GITHUB_JOB", () => {
    expect(findCurrentJob(jobs, { jobKey: "docs", runnerName: "" }).id).toBe(4);
  });
  it("a completed job is never this job, even by name", () => {
    expect(() => findCurrentJob(jobs, { jobKey: "lint", runnerName: "r1" })).toThrow(/HOOKLINE|cannot tell/);
  });
  it("two matrix jobs of the same key without a runner name are ambiguous: a clear error", () => {
    expect(() => findCurrentJob(jobs, { jobKey: "test", runnerName: "" })).toThrow(/cannot tell which of 3 in-progress jobs/);
  });
  it("a lone in-progress job is this job whatever its name", () => {
    expect(findCurrentJob([{ id: 9, name: "Build & test", status: "in_progress" }], { jobKey: "build", runnerName: "" }).id).toBe(9);
  });
});

describe("notify's only_states / ignore_states (the state families of src/github/state.ts)", () => {
  it("only_states posts only those states and their family members; ignore_states all others; both combine; neither posts everything", () => {
    expect(passesStateFilters("Failed", ["Failed"], null)).toBe(true);
    expect(passesStateFilters("TimedOut", ["Failed"], null)).toBe(true);
    expect(passesStateFilters("Completed", ["Failed"], null)).toBe(false);
    expect(passesStateFilters("Completed", null, ["Completed"])).toBe(false);
    expect(passesStateFilters("Cancelled", null, ["Completed"])).toBe(true);
    expect(passesStateFilters("TimedOut", ["Failed"], ["TimedOut"])).toBe(false);
    expect(passesStateFilters("Failed", ["Failed"], ["TimedOut"])).toBe(true);
    expect(passesStateFilters("Cancelled", null, null)).toBe(true);
  });
});
