/**
 * SEMANTICS §5 as `simulate` and the runners use it: which actions a firing runs (`only_states` /
 * `ignore_states` read the triggering event's `github.state` label, else the last segment of its name), and
 * the firing events fed back for chained automations (`firingEvent`).
 */
import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/event-schema.js";
import { createEngine, firingEvent, selectActions, type Firing } from "../../src/engine/index.js";
import { action, automation, compound, config, event, firingsOf, proactive, run, sec, trigger } from "./builders.js";

const withStates = automation("a", trigger({ expect: ["github.workflow-run.*"] }), {
  actions: [action({ only_states: ["Failed"] }), action({ ignore_states: ["Failed"] }), action({ only_states: ["Completed"] })],
  actions_on_resolve: [action({ only_states: ["Completed"] }), action({ ignore_states: ["Completed"] })],
});
const indices = (f: Firing) => selectActions(f, withStates).map((s) => s.index);
const firingOf = (te: ReturnType<typeof event> | null, state: "Triggered" | "Resolved" = "Triggered"): Firing => ({
  id: "f",
  automation: "a",
  state,
  at: "2024-01-01T00:00:00.000Z",
  triggering_event: te,
  labels: {},
  child_firings: [],
  events: te === null ? [] : [te],
});

describe("only_states / ignore_states (SEMANTICS §5)", () => {
  it("the github.state label wins over the last segment of the event name", () => {
    const te = event("github.workflow-run.completed", 0, { resource: { "github.state": "Failed" } });
    expect(indices(firingOf(te))).toEqual([0]);
  });

  it("without a github.state label the last segment of the name is the state (case-sensitive)", () => {
    expect(indices(firingOf(event("github.workflow-run.Completed", 0)))).toEqual([1, 2]);
    expect(indices(firingOf(event("github.workflow-run.completed", 0)))).toEqual([1]);
    expect(indices(firingOf(event("github.workflow-run.Failed", 0)))).toEqual([0]);
  });

  it("a github.state label on a related resource is not the state", () => {
    const te = event("github.workflow-run.Completed", 0, {
      related: [{ "prefect.resource.id": "x", "prefect.resource.role": "workflow", "github.state": "Failed" }],
    });
    expect(indices(firingOf(te))).toEqual([1, 2]);
  });

  it('an empty github.state label is the state "" (not a fallback to the name)', () => {
    const te = event("github.workflow-run.Failed", 0, { resource: { "github.state": "" } });
    expect(indices(firingOf(te))).toEqual([1]);
  });

  it("a filter naming a state family matches its members: only_states Failed runs for TimedOut and Crashed, ignore_states Failed skips them", () => {
    expect(indices(firingOf(event("github.workflow-run.TimedOut", 0)))).toEqual([0]);
    expect(indices(firingOf(event("github.workflow-run.Crashed", 0)))).toEqual([0]);
    expect(indices(firingOf(event("github.workflow-run.Skipped", 0)))).toEqual([1, 2]);
  });

  it("only_states and ignore_states combine: a state passes if only_states matches it and ignore_states does not", () => {
    const both = automation("b", trigger({ expect: ["github.workflow-run.*"] }), {
      actions: [action({ only_states: ["Failed"], ignore_states: ["TimedOut"] })],
    });
    const ran = (name: string) => selectActions(firingOf(event(name, 0)), both).length;
    expect([ran("github.workflow-run.Failed"), ran("github.workflow-run.TimedOut"), ran("github.workflow-run.Completed")]).toEqual([
      1, 0, 0,
    ]);
  });

  it("a Resolved firing filters actions_on_resolve by the resolving event's state", () => {
    expect(indices(firingOf(event("github.workflow-run.Completed", 0), "Resolved"))).toEqual([3]);
    expect(indices(firingOf(event("github.workflow-run.Failed", 0), "Resolved"))).toEqual([4]);
  });

  it("a composite firing's state is the newest child's triggering event's", () => {
    const auto = automation("c", compound([trigger({ expect: ["x.y.Failed"] }), trigger({ expect: ["x.y.Completed"] })], "all"), {
      actions: [action({ only_states: ["Failed"] }), action({ only_states: ["Completed"] })],
    });
    const e = createEngine(config(auto));
    const [f] = firingsOf(run(e, [event("x.y.Completed", 5), event("x.y.Failed", 3)]));
    expect(selectActions(f!, auto).map((s) => s.index)).toEqual([1]);
  });
});

describe("firingEvent for chained automations (SEMANTICS §5, §6b)", () => {
  it("a proactive alarm's firing event occurs at the deadline and is a valid event", () => {
    const e = createEngine(
      config(automation("stuck run", proactive({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 }))),
    );
    const start = event("job.run.started", 0);
    const [f] = firingsOf(run(e, [start, { tick: 60 }]));
    const fe = firingEvent(f!);
    expect([sec(fe.occurred), fe.event, fe.related]).toEqual([
      60,
      "hookline.automation.triggered",
      [{ "prefect.resource.id": `hookline.event.${start.id}`, "prefect.resource.role": "triggering-event" }],
    ]);
    expect(validateEvent(fe).ok).toBe(true);
  });

  it("a chained automation can react to another's Resolved firing, matched by the automation's name", () => {
    const cfg = config(
      automation("watch", proactive({ after: ["job.run.started"], expect: ["job.run.finished"], within: 60 })),
      automation("recovered", trigger({ expect: ["hookline.automation.resolved"], match: { "prefect.resource.name": "watch" } })),
    );
    const e = createEngine(cfg);
    const fs = firingsOf(run(e, [event("job.run.started", 0), { tick: 60 }, event("job.run.finished", 90)]));
    expect(fs.map((f) => f.state)).toEqual(["Triggered", "Resolved"]);
    const chained = fs.flatMap((f) => firingsOf(e.ingest(firingEvent(f))));
    expect(chained.map((f) => [f.automation, sec(f.at), f.triggering_event!.event])).toEqual([
      ["recovered", 90, "hookline.automation.resolved"],
    ]);
  });

  it("feeding the same firing event back twice is a duplicate: a chain never fires twice for one firing", () => {
    const cfg = config(
      automation("first", trigger({ expect: ["a.b.c"] })),
      automation("chained", trigger({ expect: ["hookline.automation.triggered"], match: { "prefect.resource.name": "first" } })),
    );
    const e = createEngine(cfg);
    const [f] = firingsOf(e.ingest(event("a.b.c", 0)));
    expect(firingsOf(e.ingest(firingEvent(f!)))).toHaveLength(1);
    expect(e.ingest(firingEvent(f!))).toEqual([{ kind: "dropped-duplicate", event_id: firingEvent(f!).id }]);
  });

  it("Triggered and Resolved firings of one incident give different firing events", () => {
    const e = createEngine(config(automation("p", proactive({ expect: ["a.b.c"], within: 10 }))));
    const [t, r] = firingsOf(run(e, [{ tick: 0 }, { tick: 10 }, event("a.b.c", 11)]));
    expect(firingEvent(t!).id).not.toBe(firingEvent(r!).id);
    expect(firingEvent(t!).payload).toEqual({
      firing_id: t!.id,
      state: "Triggered",
      labels: {},
      triggering_event_id: null,
      child_firing_ids: [],
    });
  });

  it("an automation name with spaces, dots and non-ASCII characters still gives a valid firing event", () => {
    const name = "Deploy . überwachen — prod";
    const e = createEngine(config(automation(name, trigger({ expect: ["a.b.c"] }))));
    const [f] = firingsOf(e.ingest(event("a.b.c", 0)));
    const fe = firingEvent(f!);
    expect(validateEvent(fe).ok).toBe(true);
    expect(fe.resource).toEqual({ "prefect.resource.id": `hookline.automation.${name}`, "prefect.resource.name": name });
  });
});
