import { afterEach, describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { startWorkers, type Clock, type Workers } from "../../../bots/server/work/index.js";
import { startServer, type TestServer } from "../../executors/helpers.js";
import { createFakeStore } from "./fake-store.js";
import { configOf, ev, T0, testClock, testLog, testRuntime, until } from "./helpers.js";
import { label, storeFactories } from "./stores.js";

const opened: ServerStore[] = [];
const running: Workers[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop();
  await server?.close();
  server = undefined;
  for (const s of opened.splice(0)) await s.close();
});

const proactive = (url: string) =>
  configOf(`automations:
  - name: no-reconcile
    trigger: {posture: Proactive, after: [file.summary.done], expect: [file.reconcile.done], within: 30s}
    actions: [{type: call-webhook, url: "${url}", method: POST, body: {late: "{{ firing.at }}"}}]
`);

function start(opts: Parameters<typeof startWorkers>[0]): Workers {
  const w = startWorkers(opts);
  running.push(w);
  return w;
}

for (const factory of storeFactories)
  describe.runIf(factory.available)(`worker loops on the ${label(factory)}`, () => {
    const open = async () => {
      const s = await factory.open();
      opened.push(s);
      return s;
    };

    it("a proactive automation fires at its deadline from the loop with no new event, exactly once across two instances", async () => {
      server = await startServer(() => ({ status: 200 }));
      const store = await open();
      const runtime = testRuntime({ server: proactive(server.url) });
      await store.ingest([{ event: ev("file.summary.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const clock = testClock(T0);
      const log = testLog();
      // virtual time: every sleep moves the shared clock; claims long enough that no attempt outlives its claim
      const common = { runtime, clock, log, pollMs: 5_000, lockMs: 3_600_000 };
      const a = start({ ...common, store, instance: "a" });
      const b = start({ ...common, store: await factory.another(store), instance: "b" });
      await until(async () => (await store.outboxStats(clock.now())).done === 1, "the proactive action executed");
      const atDone = clock.now();
      await until(() => clock.now() >= atDone + 60_000, "another minute of virtual time");
      await Promise.all([a.stop(), b.stop()]);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.json).toEqual({ late: new Date(T0 + 30_000).toISOString() });
      expect(await store.listFirings("server", null, 10)).toHaveLength(1);
      expect(await store.outboxStats(clock.now())).toMatchObject({ pending: 0, done: 1, dead: 0 });
      expect(log.messages("error")).toEqual([]);
    });

    it("an ingested event is evaluated and its action executed by the loops once woken", async () => {
      server = await startServer(() => ({ status: 200 }));
      const store = await open();
      const runtime = testRuntime({
        server: configOf(`automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${server.url}"}]
`),
      });
      // a clock whose sleeps never end: only wake() can move the loops after their first pass
      const clock: Clock = { now: () => T0, sleep: () => new Promise<void>(() => {}), random: () => 0.5 };
      const w = start({ store, runtime, clock, log: testLog(), instance: "a" });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      w.wake();
      await until(() => server!.requests.length === 1, "the webhook called");
      await w.stop();
      expect(await store.outboxStats(T0)).toMatchObject({ done: 1 });
    });

    it("wake() after an ingest runs the evaluator only: the outbox worker looks for actions when an evaluation queued some", async () => {
      const store = await open();
      let claims = 0;
      const counting: ServerStore = { ...store, claimActions: (...args) => (claims++, store.claimActions(...args)) };
      const runtime = testRuntime({ server: configOf(`automations:\n  - name: quiet\n    trigger: {expect: [job.run.done]}\n`) });
      const clock: Clock = { now: () => T0, sleep: () => new Promise<void>(() => {}), random: () => 0.5 };
      const w = start({ store: counting, runtime, clock, log: testLog(), instance: "a" });
      await until(() => claims === 1, "the first pass of the outbox worker");
      for (let i = 0; i < 5; i++) {
        await store.ingest([{ event: ev("job.run.done", T0 + i), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
        w.wake();
      }
      await until(async () => (await store.scopesWithWork(T0, 10)).length === 0, "the events evaluated");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(claims).toBe(1);
      await w.stop();
    });

    it("stop() lets the attempt in flight finish, then releases the instance's other claims", async () => {
      let answer: (() => void) | null = null;
      const received = new Promise<void>((resolve) => (answer = resolve));
      server = await startServer(() => {
        answer?.();
        return { status: 200 };
      });
      const store = await open();
      const runtime = testRuntime({
        server: configOf(`automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${server.url}"}]
  - name: on-other
    trigger: {expect: [job.run.other]}
    actions: [{type: call-webhook, url: "${server.url}"}]
`),
      });
      // a claim this instance's name holds from before (e.g. a pass cut short): released at stop
      await store.ingest([{ event: ev("job.run.other", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const clock = testClock(T0);
      const common = { store, runtime, clock, log: testLog(), pollMs: 1_000, lockMs: 3_600_000 };
      const { evaluateOnce } = await import("../../../bots/server/work/index.js");
      await evaluateOnce({ store, runtime, clock, log: testLog() });
      expect(await store.claimActions("a", T0, 10, 3_600_000)).toHaveLength(1);
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const w = start({ ...common, instance: "a" });
      await received;
      await w.stop();
      const stats = await store.outboxStats(clock.now());
      expect(stats).toMatchObject({ done: 1, pending: 1 });
      // the other row is claimable again at once, by another instance
      expect(await store.claimActions("b", clock.now(), 10, 1_000)).toHaveLength(1);
    });
  });

describe("worker loops: failures (fake store)", () => {
  it("a failing store is logged and retried after a pause; the loops never throw and recover", async () => {
    server = await startServer(() => ({ status: 200 }));
    const store = createFakeStore();
    const runtime = testRuntime({
      server: configOf(`automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${server.url}"}]
`),
    });
    await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
    store.failNext("scopesWithWork", 3);
    store.failNext("claimActions", 2);
    const log = testLog();
    const w = start({ store, runtime, clock: testClock(T0), log, instance: "a", pollMs: 100 });
    await until(() => server!.requests.length === 1, "the webhook called after the store recovered");
    await w.stop();
    const errors = log.entries.filter((e) => e.level === "error");
    expect(errors.filter((e) => e.obj.loop === "evaluator").map((e) => e.obj.backoffMs)).toEqual([100, 200, 400]);
    expect(errors.filter((e) => e.obj.loop === "outbox")).toHaveLength(2);
  });

  it("stop() twice is one stop; a failing releaseClaims is logged, not thrown", async () => {
    const store = createFakeStore();
    store.failNext("releaseClaims");
    const log = testLog();
    const w = startWorkers({ store, runtime: testRuntime(), clock: testClock(T0), log, instance: "a" });
    await Promise.all([w.stop(), w.stop()]);
    expect(log.entries.filter((e) => e.level === "error").map((e) => e.msg)).toEqual([
      expect.stringMatching(/claims could not be released/),
    ]);
  });
});

describe("retention loop", () => {
  it("prunes rows older than the retention period in batches until none is left, and logs what it deleted", async () => {
    const DAY = 86_400_000;
    let receivedAt = T0 - 2 * DAY;
    const store = createFakeStore({ clock: () => receivedAt });
    opened.push(store);
    await store.ingest(
      [1, 2, 3, 4, 5].map((i) => ({ event: ev("file.summary.done", T0 + i), scopes: [], origin: { kind: "api", name: "test" } })),
    );
    receivedAt = T0;
    const recent = ev("file.summary.done", T0 + 10);
    await store.ingest([{ event: recent, scopes: [], origin: { kind: "api", name: "test" } }]);
    const log = testLog();
    start({
      store,
      runtime: testRuntime({}),
      instance: "a",
      clock: testClock(T0),
      log,
      pollMs: 5_000,
      retention: { keepMs: DAY, batch: 2 },
    });
    await until(() => store.events.length === 1, "the five old events pruned");
    expect(store.events.map((e) => e.event.id)).toEqual([recent.id]);
    expect(log.messages("info").filter((m) => m === "retention: old rows deleted")).toHaveLength(3);
  });

  it("without a retention period nothing is pruned", async () => {
    const store = createFakeStore({ clock: () => 0 });
    opened.push(store);
    await store.ingest([{ event: ev("file.summary.done", T0), scopes: [], origin: { kind: "api", name: "test" } }]);
    const clock = testClock(T0);
    start({ store, runtime: testRuntime({}), instance: "a", clock, log: testLog(), pollMs: 5_000 });
    await until(() => clock.now() > T0 + 60_000, "a minute of virtual time");
    expect(store.events).toHaveLength(1);
  });
});
