import { describe, expect, it } from "vitest";
import { createFetchHttpPort } from "../../../src/adapters/index.js";
import { evaluatorSleepMs } from "../../../bots/server/work/index.js";
import { actionPorts } from "../../../bots/server/work/action-ports.js";
import { createFakeStore } from "./fake-store.js";
import { configOf, T0, testClock } from "./helpers.js";

describe("how long the evaluator sleeps", () => {
  it("until the earliest known deadline when it comes before the poll interval", () => {
    const deadlines = new Map([
      ["server", T0 + 300],
      ["repo:a/b", T0 + 200],
    ]);
    expect(evaluatorSleepMs(deadlines, T0, 1_000)).toBe(200);
  });
  it("the poll interval when every deadline is later", () => {
    expect(evaluatorSleepMs(new Map([["server", T0 + 5_000]]), T0, 1_000)).toBe(1_000);
  });
  it("forgets deadlines already past (another instance handled them), so it never spins on them", () => {
    const deadlines = new Map([
      ["server", T0 - 1],
      ["repo:a/b", T0],
    ]);
    expect(evaluatorSleepMs(deadlines, T0, 1_000)).toBe(1_000);
    expect(deadlines.size).toBe(0);
  });
});

describe("ports an action runs with", () => {
  const inv = () => {
    const automation = configOf("automations:\n  - name: notify\n    trigger: {expect: [a.b.c]}\n    actions: [{type: do-nothing}]\n")
      .config.automations[0]!;
    const firing = {
      id: "f1",
      automation: "notify",
      state: "Triggered" as const,
      at: new Date(T0).toISOString(),
      triggering_event: null,
      labels: {},
      child_firings: [],
      events: [],
    };
    return { firing, automation, index: 0, action: automation.actions[0]!, idempotencyKey: "f1:0" };
  };
  const base = { http: createFetchHttpPort(), env: {}, repository: { owner: "o", repo: "r" } };

  it("Slack threads are kept per scope: the same key in two scopes is two threads", async () => {
    const store = createFakeStore();
    const a = actionPorts(base, store, "repo:o/a", inv(), testClock());
    const b = actionPorts(base, store, "repo:o/b", inv(), testClock());
    await a.threads!.set("ci\nrun-1", { channel: "C1", ts: "1.1" });
    expect(await a.threads!.get("ci\nrun-1")).toEqual({ channel: "C1", ts: "1.1" });
    expect(await b.threads!.get("ci\nrun-1")).toBeUndefined();
    expect(await store.getThread("repo:o/a", "ci\nrun-1")).toEqual({ channel: "C1", ts: "1.1" });
  });

  it("the clock is the worker's (emitted events and Retry-After dates use it)", () => {
    const clock = testClock(T0 + 42, 0.3);
    const ports = actionPorts(base, createFakeStore(), "server", inv(), clock);
    expect(ports.clock.now()).toBe(T0 + 42);
    expect(ports.clock.random!()).toBe(0.3);
  });
});
