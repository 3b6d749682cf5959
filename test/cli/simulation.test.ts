import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { validateEvent, type HooklineEvent } from "../../src/events/event-schema.js";
import { Simulation, toContractRecord } from "../../src/cli/simulation.js";

function config(yaml: string) {
  const r = loadAutomations(yaml, "a.yaml");
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.config;
}

let n = 0;
function ev(name: string, seconds: number): HooklineEvent {
  n++;
  const r = validateEvent({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    occurred: new Date(Date.UTC(2024, 4, 1) + seconds * 1000).toISOString(),
    event: name,
    resource: { "prefect.resource.id": "job.1" },
  });
  if (!r.ok) throw new Error(r.errors.join());
  return r.event;
}

describe("simulate feeds firings back through the engine (SEMANTICS §6b)", () => {
  it("a firing caused by a deadline is fed back before the event that crossed the deadline is evaluated", () => {
    const sim = new Simulation(
      config(`automations:
  - name: watch
    trigger: {posture: Proactive, after: job.run.started, expect: job.run.finished, within: 60}
  - name: fixed-after-alarm
    trigger:
      after: hookline.automation.triggered
      expect: job.run.fixed
      within: 600
`),
    );
    const out = [...sim.event(ev("job.run.started", 0)), ...sim.event(ev("job.run.fixed", 100))].map(toContractRecord);
    expect(out.filter((o) => o.kind === "firing").map((o) => `${o.automation}@${o.at}`)).toEqual([
      "watch@2024-05-01T00:01:00.000Z",
      "fixed-after-alarm@2024-05-01T00:01:40.000Z",
    ]);
  });

  it("chains of automations reacting to each other stop at the depth limit with a warning", () => {
    const sim = new Simulation(
      config(`automations:
  - name: a
    trigger: {expect: [job.run.started, hookline.automation.triggered], match: {prefect.resource.id: ["job.1", "hookline.automation.b"]}}
  - name: b
    trigger: {expect: hookline.automation.triggered, match: {prefect.resource.id: hookline.automation.a}}
`),
    );
    const out = sim.event(ev("job.run.started", 0));
    expect(out.length).toBeGreaterThan(10);
    expect(sim.warnings.join()).toContain("automation chain deeper than 16");
  });
});
