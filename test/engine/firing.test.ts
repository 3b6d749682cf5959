import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/event-schema.js";
import { createEngine, firingEvent, idempotencyKey, selectActions, stateOfEvent, type Firing } from "../../src/engine/index.js";
import { action, automation, compound, config, event, firingsOf, proactive, run, trigger } from "./builders.js";

function oneFiring(...inputs: Parameters<typeof run>[1]): Firing {
  const e = createEngine(config(automation("notify me", trigger({ expect: ["github.workflow-run.*"], for_each: ["repo"] }))));
  return firingsOf(run(e, inputs))[0]!;
}

describe("firing ids (SEMANTICS §5)", () => {
  it("the same inputs give the same firing id", () => {
    const x = event("github.workflow-run.Failed", 1, { resource: { repo: "r" } });
    expect(oneFiring(x).id).toBe(oneFiring(x).id);
  });

  it("a different triggering event gives a different firing id", () => {
    expect(oneFiring(event("github.workflow-run.Failed", 1)).id).not.toBe(oneFiring(event("github.workflow-run.Failed", 1)).id);
  });

  it('a missing for_each label is "" in the firing\'s labels', () => {
    expect(oneFiring(event("github.workflow-run.Failed", 1)).labels).toEqual({ repo: "" });
  });
});

describe("firingEvent (SEMANTICS §5)", () => {
  it("builds hookline.automation.triggered with the automation as resource and the triggering event as related", () => {
    const x = event("github.workflow-run.Failed", 1);
    const f = oneFiring(x);
    const fe = firingEvent(f);
    expect(fe).toMatchObject({
      event: "hookline.automation.triggered",
      occurred: f.at,
      resource: { "prefect.resource.id": "hookline.automation.notify me", "prefect.resource.name": "notify me" },
      related: [{ "prefect.resource.id": `hookline.event.${x.id}`, "prefect.resource.role": "triggering-event" }],
      follows: null,
    });
    expect(validateEvent(fe).ok).toBe(true);
    expect(firingEvent(f).id).toBe(fe.id);
    expect(fe.id).not.toBe(f.id);
  });

  it("a Resolved firing gives hookline.automation.resolved; no triggering event gives no related", () => {
    const e = createEngine(config(automation("p", proactive({ expect: ["a.b.c"], within: 10 }))));
    const [t, r] = firingsOf(run(e, [{ tick: 0 }, { tick: 10 }, event("a.b.c", 11)]));
    expect(firingEvent(t!).related).toEqual([]);
    expect(firingEvent(r!).event).toBe("hookline.automation.resolved");
  });

  it("the engine fires on its own events only when they are fed back", () => {
    const cfg = config(
      automation("first", trigger({ expect: ["a.b.c"] })),
      automation("chained", trigger({ expect: ["hookline.automation.triggered"], match: { "prefect.resource.name": "first" } })),
    );
    const e = createEngine(cfg);
    const out = e.ingest(event("a.b.c", 0));
    expect(firingsOf(out).map((f) => f.automation)).toEqual(["first"]);
    expect(firingsOf(e.ingest(firingEvent(firingsOf(out)[0]!))).map((f) => f.automation)).toEqual(["chained"]);
  });
});

describe("stateOfEvent", () => {
  it("reads the github.state label of the primary resource first", () => {
    expect(stateOfEvent(event("github.workflow-run.completed", 0, { resource: { "github.state": "Failed" } }))).toBe("Failed");
  });
  it("else takes the last segment of the event name", () => {
    expect(stateOfEvent(event("github.workflow-run.Cancelled", 0))).toBe("Cancelled");
  });
});

describe("selectActions (SEMANTICS §5)", () => {
  const auto = automation("a", trigger({ expect: ["x.y.*"] }), {
    actions: [action({ params: { n: 0 } }), action({ params: { n: 1 }, only_states: ["Failed"] })],
    actions_on_trigger: [action({ params: { n: 2 }, ignore_states: ["Failed"] })],
    actions_on_resolve: [action({ params: { n: 3 } })],
  });
  const firing = (state: "Triggered" | "Resolved", name: string | null): Firing => ({
    id: "f",
    automation: "a",
    state,
    at: "2024-01-01T00:00:00.000Z",
    triggering_event: name === null ? null : event(name, 0),
    labels: {},
    child_firings: [],
    events: [],
  });
  const indices = (f: Firing) => selectActions(f, auto).map((s) => s.index);

  it("Triggered runs actions then actions_on_trigger, with stable indices", () => {
    expect(indices(firing("Triggered", "x.y.Completed"))).toEqual([0, 2]);
  });
  it("only_states keeps an action only for the listed states; ignore_states drops listed states", () => {
    expect(indices(firing("Triggered", "x.y.Failed"))).toEqual([0, 1]);
  });
  it("Resolved runs actions_on_resolve only, indexed after the other lists", () => {
    expect(indices(firing("Resolved", "x.y.Completed"))).toEqual([3]);
  });
  it("with no triggering event, only_states skips the action and ignore_states keeps it", () => {
    expect(indices(firing("Triggered", null))).toEqual([0, 2]);
  });
  it("idempotency keys are deterministic per firing and action index, and differ between actions", () => {
    const f = firing("Triggered", "x.y.Failed");
    expect(idempotencyKey(f, 1)).toBe(idempotencyKey({ ...f }, 1));
    expect(idempotencyKey(f, 1)).not.toBe(idempotencyKey(f, 2));
  });
});

describe("composite firings carry child firings and events", () => {
  it("every event of the firing and its children appears once, newest first", () => {
    const e = createEngine(config(automation("c", compound([trigger({ expect: ["a.b.one"] }), trigger({ expect: ["a.b.*"] })], "all"))));
    const one = event("a.b.one", 1);
    const [f] = firingsOf(run(e, [one]));
    expect(f!.events).toEqual([one]);
    expect(f!.child_firings).toHaveLength(2);
  });
});
