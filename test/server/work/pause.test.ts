import { describe, expect, it } from "vitest";
import { validateEvent } from "../../../src/events/event-schema.js";
import { pauseAutomation, pauseEvent, PAUSE_EVENT_NAMES, scopesOfProduced } from "../../../bots/server/work/index.js";
import { createFakeStore } from "./fake-store.js";
import { T0 } from "./helpers.js";

const actor = { "prefect.resource.id": "slack.user.U1", "prefect.resource.name": "ada" };
const record = { scope: "repo:octo/repo", automation: "deploy", paused: true, until: null, by: "slack:U1", at: T0 };

describe("pause / resume events", () => {
  it("a pause is hookline.automation.paused on the automation, with the actor as a related resource of role actor", () => {
    const e = pauseEvent(record, actor);
    expect(validateEvent(e).ok).toBe(true);
    expect(e).toMatchObject({
      event: PAUSE_EVENT_NAMES.paused,
      occurred: new Date(T0).toISOString(),
      resource: {
        "prefect.resource.id": "hookline.automation.deploy",
        "prefect.resource.name": "deploy",
        "hookline.scope": "repo:octo/repo",
      },
      related: [{ ...actor, "prefect.resource.role": "actor" }],
      payload: { scope: "repo:octo/repo", automation: "deploy", paused: true, until: null, by: "slack:U1" },
      follows: null,
    });
  });

  it("the id is deterministic in scope, automation, state, time and who; any of them changes it", () => {
    const id = pauseEvent(record, actor).id;
    expect(pauseEvent({ ...record }, { ...actor }).id).toBe(id);
    for (const change of [{ scope: "server" }, { automation: "other" }, { paused: false }, { at: T0 + 1 }, { by: "api" }]) {
      expect(pauseEvent({ ...record, ...change }, actor).id).not.toBe(id);
    }
  });

  it("the actor's own role is replaced by actor (a caller cannot pass another role)", () => {
    expect(pauseEvent(record, { ...actor, "prefect.resource.role": "triggering-event" }).related[0]!["prefect.resource.role"]).toBe(
      "actor",
    );
  });

  it("an actor without a resource id is refused with HOOKLINE_PAUSE_INVALID and nothing is stored", async () => {
    const store = createFakeStore();
    await expect(
      pauseAutomation(store, {
        scope: "server",
        automation: "deploy",
        paused: true,
        until: null,
        by: "api",
        actor: {},
        origin: { kind: "api", name: "test" },
        now: T0,
      }),
    ).rejects.toMatchObject({ code: "HOOKLINE_PAUSE_INVALID" });
    expect(await store.listPauses("server", T0)).toEqual([]);
    expect(store.events).toEqual([]);
  });

  it("an empty automation name or a non-numeric until is refused", async () => {
    const store = createFakeStore();
    await expect(
      pauseAutomation(store, {
        scope: "server",
        automation: "",
        paused: true,
        until: null,
        by: "api",
        actor,
        origin: { kind: "api", name: "test" },
        now: T0,
      }),
    ).rejects.toMatchObject({ code: "HOOKLINE_PAUSE_INVALID" });
    await expect(
      pauseAutomation(store, {
        scope: "server",
        automation: "x",
        paused: true,
        until: Number.NaN,
        by: "api",
        actor,
        origin: { kind: "api", name: "test" },
        now: T0,
      }),
    ).rejects.toMatchObject({ code: "HOOKLINE_PAUSE_INVALID" });
  });

  it("stores the record and its event in one call, queued for its own scope alone (scopes are walls)", async () => {
    const store = createFakeStore();
    await pauseAutomation(store, {
      scope: "repo:octo/repo",
      automation: "deploy",
      paused: true,
      until: T0 + 60_000,
      by: "slack:U1",
      actor,
      origin: { kind: "api", name: "test" },
      now: T0,
    });
    expect(await store.listPauses("repo:octo/repo", T0)).toEqual([{ ...record, until: T0 + 60_000 }]);
    expect(store.events.map((s) => s.event.payload.until)).toEqual([new Date(T0 + 60_000).toISOString()]);
    expect(store.pending.map((p) => p.scope)).toEqual(["repo:octo/repo"]);
  });

  it("a resume carries no until, and a repeated request records the event once", async () => {
    const store = createFakeStore();
    const args = {
      scope: "server",
      automation: "deploy",
      paused: false,
      until: T0 + 5,
      by: "api",
      actor: { "prefect.resource.id": "hookline.api.token" },
      origin: { kind: "api" as const, name: "test" },
      now: T0,
    };
    await pauseAutomation(store, args);
    await pauseAutomation(store, args);
    expect(store.events).toHaveLength(1);
    expect(store.events[0]!.event).toMatchObject({ event: PAUSE_EVENT_NAMES.resumed, payload: { paused: false, until: null } });
  });
});

describe("scopes of produced events", () => {
  it("firing events are evaluated in the round that made them, so they are queued for no scope (a repository's never reach the server)", () => {
    expect(scopesOfProduced("repo:octo/repo", "firing")).toEqual([]);
    expect(scopesOfProduced("server", "firing")).toEqual([]);
  });
  it("action outcomes go to the scope that ran the action only (a repository's never reach the server)", () => {
    expect(scopesOfProduced("repo:octo/repo", "action")).toEqual(["repo:octo/repo"]);
    expect(scopesOfProduced("server", "action")).toEqual(["server"]);
  });
});
