import { afterEach, describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import {
  CONFIG_RETRY_FIRST_MS,
  CONFIG_RETRY_MAX_MS,
  evaluateOnce,
  pauseAutomation,
  type ScopeRuntime,
} from "../../../bots/server/work/index.js";
import { configOf, ev, observer, T0, testClock, testLog, testRuntime } from "./helpers.js";
import { createFakeStore } from "./fake-store.js";
import { label, storeFactories } from "./stores.js";

const HOOK = `automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/hook"}]
`;

const opened: ServerStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

for (const factory of storeFactories)
  describe.runIf(factory.available)(`evaluator on the ${label(factory)}`, () => {
    const open = async () => {
      const s = await factory.open();
      opened.push(s);
      return s;
    };
    const run = (store: ServerStore, runtime: ScopeRuntime, now: number, log = testLog(), extra = {}) =>
      evaluateOnce({ store, runtime, clock: { now: () => now }, log, ...extra });

    it("an event that fires an automation produces exactly one outbox row, and evaluating again changes nothing", async () => {
      const store = await open();
      const e = ev("job.run.done", T0);
      await store.ingest([{ event: e, scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({ server: configOf(HOOK) });
      const obs = observer();
      expect(await run(store, runtime, T0, testLog(), { observe: obs.observe })).toBe(1);
      expect(await run(store, runtime, T0 + 1)).toBe(0);
      // the same event ingested again is a duplicate: no new work
      await store.ingest([{ event: e, scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      expect(await run(store, runtime, T0 + 2)).toBe(0);
      expect(await store.outboxStats(T0 + 2)).toMatchObject({ pending: 1, dead: 0, done: 0 });
      const firings = await store.listFirings("server", null, 10);
      expect(firings).toHaveLength(1);
      expect(await store.getOutbox(`${firings[0]!.id}:0`)).toMatchObject({
        status: "pending",
        attempts: 0,
        scope: "server",
        maxAttempts: 4,
      });
      expect(obs.events).toEqual([{ type: "evaluated", scope: "server", events: 1, firings: 1, ms: expect.any(Number) }]);
      const names = (await store.listEvents({ limit: 50 })).events.map((s) => s.event.event);
      expect(names).toEqual(["job.run.done", "hookline.automation.triggered", "hookline.action.triggered"]);
    });

    it("a scope whose config is null consumes its events with its state unchanged", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["repo:octo/none"], origin: { kind: "api", name: "test" } }]);
      expect(await run(store, testRuntime({}), T0)).toBe(1);
      expect(await store.scopesWithWork(T0 + 1, 10)).toEqual([]);
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 0 });
      expect((await store.scopeState("repo:octo/none"))?.nextDeadline ?? null).toBeNull();
    });

    it("a config load failure is logged with the scope; the events stay pending and are evaluated once it loads", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["repo:octo/repo"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({ "repo:octo/repo": Object.assign(new Error("installation token refused"), { code: "GITHUB_DOWN" }) });
      const log = testLog();
      expect(await run(store, runtime, T0, log)).toBe(0);
      expect(log.entries).toEqual([
        expect.objectContaining({
          level: "warn",
          obj: { scope: "repo:octo/repo", err: { code: "GITHUB_DOWN", message: "installation token refused" } },
        }),
      ]);
      expect(await store.scopesWithWork(T0, 10)).toEqual(["repo:octo/repo"]);
      runtime.configs.set("repo:octo/repo", configOf(HOOK));
      expect(await run(store, runtime, T0 + 1000)).toBe(1);
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 1 });
    });

    it("a scope whose config keeps failing is tried again after a pause that doubles (5 s, 10 s, … up to 5 min), not on every pass", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["repo:octo/repo"], origin: { kind: "api", name: "test" } }]);
      let loads = 0;
      const runtime: ScopeRuntime = {
        configOf: async () => {
          loads++;
          throw new Error("GitHub is down");
        },
        portsOf: async () => Promise.reject(new Error("unused")),
      };
      const configRetry = new Map<string, { at: number; failures: number }>();
      const log = testLog();
      const at = (ms: number) => run(store, runtime, ms, log, { configRetry });
      await at(T0);
      await at(T0 + CONFIG_RETRY_FIRST_MS - 1);
      expect(loads).toBe(1);
      await at(T0 + CONFIG_RETRY_FIRST_MS);
      expect(loads).toBe(2);
      await at(T0 + CONFIG_RETRY_FIRST_MS + 2 * CONFIG_RETRY_FIRST_MS - 1);
      expect(loads).toBe(2);
      await at(T0 + 3 * CONFIG_RETRY_FIRST_MS);
      expect(loads).toBe(3);
      expect(log.entries.map((e) => e.obj.retryInMs)).toEqual([5_000, 10_000, 20_000]);
      configRetry.set("repo:octo/repo", { failures: 20, at: 0 }); // after many failures: due now, the pause at its cap
      await at(T0 + 10 * 60_000);
      expect(log.entries.at(-1)!.obj.retryInMs).toBe(CONFIG_RETRY_MAX_MS);
      // once it loads, the pause is forgotten
      runtime.configOf = async () => configOf(HOOK);
      expect(await run(store, runtime, T0 + 10 * 60_000 + CONFIG_RETRY_MAX_MS, log, { configRetry })).toBe(1);
      expect(configRetry.size).toBe(0);
    });

    it("one failing scope does not stop the others", async () => {
      const store = await open();
      await store.ingest([
        { event: ev("job.run.done", T0), scopes: ["repo:octo/broken"], origin: { kind: "api", name: "test" } },
        { event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } },
      ]);
      const runtime = testRuntime({ "repo:octo/broken": new Error("no"), server: configOf(HOOK) });
      expect(await run(store, runtime, T0)).toBe(1);
      expect(await store.scopesWithWork(T0, 10)).toEqual(["repo:octo/broken"]);
    });

    it("a repository's firing events never reach the server scope: the operator's automations do not see them", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server", "repo:octo/repo"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({
        "repo:octo/repo": configOf(HOOK),
        server: configOf(`automations:
  - name: watch-repos
    trigger: {expect: [hookline.automation.triggered], match: {prefect.resource.name: on-done}}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/server"}]
`),
      });
      await run(store, runtime, T0);
      await run(store, runtime, T0 + 1);
      expect(await store.listFirings("server", null, 10)).toEqual([]);
      expect(await store.listFirings("repo:octo/repo", null, 10)).toHaveLength(1);
      expect(await store.outboxStats(T0 + 1)).toMatchObject({ pending: 1 });
      expect(await store.scopesWithWork(T0 + 1, 10)).toEqual([]);
    });

    it("automations of the same name in two scopes seeing one event queue two actions (distinct keys)", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server", "repo:octo/repo"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({ server: configOf(HOOK), "repo:octo/repo": configOf(HOOK) });
      expect(await run(store, runtime, T0)).toBe(2);
      const ids = [...(await store.listFirings("server", null, 5)), ...(await store.listFirings("repo:octo/repo", null, 5))].map(
        (f) => f.id,
      );
      expect(new Set(ids).size).toBe(2);
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 2 });
    });

    it("chained automations (one reacting to another's firing event) fire in the same evaluation", async () => {
      const store = await open();
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({
        server: configOf(`${HOOK}  - name: after-done
    trigger: {expect: [hookline.automation.triggered], match: {prefect.resource.name: on-done}}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/second"}]
`),
      });
      expect(await run(store, runtime, T0)).toBe(1);
      expect((await store.listFirings("server", null, 10)).map((f) => f.automation).sort()).toEqual(["after-done", "on-done"]);
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 2 });
      expect(await store.scopesWithWork(T0, 10)).toEqual([]);
    });

    it("a paused automation does not fire, and fires again once resumed", async () => {
      const store = await open();
      const runtime = testRuntime({ server: configOf(HOOK) });
      const actor = { "prefect.resource.id": "slack.user.U1" };
      await pauseAutomation(store, {
        scope: "server",
        automation: "on-done",
        paused: true,
        until: null,
        by: "slack:U1",
        actor,
        origin: { kind: "api", name: "test" },
        now: T0,
      });
      await store.ingest([{ event: ev("job.run.done", T0 + 1), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await run(store, runtime, T0 + 1);
      expect(await store.listFirings("server", null, 10)).toEqual([]);
      await pauseAutomation(store, {
        scope: "server",
        automation: "on-done",
        paused: false,
        until: null,
        by: "slack:U1",
        actor,
        origin: { kind: "api", name: "test" },
        now: T0 + 2,
      });
      await store.ingest([{ event: ev("job.run.done", T0 + 3), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await run(store, runtime, T0 + 3);
      await run(store, runtime, T0 + 4);
      expect((await store.listFirings("server", null, 10)).map((f) => f.automation)).toEqual(["on-done"]);
    });

    it("a pause with `until` no longer holds after that time", async () => {
      const store = await open();
      const runtime = testRuntime({ server: configOf(HOOK) });
      await pauseAutomation(store, {
        scope: "server",
        automation: "on-done",
        paused: true,
        until: T0 + 10_000,
        by: "api",
        actor: { "prefect.resource.id": "hookline.api.token" },
        origin: { kind: "api", name: "test" },
        now: T0,
      });
      await store.ingest([{ event: ev("job.run.done", T0 + 20_000), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await run(store, runtime, T0 + 20_000);
      await run(store, runtime, T0 + 20_001);
      expect(await store.listFirings("server", null, 10)).toHaveLength(1);
    });

    it("a proactive deadline makes the scope due with no new event, and it fires once", async () => {
      const store = await open();
      const runtime = testRuntime({
        server: configOf(`automations:
  - name: no-reconcile
    trigger: {posture: Proactive, after: [file.summary.done], expect: [file.reconcile.done], within: 30s}
    actions: [{type: call-webhook, url: "http://127.0.0.1:1/late"}]
`),
      });
      await store.ingest([{ event: ev("file.summary.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await run(store, runtime, T0);
      expect((await store.scopeState("server"))?.nextDeadline).toBe(T0 + 30_000);
      expect(await store.scopesWithWork(T0 + 29_999, 10)).toEqual([]);
      expect(await store.scopesWithWork(T0 + 30_000, 10)).toEqual(["server"]);
      expect(await run(store, runtime, T0 + 30_500)).toBe(1);
      expect(await run(store, runtime, T0 + 31_000)).toBe(0);
      expect(await store.listFirings("server", "no-reconcile", 10)).toHaveLength(1);
    });

    it("hands at most `limit` events to one evaluation; the rest stay pending for the next", async () => {
      const store = await open();
      await store.ingest(
        [0, 1, 2, 3, 4].map((i) => ({ event: ev("job.run.done", T0 + i), scopes: ["server"], origin: { kind: "api", name: "test" } })),
      );
      const runtime = testRuntime({ server: configOf(HOOK) });
      const obs = observer();
      await run(store, runtime, T0 + 10, testLog(), { limit: 2, observe: obs.observe });
      expect(obs.events).toMatchObject([{ events: 2 }]);
      expect(await store.scopesWithWork(T0 + 10, 10)).toEqual(["server"]);
      await run(store, runtime, T0 + 10, testLog(), { limit: 2 });
      await run(store, runtime, T0 + 10, testLog(), { limit: 2 });
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 5 });
    });

    it("two evaluators racing for one scope: only one evaluates it (the other is skipped, not an error)", async () => {
      const store = await open();
      const other = await factory.another(store);
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const runtime = testRuntime({ server: configOf(HOOK) });
      const log = testLog();
      const [a, b] = await Promise.all([
        evaluateOnce({ store, runtime, clock: testClock(), log }),
        evaluateOnce({ store: other, runtime, clock: testClock(), log }),
      ]);
      expect(a + b).toBe(1);
      expect(log.messages("error")).toEqual([]);
      expect(await store.outboxStats(T0)).toMatchObject({ pending: 1 });
    });
  });

describe("evaluator failure handling (fake store)", () => {
  it("a store failure while evaluating a scope is logged with the scope and the pass goes on", async () => {
    const store = createFakeStore();
    await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
    store.failNext("evaluateScope");
    const log = testLog();
    const runtime = testRuntime({ server: configOf(HOOK) });
    expect(await evaluateOnce({ store, runtime, clock: testClock(), log })).toBe(0);
    expect(log.entries).toEqual([expect.objectContaining({ level: "error", obj: expect.objectContaining({ scope: "server" }) })]);
    expect(await evaluateOnce({ store, runtime, clock: testClock(), log })).toBe(1);
  });
});
