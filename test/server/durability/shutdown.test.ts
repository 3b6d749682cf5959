/**
 * Graceful shutdown (issue 4, item 5): SIGTERM to `hookline serve` while actions are executing against a slow
 * target: the attempts in flight finish and are recorded, the process exits 0 with its claims released, and a
 * new process on the same data runs every remaining action and none of the finished ones again. The real CLI
 * keeps the default 2-minute claim: an action left claimed by the stopped process would not run again within
 * this test, so the test also shows that nothing was left claimed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  cleanupDirs,
  configDir,
  killChildren,
  listAll,
  pgDatabase,
  PG_URL,
  postEvent,
  sleep,
  slowTarget,
  startChild,
  tempDir,
  waitFor,
} from "./harness.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const automations = (target: string) => `automations:
  - name: forward
    trigger:
      expect: test.shutdown.event
    actions:
      - type: call-webhook
        url: ${target}/hook
        timeout: 10s
`;

const shutdownEvent = (i: number) => ({
  id: randomUUID(),
  occurred: new Date().toISOString(),
  event: "test.shutdown.event",
  resource: { "prefect.resource.id": `test.shutdown.${i}` },
});

async function sigtermDuringActions(data: { dataDir?: string; databaseUrl?: string }) {
  const target = await slowTarget(1200);
  const dir = configDir({ automations: automations(target.url) });
  const first = await startChild({ bin: true, configDir: dir, ...data });
  // one batch: one evaluation queues eight actions, and the outbox claims them together
  expect(await postEvent(first.url, { events: Array.from({ length: 8 }, (_, i) => shutdownEvent(i)) })).toBe(202);
  await waitFor("actions in flight", () => target.hits.filter((h) => h.answeredAt === undefined).length >= 2);
  const termAt = Date.now();
  const inFlight = target.hits.filter((h) => h.answeredAt === undefined).map((h) => h.key);
  const exit = await first.stop();
  expect(exit.code).toBe(0);

  // the attempts in flight finished (answered, recorded as executed) before the process exited
  const logs = first.logs();
  const executed = new Set(logs.filter((l) => l.msg === "action executed").map((l) => String(l.action)));
  for (const key of inFlight) {
    expect(target.hits.find((h) => h.key === key)!.answeredAt).toBeDefined();
    expect(executed.has(key)).toBe(true);
  }
  const stopped = logs.find((l) => l.msg === "workers stopped, claims released");
  expect(stopped).toBeDefined();
  expect(logs.findIndex((l) => l.msg === "stopped")).toBeGreaterThan(logs.indexOf(stopped!));

  // a new process on the same data: the rest runs, nothing runs twice
  const second = await startChild({ bin: true, configDir: dir, ...data });
  try {
    expect(await postEvent(second.url, shutdownEvent(8))).toBe(202);
    let keys: string[] = [];
    await waitFor(
      "every firing's action executed",
      async () => {
        const firings = await listAll(second.url, "hookline.automation.triggered");
        keys = firings.map((f) => `${String(f.payload!.firing_id)}:0`);
        const counts = target.counts();
        return firings.length === 9 && keys.every((k) => counts.has(k));
      },
      40_000,
    );
    // past a poll interval: a second run of a finished action would show by now
    await sleep(1500);
    expect(target.hits.map((h) => h.key).sort()).toEqual([...keys].sort());
    expect(await listAll(second.url, "hookline.action.executed")).toHaveLength(9);
    // the actions the second process ran started after the first one was told to stop
    const byFirst = target.hits.filter((h) => executed.has(h.key));
    const bySecond = target.hits.filter((h) => !executed.has(h.key));
    expect(byFirst.length + bySecond.length).toBe(9);
    for (const h of bySecond) expect(h.at).toBeGreaterThan(termAt);
  } finally {
    expect((await second.stop()).code).toBe(0);
    await target.close();
  }
}

describe("SIGTERM during actions on the embedded database (PGlite data folder)", () => {
  it("in-flight actions finish before exit 0; the next process runs the rest and nothing twice", async () => {
    await sigtermDuringActions({ dataDir: tempDir("hookline-shutdown-data-") });
  });
});

describe.runIf(!!PG_URL)("SIGTERM during actions on PostgreSQL", () => {
  it("in-flight actions finish before exit 0; the next process runs the rest and nothing twice", async () => {
    const pgdb = await pgDatabase();
    try {
      await sigtermDuringActions({ databaseUrl: pgdb.url });
    } finally {
      await pgdb.drop();
    }
  });
});
