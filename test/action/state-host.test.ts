/** The Action's engine hosts over the state store (full / lazy), driven through `evaluate` with the real executors' shape. */
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import type { AutomationsConfig } from "../../src/automations/types.js";
import { evaluate, type Execute, type Invocation } from "../../src/action/evaluation.js";
import { fullStateHost, lazyStateHost } from "../../src/action/state-host.js";
import { createMemoryStore, emptyState, type StateStore } from "../../src/store/index.js";
import type { HooklineEvent } from "../../src/events/index.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const config = (yaml: string): AutomationsConfig => {
  const r = loadAutomations(yaml, "a.yaml");
  if (!r.config) throw new Error(JSON.stringify(r.problems));
  return r.config;
};
const ev = (id: string, event = "ci.run.failed", at = "2026-03-01T11:59:00Z"): HooklineEvent => ({
  id,
  occurred: at,
  event,
  resource: { "prefect.resource.id": "ci.run.1" },
  related: [],
  payload: {},
  follows: null,
});
const COUNT3 = config(`automations:
  - name: three
    trigger: {expect: [ci.run.failed], threshold: 3, within: 1h}
    actions: [{type: call-webhook, url: "https://example.invalid/x"}]
`);
const executed =
  (log: Invocation[]): Execute =>
  async (inv) => {
    log.push(inv);
    return { status: "executed", events: [] };
  };
const opts = (c: AutomationsConfig, store: StateStore, attempt = 1) => ({ config: c, store, now: () => NOW, attempt, warn: () => {} });

describe("fullStateHost", () => {
  it("counts across runs: each run restores the engine from the stored state", async () => {
    const store = createMemoryStore();
    const log: Invocation[] = [];
    for (const id of [
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
      "00000000-0000-4000-8000-000000000003",
    ]) {
      await evaluate({
        config: COUNT3,
        host: fullStateHost(opts(COUNT3, store)),
        events: [ev(id)],
        advanceTo: null,
        execute: executed(log),
      });
    }
    expect(log).toHaveLength(1);
    expect(Object.keys(store.peek()!.dedupe).filter((k) => k.startsWith("action:"))).toHaveLength(1);
  });

  it("a conflicting writer between load and save: fn is re-applied to the fresh state and no count is lost", async () => {
    const store = createMemoryStore();
    const log: Invocation[] = [];
    // another run lands two events while this one computes: its first save conflicts
    let interfere = true;
    const racing: StateStore = {
      load: () => store.load(),
      async save(state, version) {
        if (interfere) {
          interfere = false;
          for (const id of ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b"]) {
            await evaluate({
              config: COUNT3,
              host: fullStateHost(opts(COUNT3, store)),
              events: [ev(id)],
              advanceTo: null,
              execute: executed(log),
            });
          }
        }
        return store.save(state, version);
      },
    };
    const host = fullStateHost({ ...opts(COUNT3, racing), update: { sleep: async () => {} } });
    const report = await evaluate({
      config: COUNT3,
      host,
      events: [ev("00000000-0000-4000-8000-00000000000c")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(report.firings).toHaveLength(1); // the third failure, counted on top of the other run's two
    expect(log).toHaveLength(1);
  });

  it("an event already recorded (a re-run) evaluates nothing and executes nothing", async () => {
    const c = config(
      `automations:\n  - name: each\n    trigger: {expect: [ci.run.failed], within: 10m}\n    actions: [{type: call-webhook, url: "https://example.invalid/x"}]\n`,
    );
    const store = createMemoryStore();
    const log: Invocation[] = [];
    const e = ev("00000000-0000-4000-8000-000000000001");
    await evaluate({ config: c, host: fullStateHost(opts(c, store)), events: [e], advanceTo: null, execute: executed(log) });
    const again = await evaluate({
      config: c,
      host: fullStateHost(opts(c, store, 2)),
      events: [e],
      advanceTo: null,
      execute: executed(log),
    });
    expect(log).toHaveLength(1);
    expect(again.firings).toEqual([]);
  });

  it("pauses live in the state: pause-automation's write silences the automation in later runs; expired pauses do not", async () => {
    const c = config(
      `automations:\n  - name: each\n    trigger: {expect: [ci.run.failed], within: 10m}\n    actions: [{type: call-webhook, url: "https://example.invalid/x"}]\n`,
    );
    const store = createMemoryStore();
    await fullStateHost(opts(c, store)).pauses.setPaused("each", true);
    const log: Invocation[] = [];
    const r = await evaluate({
      config: c,
      host: fullStateHost(opts(c, store)),
      events: [ev("00000000-0000-4000-8000-000000000001")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(r.firings).toEqual([]);
    const expired = emptyState();
    expired.paused.each = { by: "x", at: "2026-01-01T00:00:00Z", until: "2026-02-01T00:00:00Z" };
    const store2 = createMemoryStore(expired);
    const r2 = await evaluate({
      config: c,
      host: fullStateHost(opts(c, store2)),
      events: [ev("00000000-0000-4000-8000-000000000001")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(r2.firings).toHaveLength(1);
    expect(store2.peek()!.paused).toEqual({}); // compacted away on the write
  });

  it("Slack threads are kept per key and read back by later runs", async () => {
    const store = createMemoryStore();
    await fullStateHost(opts(COUNT3, store)).threads.set("ci\ngithub.workflow-run.1", { channel: "C1", ts: "1.2" });
    const host = fullStateHost(opts(COUNT3, store));
    await host.run([], () => null);
    expect(await host.threads.get("ci\ngithub.workflow-run.1")).toEqual({ channel: "C1", ts: "1.2" });
    expect(await host.threads.get("ci\nother")).toBeUndefined();
  });

  it("an unreadable stored engine state is a warning and a fresh engine, not a crash", async () => {
    const bad = emptyState();
    bad.engine = { version: 1, clock: "yesterday" } as never;
    const warnings: string[] = [];
    const log: Invocation[] = [];
    const c = config(
      `automations:\n  - name: each\n    trigger: {expect: [ci.run.failed], within: 10m}\n    actions: [{type: call-webhook, url: "https://example.invalid/x"}]\n`,
    );
    const host = fullStateHost({ ...opts(c, createMemoryStore(bad)), warn: (m) => warnings.push(m) });
    const r = await evaluate({
      config: c,
      host,
      events: [ev("00000000-0000-4000-8000-000000000001")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(r.firings).toHaveLength(1);
    expect(warnings.join()).toMatch(/could not be restored/);
  });
});

describe("lazyStateHost", () => {
  const EACH = config(
    `automations:\n  - name: each\n    trigger: {expect: [ci.run.failed]}\n    actions: [{type: call-webhook, url: "https://example.invalid/x"}, {type: do-nothing}]\n`,
  );
  const counting = (store: StateStore) => {
    const calls: string[] = [];
    const s: StateStore = {
      load: () => (calls.push("load"), store.load()),
      save: (st, v) => (calls.push("save"), store.save(st, v)),
    };
    return { s, calls };
  };

  it("attempt 1 makes no state call unless an action executes; then one write records the executed external actions only", async () => {
    const mem = createMemoryStore();
    const { s, calls } = counting(mem);
    const log: Invocation[] = [];
    await evaluate({
      config: EACH,
      host: lazyStateHost(opts(EACH, s)),
      events: [ev("00000000-0000-4000-8000-000000000001", "ci.run.ok")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(calls).toEqual([]);
    await evaluate({
      config: EACH,
      host: lazyStateHost(opts(EACH, s)),
      events: [ev("00000000-0000-4000-8000-000000000001")],
      advanceTo: null,
      execute: executed(log),
    });
    expect(calls).toEqual(["load", "save"]);
    expect(Object.keys(mem.peek()!.dedupe)).toEqual([`action:${log[0]!.idempotencyKey}`]); // not do-nothing
  });

  it("a re-run (attempt 2) loads once and skips what attempt 1 executed; failed actions are retried", async () => {
    const mem = createMemoryStore();
    const e = ev("00000000-0000-4000-8000-000000000001");
    const first: Invocation[] = [];
    const failWebhook: Execute = async (inv) => {
      first.push(inv);
      return inv.action.type === "call-webhook"
        ? { status: "failed", code: "X", reason: "down", events: [] }
        : { status: "executed", events: [] };
    };
    await evaluate({ config: EACH, host: lazyStateHost(opts(EACH, mem)), events: [e], advanceTo: null, execute: failWebhook });
    expect(mem.peek()).toBeNull(); // nothing external executed: nothing recorded
    const second: Invocation[] = [];
    await evaluate({ config: EACH, host: lazyStateHost(opts(EACH, mem, 2)), events: [e], advanceTo: null, execute: executed(second) });
    expect(second.map((i) => i.action.type)).toEqual(["call-webhook", "do-nothing"]);
    const { s, calls } = counting(mem);
    const third: Invocation[] = [];
    const r = await evaluate({
      config: EACH,
      host: lazyStateHost(opts(EACH, s, 3)),
      events: [e],
      advanceTo: null,
      execute: executed(third),
    });
    expect(third.map((i) => i.action.type)).toEqual(["do-nothing"]);
    expect(r.actions.map((a) => a.result.status)).toEqual(["skipped", "executed"]);
    expect(calls).toEqual(["load"]);
  });
});
