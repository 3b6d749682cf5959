import { afterEach, describe, expect, it } from "vitest";
import { evaluateOnce, runOutboxOnce } from "../../../bots/server/work/index.js";
import { startServer, type TestServer } from "../../executors/helpers.js";
import { createFakeStore } from "./fake-store.js";
import { configOf, ev, T0, testClock, testLog, testRuntime } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("shutdown does not start claimed actions", () => {
  it("once stopping, the rest of a claimed batch is not attempted and is released for another instance at once", async () => {
    let stopping = false;
    server = await startServer(() => {
      stopping = true; // the stop arrives while the first attempt is in flight
      return { status: 200 };
    });
    const store = createFakeStore();
    const runtime = testRuntime({
      server: configOf(`automations:
  - name: on-done
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${server.url}"}]
`),
    });
    const clock = testClock(T0);
    await store.ingest(
      [1, 2, 3].map((i) => ({ event: ev("job.run.done", T0 + i), scopes: ["server"], origin: { kind: "api", name: "test" } })),
    );
    await evaluateOnce({ store, runtime, clock, log: testLog() });
    const claimed = await runOutboxOnce({
      store,
      runtime,
      instance: "a",
      clock,
      log: testLog(),
      concurrency: 1,
      lockMs: 3_600_000,
      stopping: () => stopping,
    });
    expect(claimed).toBe(3);
    expect(server.requests).toHaveLength(1);
    expect(await store.releaseClaims("a")).toBe(2);
    expect(await store.claimActions("b", clock.now(), 10, 60_000)).toHaveLength(2);
  });
});
