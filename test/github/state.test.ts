import { describe, expect, it } from "vitest";
import { deploymentState, runState, RUN_LIKE_KINDS } from "../../src/github/index.js";
import { STATE_FAMILIES, passesStateFilters, stateMatches } from "../../src/github/state.js";
import { STATE_NAMES } from "../../src/automations/types.js";
import { example, translateOne } from "./fixtures.js";

// DESIGN.md "GitHub → standard events": status first, then conclusion
const STATUS_ROWS: [string, string][] = [
  ["requested", "Pending"],
  ["queued", "Pending"],
  ["pending", "Pending"],
  ["in_progress", "Running"],
  ["waiting", "Waiting"],
];
const CONCLUSION_ROWS: [string, string][] = [
  ["success", "Completed"],
  ["failure", "Failed"],
  ["cancelled", "Cancelled"],
  ["timed_out", "TimedOut"],
  ["skipped", "Skipped"],
  ["neutral", "Neutral"],
  ["stale", "Stale"],
  ["action_required", "Waiting"],
  ["startup_failure", "Crashed"],
];
const DEPLOYMENT_ROWS: [string, string][] = [
  ["pending", "Pending"],
  ["queued", "Pending"],
  ["in_progress", "Running"],
  ["waiting", "Waiting"],
  ["success", "Completed"],
  ["failure", "Failed"],
  ["error", "Crashed"],
  ["inactive", "Stale"],
];

describe("run state table", () => {
  for (const kind of ["workflow_run", "workflow_job", "check_run", "check_suite"]) {
    for (const [status, state] of STATUS_ROWS) {
      it(`${kind}: status ${status} → ${state}, whatever the conclusion`, () => {
        expect(runState(kind, status, null)).toBe(state);
        expect(runState(kind, status, "failure")).toBe(state);
      });
    }
    for (const [conclusion, state] of CONCLUSION_ROWS) {
      it(`${kind}: completed + ${conclusion} → ${state}`, () => {
        expect(runState(kind, "completed", conclusion)).toBe(state);
      });
    }
  }

  it("completed without a conclusion, or with an unknown one, has no state", () => {
    expect(runState("workflow_run", "completed", null)).toBeUndefined();
    expect(runState("workflow_run", "completed", undefined)).toBeUndefined();
    expect(runState("workflow_run", "completed", "exploded")).toBeUndefined();
  });

  it("an unknown or missing status falls back to the conclusion", () => {
    expect(runState("check_run", "mystery", "failure")).toBe("Failed");
    expect(runState("check_run", undefined, "success")).toBe("Completed");
    expect(runState("check_run", "mystery", null)).toBeUndefined();
  });

  it("values are compared case-insensitively and non-strings give no state", () => {
    expect(runState("workflow_run", "COMPLETED", "Failure")).toBe("Failed");
    expect(runState("workflow_run", 3, {})).toBeUndefined();
    expect(runState("workflow_run", "__proto__", "constructor")).toBeUndefined();
  });

  for (const [value, state] of DEPLOYMENT_ROWS) {
    it(`deployment_status state ${value} → ${state}`, () => {
      expect(deploymentState(value)).toBe(state);
      expect(runState("deployment_status", value, null)).toBe(state);
    });
  }

  it("an unknown deployment state has no state", () => {
    expect(deploymentState("exploded")).toBeUndefined();
    expect(deploymentState(null)).toBeUndefined();
    expect(deploymentState("toString")).toBeUndefined();
  });
});

describe("event names of run-like resources end in the state", () => {
  const base = example("workflow_run", (p) => (p.workflow_run as { conclusion: unknown }).conclusion === "success");
  const withRun = (status: string, conclusion: string | null) => {
    const payload = structuredClone(base);
    Object.assign(payload.workflow_run as object, { status, conclusion });
    return translateOne({ name: "workflow_run", delivery: "x", payload });
  };

  for (const [status, state] of STATUS_ROWS) {
    it(`workflow_run status ${status} → github.workflow-run.${state} with github.state ${state}`, () => {
      const e = withRun(status, null);
      expect(e.event).toBe(`github.workflow-run.${state}`);
      expect(e.resource["github.state"]).toBe(state);
      expect(e.resource["github.status"]).toBe(status);
    });
  }
  for (const [conclusion, state] of CONCLUSION_ROWS) {
    it(`workflow_run completed + ${conclusion} → github.workflow-run.${state}`, () => {
      const e = withRun("completed", conclusion);
      expect(e.event).toBe(`github.workflow-run.${state}`);
      expect(e.resource["github.state"]).toBe(state);
      expect(e.resource["github.conclusion"]).toBe(conclusion);
    });
  }

  it("a run whose state is unknown is named after its action and carries no github.state", () => {
    const e = withRun("completed", "brand_new_conclusion");
    expect(e.event).toBe("github.workflow-run.completed");
    expect(e.resource["github.state"]).toBeUndefined();
  });

  it("each run-like webhook uses the state in its name: job, check run, check suite, deployment status", () => {
    const job = translateOne({
      name: "workflow_job",
      payload: example("workflow_job", (p) => (p.workflow_job as { conclusion: unknown }).conclusion === "failure"),
    });
    expect(job.event).toBe("github.workflow-job.Failed");
    const check = translateOne({ name: "check_run", payload: example("check_run", (p) => p.action === "rerequested") });
    expect(check.event).toBe("github.check-run.Neutral");
    const suite = translateOne({ name: "check_suite", payload: example("check_suite", (p) => p.action === "requested") });
    expect(suite.event).toBe("github.check-suite.Pending");
    const dep = example("deployment_status");
    (dep.deployment_status as Record<string, unknown>).state = "error";
    const status = translateOne({ name: "deployment_status", payload: dep });
    expect(status.event).toBe("github.deployment-status.Crashed");
    expect(status.resource["github.state"]).toBe("Crashed");
    expect(status.resource["github.deployment_state"]).toBe("error");
    expect(RUN_LIKE_KINDS).toHaveLength(5);
  });
});

describe("state families (Prefect 1's state classes: TimedOut is a Failed, Skipped a Success, Paused a Pending)", () => {
  it("the table: Failed ⊇ TimedOut, Crashed; Completed ⊇ Skipped; Pending ⊇ Waiting; every member a state name, in one family", () => {
    expect(STATE_FAMILIES).toEqual({ Failed: ["TimedOut", "Crashed"], Completed: ["Skipped"], Pending: ["Waiting"] });
    const members = Object.values(STATE_FAMILIES).flat();
    for (const m of members) expect(STATE_NAMES).toContain(m);
    expect(new Set(members).size).toBe(members.length);
  });

  it("a filter naming a family matches the family and its members, never the other way round", () => {
    expect(stateMatches(["Failed"], "TimedOut")).toBe(true);
    expect(stateMatches(["TimedOut"], "Failed")).toBe(false);
    expect(stateMatches(["Completed"], "Skipped")).toBe(true);
    expect(stateMatches(["Pending"], "Waiting")).toBe(true);
    expect(stateMatches(["Cancelled"], "Failed")).toBe(false);
  });

  it("both filters combine; no state passes no only_states and is excluded by no ignore_states", () => {
    expect(passesStateFilters("TimedOut", ["Failed"], ["TimedOut"])).toBe(false);
    expect(passesStateFilters("Crashed", ["Failed"], ["TimedOut"])).toBe(true);
    expect(passesStateFilters(null, ["Failed"], null)).toBe(false);
    expect(passesStateFilters(null, null, ["Failed"])).toBe(true);
  });
});
