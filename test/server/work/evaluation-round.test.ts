import { describe, expect, it } from "vitest";
import { ACTION_EVENT_NAMES } from "../../../src/executors/index.js";
import { createEngine, firingEvent } from "../../../src/engine/index.js";
import type { ScopeWork } from "../../../src/store/server-types.js";
import { emptyRound, evaluationRound, MAX_CHAIN_DEPTH } from "../../../bots/server/work/index.js";
import { configOf, ev, T0 } from "./helpers.js";

const work = (p: Partial<ScopeWork> = {}): ScopeWork => ({
  scope: "server",
  state: null,
  configVersion: null,
  paused: [],
  events: [],
  ...p,
});

const HOOK = `automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions:
      - {type: call-webhook, url: "http://127.0.0.1:1/hook", max_retries: 2}
      - {type: do-nothing}
`;

describe("evaluation round (the pure callback of evaluateScope)", () => {
  it("a firing queues one outbox item per selected action keyed by the idempotency key, with maxAttempts = 1 + max_retries", () => {
    const { result } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), configOf(HOOK), T0);
    expect(result.firings).toHaveLength(1);
    const firing = result.firings[0]!;
    expect(result.outbox).toHaveLength(1);
    expect(result.outbox[0]).toMatchObject({
      id: `${firing.id}:0`,
      scope: "server",
      maxAttempts: 3,
      invocation: { index: 0, idempotencyKey: `${firing.id}:0` },
    });
  });

  it("do-nothing is not queued and records no action event", () => {
    const cfg = configOf("automations:\n  - name: quiet\n    trigger: {expect: [job.run.done]}\n    actions: [{type: do-nothing}]\n");
    const { result } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), cfg, T0);
    expect(result.firings).toHaveLength(1);
    expect(result.outbox).toEqual([]);
    expect(result.events.map((i) => i.event.event)).toEqual(["hookline.automation.triggered"]);
  });

  it("produces the firing event, then hookline.action.triggered following it, for each queued action", () => {
    const { result } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), configOf(HOOK), T0);
    const [fired, triggered] = result.events.map((i) => i.event);
    expect(fired).toEqual(firingEvent(result.firings[0]!));
    expect(triggered).toMatchObject({
      event: ACTION_EVENT_NAMES.triggered,
      follows: fired!.id,
      payload: { idempotency_key: result.outbox[0]!.id },
    });
    expect(result.events).toHaveLength(2);
  });

  it("events produced while evaluating a scope are evaluated again in that scope only (a repository never reaches the server scope)", () => {
    const server = evaluationRound(work({ events: [ev("job.run.done", T0)] }), configOf(HOOK), T0).result;
    expect(server.events.every((i) => i.scopes.length === 0)).toBe(true);
    const repo = evaluationRound(work({ scope: "repo:octo/repo", events: [ev("job.run.done", T0)] }), configOf(HOOK), T0).result;
    expect(repo.events.map((i) => i.scopes)).toEqual([[], []]);
    expect(repo.events.every((i) => i.origin.kind === "repo" && i.origin.name === "octo/repo")).toBe(true);
    expect(repo.outbox[0]!.scope).toBe("repo:octo/repo");
  });

  it("chained automations fire in the same evaluation: one reacting to another's firing event", () => {
    const cfg = configOf(`${HOOK}  - name: after-done
    trigger: {expect: [hookline.automation.triggered], match: {prefect.resource.name: on-done}}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/second"}]
`);
    const { result } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), cfg, T0);
    expect(result.firings.map((f) => f.automation)).toEqual(["on-done", "after-done"]);
    expect(result.outbox.map((o) => o.invocation.automation.name)).toEqual(["on-done", "after-done"]);
  });

  it("the engine sees its own hookline.action.triggered events, so an automation can react to them", () => {
    const cfg = configOf(`${HOOK}  - name: on-queued
    trigger: {expect: [hookline.action.triggered], match: {prefect.resource.name: on-done}}
    actions: [{type: do-nothing}]
`);
    const { result } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), cfg, T0);
    expect(result.firings.map((f) => f.automation)).toEqual(["on-done", "on-queued"]);
  });

  it(`a loop of automations triggering each other stops at depth ${MAX_CHAIN_DEPTH} with a warning`, () => {
    const cfg = configOf(`automations:
  - name: ping
    trigger: {expect: [hookline.automation.triggered, job.run.done], match: {prefect.resource.id: ["hookline.automation.pong", "test.*"]}}
    actions: [{type: do-nothing}]
  - name: pong
    trigger: {expect: [hookline.automation.triggered], match: {prefect.resource.name: ping}}
    actions: [{type: do-nothing}]
`);
    const { result, warnings } = evaluationRound(work({ events: [ev("job.run.done", T0)] }), cfg, T0);
    expect(result.firings).toHaveLength(MAX_CHAIN_DEPTH + 1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/chain deeper than 16/);
    // the last firing's event is kept for the feed but queued nowhere (that is what stops the loop)
    expect(result.events.at(-1)!.scopes).toEqual([]);
  });

  it("a paused automation does not fire; the others still do", () => {
    const cfg = configOf(`${HOOK}${HOOK.split("\n").slice(1).join("\n").replace("on-done", "other")}`);
    const { result } = evaluationRound(work({ paused: ["on-done"], events: [ev("job.run.done", T0)] }), cfg, T0);
    expect(result.firings.map((f) => f.automation)).toEqual(["other"]);
  });

  it("moves the engine clock to now so a proactive deadline fires on time without a new event, and reports the next deadline", () => {
    const cfg = configOf(`automations:
  - name: no-reconcile
    trigger: {posture: Proactive, after: [file.summary.done], expect: [file.reconcile.done], within: 30s}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/late"}]
`);
    const first = evaluationRound(work({ events: [ev("file.summary.done", T0)] }), cfg, T0).result;
    expect(first.firings).toEqual([]);
    expect(first.nextDeadline).toBe(T0 + 30_000);
    const early = evaluationRound(work({ state: first.state, configVersion: "v1" }), cfg, T0 + 29_999).result;
    expect(early.firings).toEqual([]);
    const due = evaluationRound(work({ state: first.state, configVersion: "v1" }), cfg, T0 + 31_000).result;
    expect(due.firings).toHaveLength(1);
    expect(due.firings[0]!.at).toBe(new Date(T0 + 30_000).toISOString());
    expect(due.outbox).toHaveLength(1);
    expect(due.nextDeadline).toBeNull();
  });

  it("an id twice in one evaluation fires once; the saved state keeps no processed ids (the store hands each id to a scope once)", () => {
    const e = ev("job.run.done", T0);
    const first = evaluationRound(work({ events: [e, e] }), configOf(HOOK), T0).result;
    expect(first.firings).toHaveLength(1);
    expect((JSON.parse(JSON.stringify(first.state)) as { processed: unknown[] }).processed).toEqual([]);
  });

  it("is deterministic: the same work and time give the same result (a retried transaction writes the same ids)", () => {
    const w = work({ events: [ev("job.run.done", T0)] });
    expect(evaluationRound(w, configOf(HOOK), T0 + 5)).toEqual(evaluationRound(w, configOf(HOOK), T0 + 5));
  });

  it("records the config version the state was computed with", () => {
    expect(evaluationRound(work(), configOf(HOOK, "sha-2"), T0).result.configVersion).toBe("sha-2");
  });
});

describe("a scope with no automations", () => {
  it("consumes its events with the state unchanged and nothing due", () => {
    const state = createEngine({ automations: [], notifiers: {} }).snapshot();
    const r = emptyRound(work({ state, configVersion: "old", events: [ev("job.run.done", T0)] }));
    expect(r).toEqual({ state, configVersion: "old", nextDeadline: null, firings: [], outbox: [], events: [] });
  });

  it("a new scope without automations gets an empty state", () => {
    const r = emptyRound(work());
    expect(r.state.version).toBe(1);
    expect(r.firings).toEqual([]);
  });
});
