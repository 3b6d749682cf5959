/**
 * The Simulation builds each firing's template data from what that automation's templates read
 * (src/templates/reads.ts): every action list counts, and the requests are those the whole context renders.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type SimulationItem } from "../../src/engine/simulation.js";
import { selectActions } from "../../src/engine/index.js";
import { buildTemplateContext, renderValue } from "../../src/templates/index.js";
import { action, automation, config, event, proactive, trigger } from "./builders.js";

const notify = (body: string) => action({ type: "send-notification", params: { notifier: "ops", body } });

const stuck = automation(
  "stuck",
  proactive({ after: ["github.workflow-run.Running"], expect: ["github.workflow-run.Failed"], for_each: ["prefect.resource.id"] }),
  {
    actions: [notify("stuck {{ event.resource['prefect.resource.name'] }} {{ workflow_run.name }}")],
    actions_on_trigger: [notify("{{ firing.state }} {{ labels['prefect.resource.id'] }}")],
    // read by no other list: a Resolved firing renders only these
    actions_on_resolve: [notify("recovered: {{ event.resource['github.state'] }} {{ repository.full_name }} {{ firing.events | length }}")],
  },
);
const every = automation("every", trigger({ expect: ["github.workflow-run.*"] }), {
  actions: [notify("{{ event.payload.workflow_run.html_url }} {{ sender }}")],
});

const payload = { workflow_run: { name: "CI", html_url: "https://x/1" }, repository: { full_name: "acme/app" }, sender: { login: "o" } };
const run = (state: string, at: number) =>
  event(`github.workflow-run.${state}`, at, { resource: { "prefect.resource.name": "CI", "github.state": state }, payload });

describe("Simulation template data from what the templates read", () => {
  it("renders every action list, actions_on_resolve too, as the whole context renders it", () => {
    const sim = new Simulation(config(stuck, every));
    const items: SimulationItem[] = [
      ...sim.event(run("Running", 0)),
      ...sim.tick(Date.parse(run("x", 120).occurred)),
      ...sim.event(run("Failed", 130)),
    ];
    const actions = items.filter((i) => i.type === "action");
    expect(actions.map((a) => `${a.firing.automation} ${a.firing.state} ${a.index}`)).toEqual([
      "every Triggered 0",
      "stuck Triggered 0",
      "stuck Triggered 1",
      "stuck Resolved 2",
      "every Triggered 0",
    ]);
    for (const a of actions) {
      const auto = a.firing.automation === "stuck" ? stuck : every;
      expect(selectActions(a.firing, auto).some((s) => s.index === a.index)).toBe(true);
      const whole = buildTemplateContext({ event: a.firing.triggering_event, automation: auto, firing: a.firing });
      expect(a.error).toBeNull();
      expect(a.request).toEqual(renderValue(a.action.params, whole));
    }
    expect((actions[3]!.request as { body: string }).body).toBe("recovered: Failed acme/app 1");
  });
});
