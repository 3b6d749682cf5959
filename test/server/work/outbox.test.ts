import { afterEach, describe, expect, it } from "vitest";
import { ACTION_CODES, RETRY_AFTER_CAP_MS } from "../../../src/executors/index.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import { evaluateOnce, runOutboxOnce, RUNTIME_UNAVAILABLE, type ScopeRuntime } from "../../../bots/server/work/index.js";
import { startServer, type Reply, type TestServer } from "../../executors/helpers.js";
import { configOf, ev, observer, T0, testClock, testLog, testRuntime, type TestRuntime } from "./helpers.js";
import { label, storeFactories } from "./stores.js";

const opened: ServerStore[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const s of opened.splice(0)) await s.close();
});

function hookYaml(url: string, extra = "max_retries: 3, retry_interval: 10"): string {
  return `automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${url}", method: POST, body: {event: "{{ event.event }}"}, ${extra}}]
`;
}

for (const factory of storeFactories)
  describe.runIf(factory.available)(`outbox worker on the ${label(factory)}`, () => {
    const open = async () => {
      const s = await factory.open();
      opened.push(s);
      return s;
    };
    /** a store with one queued action of `scope`, from one event through the evaluator */
    async function queued(replies: Reply[] | ((n: number) => Reply), extra?: string, scope = "server") {
      server = await startServer((_req, n) => (typeof replies === "function" ? replies(n) : (replies[n - 1] ?? { status: 200 })));
      const store = await open();
      const runtime = testRuntime({ [scope]: configOf(hookYaml(server.url, extra)) });
      await store.ingest([{ event: ev("job.run.done", T0), scopes: [scope], origin: { kind: "api", name: "test" } }]);
      expect(await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() })).toBe(1);
      const firing = (await store.listFirings(scope, null, 1))[0]!;
      return { store, runtime, id: `${firing.id}:0`, srv: server };
    }
    const once = (
      store: ServerStore,
      runtime: ScopeRuntime,
      now: number,
      o: { instance?: string; random?: number; log?: ReturnType<typeof testLog>; observe?: ReturnType<typeof observer>["observe"] } = {},
    ) => {
      const clock = testClock(now, o.random ?? 0.5);
      return runOutboxOnce({
        store,
        runtime,
        instance: o.instance ?? "a",
        clock,
        log: o.log ?? testLog(),
        lockMs: 60_000,
        ...(o.observe ? { observe: o.observe } : {}),
      });
    };
    const names = async (store: ServerStore) => (await store.listEvents({ limit: 100 })).events.map((s) => s.event.event);

    it("executes a queued action with exactly one request and records hookline.action.executed", async () => {
      const { store, runtime, id, srv } = await queued([{ status: 200 }]);
      const obs = observer();
      expect(await once(store, runtime, T0, { observe: obs.observe })).toBe(1);
      expect(srv.requests).toHaveLength(1);
      expect(srv.requests[0]!.headers["idempotency-key"]).toBe(id);
      expect(await store.getOutbox(id)).toMatchObject({ status: "done", attempts: 0 });
      expect(await once(store, runtime, T0 + 1)).toBe(0);
      expect(srv.requests).toHaveLength(1);
      expect(await names(store)).toContain("hookline.action.executed");
      expect(obs.events).toEqual([{ type: "action", status: "executed", actionType: "call-webhook", ms: expect.any(Number) }]);
    });

    it("a 503 then a 200: two requests, the retry scheduled by backoff with the injected jitter", async () => {
      const { store, runtime, id, srv } = await queued([{ status: 503 }, { status: 503 }, { status: 200 }]);
      // retry_interval 10 s, full jitter 0.25: 0.25 × 10 s after attempt 1, 0.25 × 20 s after attempt 2
      await once(store, runtime, T0, { random: 0.25 });
      expect(await store.getOutbox(id)).toMatchObject({ status: "pending", attempts: 1, lastError: { code: ACTION_CODES.http } });
      expect(await once(store, runtime, T0 + 2_499)).toBe(0);
      expect(await once(store, runtime, T0 + 2_500, { random: 0.25 })).toBe(1);
      expect(await once(store, runtime, T0 + 2_500 + 4_999)).toBe(0);
      expect(await once(store, runtime, T0 + 2_500 + 5_000)).toBe(1);
      expect(srv.requests).toHaveLength(3);
      expect(await store.getOutbox(id)).toMatchObject({ status: "done", attempts: 2 });
    });

    it(`Retry-After is honoured but capped at ${RETRY_AFTER_CAP_MS / 1000} s`, async () => {
      const { store, runtime, id, srv } = await queued([
        { status: 503, headers: { "retry-after": "3600" } },
        { status: 429, headers: { "retry-after": "2" } },
        { status: 200 },
      ]);
      await once(store, runtime, T0);
      expect(await once(store, runtime, T0 + RETRY_AFTER_CAP_MS - 1)).toBe(0);
      expect(await once(store, runtime, T0 + RETRY_AFTER_CAP_MS)).toBe(1);
      const t1 = T0 + RETRY_AFTER_CAP_MS;
      expect(await once(store, runtime, t1 + 1_999)).toBe(0);
      expect(await once(store, runtime, t1 + 2_000)).toBe(1);
      expect(srv.requests).toHaveLength(3);
      expect(await store.getOutbox(id)).toMatchObject({ status: "done" });
    });

    it("a 404 dead-letters at once with hookline.action.failed, queued for the repo scope only (never the server scope)", async () => {
      const { store, runtime, id, srv } = await queued([{ status: 404 }], undefined, "repo:octo/repo");
      const obs = observer();
      const log = testLog();
      await once(store, runtime, T0 + 7, { observe: obs.observe, log });
      expect(srv.requests).toHaveLength(1);
      expect(await store.getOutbox(id)).toMatchObject({ status: "dead", attempts: 1, lastError: { code: ACTION_CODES.notFound } });
      const failed = (await store.listEvents({ name: "hookline.action.failed", limit: 10 })).events;
      expect(failed).toHaveLength(1);
      expect(failed[0]!.event).toMatchObject({
        occurred: new Date(T0 + 7).toISOString(),
        payload: { idempotency_key: id, attempts: 1, code: ACTION_CODES.notFound },
      });
      expect(await store.scopesWithWork(T0 + 7, 10)).toEqual(["repo:octo/repo"]);
      expect(failed[0]!.event.related).toContainEqual(expect.objectContaining({ "prefect.resource.id": "hookline.origin.repo.octo/repo" }));
      expect(obs.events).toMatchObject([{ status: "dead" }]);
      expect(log.entries.filter((e) => e.level === "error")).toMatchObject([
        { obj: { scope: "repo:octo/repo", action: id, code: ACTION_CODES.notFound } },
      ]);
      expect(await store.outboxStats(T0 + 7)).toMatchObject({ pending: 0, dead: 1 });
    });

    it("the last of maxAttempts dead-letters: max_retries 1 gives two requests, then hookline.action.failed", async () => {
      const { store, runtime, id, srv } = await queued(() => ({ status: 500 }), "max_retries: 1, retry_interval: 1");
      await once(store, runtime, T0, { random: 1 });
      expect(await once(store, runtime, T0 + 1_000)).toBe(1);
      expect(await once(store, runtime, T0 + 100_000)).toBe(0);
      expect(srv.requests).toHaveLength(2);
      const row = await store.getOutbox(id);
      expect(row).toMatchObject({ status: "dead", attempts: 2 });
      expect(row!.lastError!.reason).toMatch(/gave up after 2 attempts/);
      const failed = (await store.listEvents({ name: "hookline.action.failed", limit: 10 })).events;
      expect(failed.map((s) => s.event.payload.attempts)).toEqual([2]);
    });

    it("an expired claim of a crashed instance is taken over and executed; the crashed instance's late result is refused", async () => {
      const { store, runtime, id, srv } = await queued([{ status: 200 }]);
      expect(await store.claimActions("crashed", T0, 10, 1_000)).toHaveLength(1);
      expect(await once(store, runtime, T0 + 999, { instance: "b" })).toBe(0);
      expect(await once(store, runtime, T0 + 1_000, { instance: "b" })).toBe(1);
      expect(srv.requests).toHaveLength(1);
      expect(await store.getOutbox(id)).toMatchObject({ status: "done" });
      expect(await store.completeAction(id, "crashed", T0 + 2_000, null, [])).toBe(false);
    });

    it("a claim lost during the attempt is logged and observed as lost, not an error", async () => {
      server = await startServer(() => ({ status: 200 }));
      const store = await open();
      const url = server.url;
      const base = testRuntime({ server: configOf(hookYaml(url)) });
      let stolen = false;
      // while instance a runs the attempt, its (short) claim expires and instance b takes the action
      const runtime: TestRuntime = {
        ...base,
        async portsOf(scope) {
          if (!stolen) {
            stolen = true;
            expect(await store.claimActions("b", T0 + 10, 10, 60_000)).toHaveLength(1);
          }
          return base.portsOf(scope);
        },
      };
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() });
      const log = testLog();
      const obs = observer();
      await runOutboxOnce({ store, runtime, instance: "a", clock: testClock(T0), log, observe: obs.observe, lockMs: 5 });
      expect(obs.events).toMatchObject([{ type: "action", status: "lost" }]);
      // a 5 ms claim is shorter than the action's 30 s timeout: said before the attempt
      expect(log.entries.filter((e) => e.level === "warn").map((e) => e.msg)).toEqual([
        expect.stringMatching(/timeout is not shorter than the claim/),
        expect.stringMatching(/claim lost/),
      ]);
      expect(log.messages("error")).toEqual([]);
    });

    it("emit-event: the emitted event is stored, marked with the repository as its origin and queued for that repository only", async () => {
      const store = await open();
      const runtime = testRuntime({
        "repo:octo/repo": configOf(`automations:
  - name: relay
    trigger: {expect: [job.run.done]}
    actions: [{type: emit-event, event: relay.job.seen, payload: {of: "{{ event.id }}"}}]
`),
      });
      const source = ev("job.run.done", T0);
      await store.ingest([{ event: source, scopes: ["repo:octo/repo"], origin: { kind: "api", name: "test" } }]);
      await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() });
      await once(store, runtime, T0 + 5);
      const emitted = (await store.listEvents({ name: "relay.job.seen", limit: 10 })).events;
      expect(emitted.map((s) => s.event.payload)).toEqual([{ of: source.id }]);
      expect(await store.scopesWithWork(T0 + 5, 10)).toEqual(["repo:octo/repo"]);
      expect(emitted[0]!.event.related).toContainEqual(
        expect.objectContaining({ "prefect.resource.id": "hookline.origin.repo.octo/repo", "prefect.resource.role": "origin" }),
      );
    });

    it("pause-automation goes through the store as a pause by the automation, with its event", async () => {
      const store = await open();
      const runtime = testRuntime({
        server: configOf(`automations:
  - name: brake
    trigger: {expect: [job.run.done]}
    actions: [{type: pause-automation, source: selected, automation: deploy}]
  - name: deploy
    trigger: {expect: [job.run.started]}
    actions: [{type: do-nothing}]
`),
      });
      await store.ingest([{ event: ev("job.run.done", T0), scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() });
      await once(store, runtime, T0 + 5);
      expect(await store.listPauses("server", T0 + 5)).toMatchObject([
        { scope: "server", automation: "deploy", paused: true, until: null, by: "automation:brake", at: T0 + 5 },
      ]);
      const paused = (await store.listEvents({ name: "hookline.automation.paused", limit: 10 })).events;
      expect(paused[0]!.event.related).toMatchObject([
        { "prefect.resource.id": "hookline.automation.brake", "prefect.resource.name": "brake", "prefect.resource.role": "actor" },
        { "prefect.resource.id": "hookline.origin.server", "prefect.resource.role": "origin" },
      ]);
    });

    it("when the runtime cannot give the scope's ports the attempt fails retryably with the reason", async () => {
      const { store, id, srv } = await queued([{ status: 200 }]);
      const down: ScopeRuntime = { configOf: async () => null, portsOf: async () => Promise.reject(new Error("installation suspended")) };
      await once(store, down, T0);
      expect(srv.requests).toHaveLength(0);
      const row = await store.getOutbox(id);
      expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: { code: RUNTIME_UNAVAILABLE } });
      expect(row!.lastError!.reason).toMatch(/installation suspended/);
    });
  });
