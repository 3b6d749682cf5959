import { describe, expect, it } from "vitest";
import { isoOf } from "../../src/events/index.js";
import { actions, eventOf, eventsOf, firings, simulateExample } from "./helpers.js";

const RUNS = "https://github.com/octo-org/octo-repo/actions/runs";

/** The rendered request of the action record at `i`. */
function requestOf(records: ReturnType<typeof actions>, i: number): Record<string, unknown> {
  return records[i]!.request as Record<string, unknown>;
}

/** The head sha the recorded payload of an event carries. */
function headSha(event: ReturnType<typeof eventOf>): string {
  return (event.payload.workflow_run as { head_sha: string }).head_sha;
}

describe("notify-failed-runs: Slack only for failed CI runs", () => {
  const { records, events } = simulateExample("notify-failed-runs");

  it("fires once per failed CI run, at the failure, and never for success, cancellation or other workflows", () => {
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "ci-failed",
        state: "Triggered",
        at: "2024-05-06T10:21:30.000Z",
        triggering_event: eventOf(events, 9002, "Failed").id,
        labels: {},
      },
      {
        kind: "firing",
        automation: "ci-failed",
        state: "Triggered",
        at: "2024-05-06T11:14:00.000Z",
        triggering_event: eventOf(events, 9005, "Failed").id,
        labels: {},
      },
    ]);
    // the stream does hold the runs that must stay quiet
    expect(eventOf(events, 9003, "Failed").resource["github.workflow"]).toBe("Docs");
    expect(eventOf(events, 9004, "Cancelled").resource["github.workflow"]).toBe("CI");
    expect(eventOf(events, 9001, "Completed").resource["github.workflow"]).toBe("CI");
  });

  it("the message carries the run's branch, short sha, actor and html_url", () => {
    const sent = actions(records);
    expect(sent.map((a) => [a.automation, a.index, a.type, a.dry_run])).toEqual([
      ["ci-failed", 0, "send-notification", true],
      ["ci-failed", 0, "send-notification", true],
    ]);
    const first = requestOf(sent, 0);
    expect(first.notifier).toBe("ci-alerts");
    expect(first.subject).toBe("CI failed on feature/login-form");
    const sha = headSha(eventOf(events, 9002, "Failed")).slice(0, 7);
    expect(first.body).toBe(
      `:x: CI #102 failed on \`feature/login-form\` (${sha} "Login form: validate e-mail"), started by Codertocat: ${RUNS}/9002`,
    );
    expect(requestOf(sent, 1).subject).toBe("CI failed on main");
    expect(requestOf(sent, 1).body).toContain(`${RUNS}/9005`);
  });
});

describe("dispatch-follow-up: deploy staging after a successful Build on main", () => {
  const { records, events } = simulateExample("dispatch-follow-up");

  it("fires only for the successful Build on main (not the feature branch, not the failed build)", () => {
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "deploy-staging-after-build",
        state: "Triggered",
        at: "2024-05-07T09:31:45.000Z",
        triggering_event: eventOf(events, 9103, "Completed").id,
        labels: {},
      },
    ]);
    expect(eventOf(events, 9101, "Completed").resource["github.branch"]).toBe("feature/cache-deps");
    expect(eventOf(events, 9102, "Failed").resource["github.branch"]).toBe("main");
  });

  it("dispatches deploy-staging.yml on main with the built commit's sha and branch, every input a string", () => {
    const built = eventOf(events, 9103, "Completed");
    expect(actions(records)).toEqual([
      {
        kind: "action",
        automation: "deploy-staging-after-build",
        index: 0,
        type: "run-workflow",
        dry_run: true,
        request: {
          workflow: "deploy-staging.yml",
          ref: "main",
          inputs: { sha: headSha(built), branch: "main", build_run_id: "9103", build_url: `${RUNS}/9103` },
        },
      },
    ]);
    expect(headSha(built)).toBe(built.resource["github.sha"]);
    expect(headSha(built)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("stuck-run: a Proactive alert per E2E run that stays Running for 30 minutes", () => {
  const { records, events } = simulateExample("stuck-run");
  const bRunning = eventOf(events, 9202, "Running");
  const bDone = eventOf(events, 9202, "Completed");
  const labels = { "prefect.resource.id": "github.workflow-run.9202" };

  it("run B: exactly one Triggered at its start + 30m, then one Resolved when it completes; run A: nothing", () => {
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "e2e-run-stuck",
        state: "Triggered",
        at: isoOf(Date.parse(bRunning.occurred) + 30 * 60_000),
        triggering_event: bRunning.id,
        labels,
      },
      { kind: "firing", automation: "e2e-run-stuck", state: "Resolved", at: bDone.occurred, triggering_event: bDone.id, labels },
    ]);
    expect(firings(records)[0]!.at).toBe("2024-05-08T10:35:30.000Z");
    expect(bDone.occurred).toBe("2024-05-08T10:52:10.000Z");
    // run A ran 17m45s: inside the window
    expect(Date.parse(eventOf(events, 9201, "Completed").occurred) - Date.parse(eventOf(events, 9201, "Running").occurred)).toBeLessThan(
      30 * 60_000,
    );
    expect(JSON.stringify(records)).not.toContain("9201");
  });

  it("the alert links the stuck run; the recovery (actions_on_resolve) says how it ended", () => {
    const sent = actions(records);
    expect(sent.map((a) => [a.index, a.type])).toEqual([
      [0, "send-notification"],
      [1, "send-notification"], // actions_on_resolve[0] follows actions[0] in the automation's action numbering
    ]);
    expect(requestOf(sent, 0)).toEqual({
      notifier: "ci-alerts",
      subject: "E2E run #741 is stuck",
      body: `:hourglass: E2E #741 on \`main\` has been running since 2024-05-08T10:05:30Z (30 minutes): ${RUNS}/9202`,
    });
    expect(requestOf(sent, 1)).toEqual({
      notifier: "ci-alerts",
      subject: "E2E run #741 recovered",
      body: `:white_check_mark: E2E #741 finished after all (Completed at 2024-05-08T10:52:10Z): ${RUNS}/9202`,
    });
  });

  it("the order is the order things happen: alert, its action, recovery, its action", () => {
    expect(records.map((r) => `${r.kind}:${String(r.state ?? r.index)}`)).toEqual([
      "firing:Triggered",
      "action:0",
      "firing:Resolved",
      "action:1",
    ]);
  });
});

describe("compound: Tests and Lint both failing on main within 10 minutes", () => {
  const { records, events } = simulateExample("compound");

  it("fires once, when the second failure of the 15:00 push arrives; the 11:08 Tests failure alone pairs with nothing", () => {
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "main-is-broken",
        state: "Triggered",
        at: "2024-05-09T15:09:20.000Z",
        triggering_event: eventOf(events, 9304, "Failed").id,
        labels: {},
      },
    ]);
    // the earlier Tests failure is more than 10 minutes before the Lint failure: outside `within`
    const gap = Date.parse(eventOf(events, 9303, "Failed").occurred) - Date.parse(eventOf(events, 9302, "Failed").occurred);
    expect(gap).toBeGreaterThan(10 * 60_000);
    expect(Date.parse(eventOf(events, 9304, "Failed").occurred) - Date.parse(eventOf(events, 9303, "Failed").occurred)).toBeLessThanOrEqual(
      10 * 60_000,
    );
  });

  it("the page names the commit and links both failed runs, newest first, and not the earlier ones", () => {
    const sent = actions(records);
    expect(sent).toHaveLength(1);
    const sha = headSha(eventOf(events, 9304, "Failed")).slice(0, 7);
    expect(requestOf(sent, 0)).toEqual({
      notifier: "oncall",
      subject: "main is broken: Tests and Lint failed",
      body: `:rotating_light: Tests and Lint both failed on main (${sha} "Rename Session to UserSession"): Tests ${RUNS}/9304, Lint ${RUNS}/9303`,
    });
  });
});

describe("sequence: a deploy that starts, fails, then is rolled back within the hour", () => {
  const { records, events } = simulateExample("sequence");

  it("fires once, at the rollback dispatch after the failed deploy; the earlier rollback drill opens nothing", () => {
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "deploy-rolled-back",
        state: "Triggered",
        at: "2024-05-10T14:15:00.000Z",
        triggering_event: eventOf(events, 9404, "Pending").id,
        labels: {},
      },
    ]);
    expect(eventOf(events, 9401, "Pending").resource["github.event"]).toBe("workflow_dispatch");
  });

  it("opens an incident listing the three steps newest first, and tells #releases", () => {
    const sent = actions(records);
    expect(sent.map((a) => [a.index, a.type])).toEqual([
      [0, "create-issue"],
      [1, "send-notification"],
    ]);
    const issue = requestOf(sent, 0);
    expect(issue.title).toBe("Incident: deploy rolled back at 2024-05-10T14:15:00Z");
    expect(issue.labels).toEqual(["incident", "deploy"]);
    expect(issue.body).toBe(
      [
        `Codertocat dispatched a rollback: ${RUNS}/9404`,
        "",
        "What happened, newest first:",
        `- 2024-05-10T14:15:00.000Z github.workflow-run.Pending: Rollback #13 "Rollback" ${RUNS}/9404`,
        `- 2024-05-10T14:06:30.000Z github.workflow-run.Failed: Deploy #231 "Release 2024.05.10-2" ${RUNS}/9403`,
        `- 2024-05-10T14:00:12.000Z github.workflow-run.Running: Deploy #231 "Release 2024.05.10-2" ${RUNS}/9403`,
        "",
        "",
      ].join("\n"),
    );
    expect(requestOf(sent, 1)).toEqual({
      notifier: "releases",
      body: `:rewind: A deploy failed and was rolled back; incident opened. Rollback run: ${RUNS}/9404`,
    });
  });
});

describe("workflows-section: publish docs for final releases", () => {
  const { records } = simulateExample("workflows-section");
  const events = eventsOf("workflows-section");

  it("the release candidate dispatches nothing; the final release dispatches publish-docs.yml once, at its tag", () => {
    const published = events.filter((e) => e.event === "github.release.published" && e.resource["github.tag"] === "v1.4.0");
    expect(published).toHaveLength(1);
    expect(firings(records)).toEqual([
      {
        kind: "firing",
        automation: "publish-docs-on-release",
        state: "Triggered",
        at: "2024-05-15T09:30:00.000Z",
        triggering_event: published[0]!.id,
        labels: {},
      },
    ]);
    expect(actions(records)).toEqual([
      {
        kind: "action",
        automation: "publish-docs-on-release",
        index: 0,
        type: "run-workflow",
        dry_run: true,
        request: {
          workflow: "publish-docs.yml",
          ref: "v1.4.0",
          inputs: { version: "v1.4.0", release_url: "https://github.com/Codertocat/Hello-World/releases/tag/v1.4.0" },
        },
      },
    ]);
  });
});
