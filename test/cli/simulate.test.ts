import { describe, expect, it } from "vitest";
import { cli, event, jsonl, tempDir, writeTemp } from "./run-cli.js";

const AUTOMATIONS = `notifiers:
  ops: {type: slack, channel: "#ops"}
automations:
  - name: failed-ci
    trigger:
      expect: github.workflow-run.Failed
      match: {github.workflow: CI}
    actions:
      - type: send-notification
        notifier: ops
        body: "CI failed on {{ event.resource['github.branch'] }}"
  - name: stuck
    trigger:
      posture: Proactive
      after: github.workflow-run.Running
      expect: [github.workflow-run.Completed, github.workflow-run.Failed]
      for_each: prefect.resource.id
      within: 10m
    actions:
      - {type: send-notification, notifier: ops, body: "stuck {{ labels['prefect.resource.id'] }}"}
    actions_on_resolve:
      - {type: send-notification, notifier: ops, body: "recovered"}
  - name: chained
    trigger:
      expect: hookline.automation.triggered
      match: {prefect.resource.name: failed-ci}
    actions:
      - {type: do-nothing}
`;

const run1 = { "prefect.resource.id": "github.workflow-run.1", "github.workflow": "CI", "github.branch": "main" };

function setup(events: unknown[] | string) {
  const dir = tempDir();
  return {
    automations: writeTemp(dir, "automations.yaml", AUTOMATIONS),
    events: writeTemp(dir, "events.jsonl", typeof events === "string" ? events : jsonl(events)),
    dir,
  };
}

describe("hookline simulate (DESIGN.md contract)", () => {
  it("prints one JSON object per line, firings then their rendered dry-run actions, in the order things happen", () => {
    const f = setup([
      event("github.workflow-run.Running", "2024-05-01T12:00:00Z", run1),
      event("github.workflow-run.Failed", "2024-05-01T12:20:00Z", run1),
    ]);
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.lines.map((l) => JSON.parse(l));
    expect(out.map((o) => `${o.kind}:${o.automation}:${o.state ?? o.type}`)).toEqual([
      "firing:stuck:Triggered",
      "action:stuck:send-notification",
      "firing:failed-ci:Triggered",
      "action:failed-ci:send-notification",
      "firing:chained:Triggered",
      "action:chained:do-nothing",
      "firing:stuck:Resolved",
      "action:stuck:send-notification",
    ]);
    expect(out[0]).toEqual({
      kind: "firing",
      automation: "stuck",
      state: "Triggered",
      at: "2024-05-01T12:10:00.000Z",
      triggering_event: "00000000-0000-4000-8000-000000000001",
      labels: { "prefect.resource.id": "github.workflow-run.1" },
    });
    expect(out[1]).toEqual({
      kind: "action",
      automation: "stuck",
      index: 0,
      type: "send-notification",
      dry_run: true,
      request: { notifier: "ops", body: "stuck github.workflow-run.1" },
    });
    expect(out[3].request.body).toBe("CI failed on main");
    expect(out[7]).toMatchObject({ index: 1, request: { body: "recovered" } });
  });

  it("a tick line advances the clock and fires the deadlines up to it", () => {
    const f = setup([event("github.workflow-run.Running", "2024-05-01T12:00:00Z", run1), { tick: "2024-05-01T12:10:00Z" }]);
    const out = cli(["simulate", "--automations", f.automations, "--events", f.events]).lines.map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ kind: "firing", automation: "stuck", at: "2024-05-01T12:10:00.000Z" });
  });

  it("--until advances the clock at the end of the input", () => {
    const f = setup([event("github.workflow-run.Running", "2024-05-01T12:00:00Z", run1)]);
    expect(cli(["simulate", "--automations", f.automations, "--events", f.events]).lines).toEqual([]);
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events, "--until", "2024-05-01T13:00:00Z"]);
    expect(r.lines.map((l) => JSON.parse(l).kind)).toEqual(["firing", "action"]);
  });

  it("reads events from standard input with --events -", () => {
    const f = setup([]);
    const r = cli(
      ["simulate", "--automations", f.automations, "--events", "-"],
      jsonl([event("github.workflow-run.Failed", "2024-05-01T12:00:00Z", run1)]),
    );
    expect(r.code).toBe(0);
    expect(r.lines.length).toBe(4);
  });

  it("an event line that is not JSON exits 1 naming the file and line", () => {
    const f = setup(`${JSON.stringify(event("github.workflow-run.Failed", "2024-05-01T12:00:00Z", run1))}\n{nope\n`);
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f.events}:2: not valid JSON`);
  });

  it("an invalid event exits 1 naming the file, the line and what is wrong", () => {
    const f = setup(jsonl([{ ...event("github.workflow-run.Failed", "2024-05-01T12:00:00Z", run1), id: "x" }]));
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${f.events}:1: not a valid event: id: must be a UUID`));
  });

  it("a bad tick exits 1", () => {
    const f = setup(jsonl([{ tick: "soon" }]));
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(':1: "tick" must be an ISO-8601 time');
  });

  it("an invalid automations file exits 1 with file:line:col errors and no output", () => {
    const dir = tempDir();
    const a = writeTemp(
      dir,
      "a.yaml",
      "automations:\n  - name: x\n    trigger: {expect: a.b.c}\n    actions: [{type: sned-notification}]\n",
    );
    const e = writeTemp(dir, "e.jsonl", "");
    const r = cli(["simulate", "--automations", a, "--events", e]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`${a}:4:\\d+: error: .*send-notification`));
  });

  it("bad usage exits 2: unknown flag, missing flag, unreadable file, bad --until, bad --format", () => {
    const f = setup([]);
    expect(cli(["simulate", "--automations", f.automations, "--events", f.events, "--bogus"]).code).toBe(2);
    expect(cli(["simulate", "--automations", f.automations]).code).toBe(2);
    const missing = cli(["simulate", "--automations", f.automations, "--events", `${f.dir}/nope.jsonl`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    expect(cli(["simulate", "--automations", `${f.dir}/nope.yaml`, "--events", f.events]).code).toBe(2);
    expect(cli(["simulate", "--automations", f.automations, "--events", f.events, "--until", "later"]).code).toBe(2);
    expect(cli(["simulate", "--automations", f.automations, "--events", f.events, "--format", "xml"]).code).toBe(2);
  });

  it("followers still waiting at the end of the input are listed on stderr", () => {
    const waiting = event("github.workflow-run.Failed", "2024-05-01T12:00:00Z", run1, { follows: "00000000-0000-4000-8000-0000000000ff" });
    const f = setup([waiting]);
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain(
      `${waiting.id} (github.workflow-run.Failed at 2024-05-01T12:00:00.000Z) follows 00000000-0000-4000-8000-0000000000ff`,
    );
  });

  it("never executes actions: every action line says dry_run", () => {
    const f = setup([event("github.workflow-run.Failed", "2024-05-01T12:00:00Z", run1)]);
    const actions = cli(["simulate", "--automations", f.automations, "--events", f.events])
      .lines.map((l) => JSON.parse(l))
      .filter((o) => o.kind === "action");
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.dry_run === true)).toBe(true);
  });

  it("--format table shows what fired, when and why, with totals", () => {
    const f = setup([
      event("github.workflow-run.Running", "2024-05-01T12:00:00Z", run1),
      event("github.workflow-run.Failed", "2024-05-01T12:20:00Z", run1),
    ]);
    const r = cli(["simulate", "--automations", f.automations, "--events", f.events, "--format", "table"]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^AT\s+STATE\s+AUTOMATION\s+WHY/);
    expect(r.stdout).toMatch(
      /2024-05-01T12:10:00.000Z Triggered stuck\s+deadline passed: nothing expected since github.workflow-run.Running/,
    );
    expect(r.stdout).toMatch(/2024-05-01T12:20:00.000Z Triggered failed-ci\s+github.workflow-run.Failed on github.workflow-run.1/);
    expect(r.stdout).toContain("-> send-notification #0: CI failed on main");
    expect(r.stdout).toContain("2 events, 4 firings, 4 actions (dry run: nothing was executed)");
  });

  it("a template that fails at run time gives an action line with an error, not a crash", () => {
    const dir = tempDir();
    const a = writeTemp(
      dir,
      "a.yaml",
      "automations:\n  - name: x\n    trigger: {expect: a.b.c}\n    actions:\n      - {type: call-webhook, url: 'https://example.com', body: '{{ event.payload.missing }}'}\n",
    );
    const e = writeTemp(dir, "e.jsonl", jsonl([event("a.b.c", "2024-05-01T12:00:00Z")]));
    const r = cli(["simulate", "--automations", a, "--events", e]);
    expect(r.code).toBe(0);
    const action = JSON.parse(r.lines[1]!);
    expect(action.request).toBeNull();
    expect(action.error).toContain("HOOKLINE_TEMPLATE_MISSING_VALUE");
  });
});
