/**
 * kill -9 (issue 4, item 5): events are sent while actions run against a slow target; the server is SIGKILLed
 * at a random moment with actions in flight; a new server on the same data (PGlite data folder, PostgreSQL)
 * loses no acknowledged event, runs every firing's action at least once (twice only for the attempts that
 * were in flight at the kill, once their claims expired), and dead-letters nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACTION_CONCURRENCY } from "../../../bots/server/work/index.js";
import { createSqlStore, migrate } from "../../../src/store/sql/index.js";
import { openDatabase } from "../../../src/adapters/index.js";
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
  type ApiEvent,
} from "./harness.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

/** the claim of the killed instance: longer than the action's timeout (2 s), short enough for the test */
const LOCK_MS = 2500;

const automations = (target: string) => `automations:
  - name: forward
    trigger:
      expect: test.crash.event
      match: { prefect.resource.id: "test.crash.*" }
    actions:
      - type: call-webhook
        url: ${target}/hook
        timeout: 2s
        max_retries: 5
        retry_interval: 1s
        body: { event_id: "{{ event.id }}" }
`;

const crashEvent = (i: number) => ({
  id: randomUUID(),
  occurred: new Date().toISOString(),
  event: "test.crash.event",
  resource: { "prefect.resource.id": `test.crash.${i}` },
});

async function crashAndRecover(data: { dataDir?: string; databaseUrl?: string }, outbox: () => Promise<{ id: string; status: string }[]>) {
  const target = await slowTarget(250);
  const dir = configDir({ automations: automations(target.url) });
  const first = await startChild({ configDir: dir, ...data, lockMs: LOCK_MS, pollMs: 100 });

  // send events (each awaited) until the server dies; kill it once a random number of actions reached the
  // target and one of them is still waiting for its answer
  const acked: string[] = [];
  const sent: string[] = [];
  let dead = false;
  const sender = (async () => {
    for (let i = 0; i < 200 && !dead; i++) {
      const e = crashEvent(i);
      sent.push(e.id);
      try {
        if ((await postEvent(first.url, e)) === 202) acked.push(e.id);
      } catch {
        /* the server was killed mid-request: not acknowledged */
      }
      await sleep(15);
    }
  })();
  const killAfter = 3 + Math.floor(Math.random() * 8);
  await waitFor("actions in flight", () => target.hits.length >= killAfter && target.hits.some((h) => h.answeredAt === undefined));
  await sleep(Math.floor(Math.random() * 100));
  const killAt = Date.now();
  const inFlight = target.hits.filter((h) => h.answeredAt === undefined).length;
  await first.crash();
  dead = true;
  await sender;
  expect(acked.length).toBeGreaterThan(0);

  const second = await startChild({ configDir: dir, ...data, lockMs: LOCK_MS, pollMs: 100 });
  try {
    // everything settles: one firing per stored event, and an outcome for each firing's action
    const stored = await listAll(second.url, "test.crash.*");
    let firings: ApiEvent[] = [];
    await waitFor(
      "every firing's action executed",
      async () => {
        firings = await listAll(second.url, "hookline.automation.triggered");
        const outcomes = await listAll(second.url, "hookline.action.*");
        const finished = outcomes.filter((e) => e.event !== "hookline.action.triggered");
        return firings.length === stored.length && finished.length === firings.length;
      },
      40_000,
    );

    // every acknowledged event is there, once; nothing that was not sent
    const storedIds = stored.map((e) => e.id);
    expect(new Set(storedIds).size).toBe(storedIds.length);
    expect(storedIds.filter((id) => !sent.includes(id))).toEqual([]);
    expect(acked.filter((id) => !storedIds.includes(id))).toEqual([]);

    // one firing per stored event; each firing's action reached the target
    expect(firings.map((f) => f.payload!.triggering_event_id).sort()).toEqual([...storedIds].sort());
    const keys = firings.map((f) => `${String(f.payload!.firing_id)}:0`);
    const counts = target.counts();
    expect(keys.filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !keys.includes(k))).toEqual([]);

    // duplicates only for attempts in flight at the kill: requested before it, once more after the restart
    const dups = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    for (const key of dups) {
      const hits = target.hits.filter((h) => h.key === key);
      expect(hits).toHaveLength(2);
      expect(hits[0]!.at).toBeLessThanOrEqual(killAt);
      expect(hits[1]!.at).toBeGreaterThan(killAt);
    }
    expect(dups.length).toBeLessThanOrEqual(Math.max(inFlight, DEFAULT_ACTION_CONCURRENCY));

    // nothing dead-lettered, every outcome an execution
    expect(await listAll(second.url, "hookline.action.failed")).toEqual([]);
    expect(await listAll(second.url, "hookline.action.executed")).toHaveLength(firings.length);
  } finally {
    expect((await second.stop()).code).toBe(0);
    await target.close();
  }
  // the outbox, read from the database once the server is gone: every row done
  const rows = await outbox();
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => r.status !== "done")).toEqual([]);
}

describe("kill -9 on the embedded database (PGlite data folder)", () => {
  it("loses no acknowledged event; every firing's action runs, twice only if in flight at the kill; nothing dead-lettered", async () => {
    const dataDir = tempDir("hookline-crash-data-");
    await crashAndRecover({ dataDir }, async () => {
      const db = await openDatabase({ dataDir });
      try {
        await migrate(db);
        const { rows } = await db.query<{ id: string; status: string }>("SELECT id, status FROM outbox");
        return rows;
      } finally {
        await createSqlStore(db).close();
      }
    });
  });
});

describe.runIf(!!PG_URL)("kill -9 on PostgreSQL", () => {
  it("loses no acknowledged event; every firing's action runs, twice only if in flight at the kill; nothing dead-lettered", async () => {
    const pgdb = await pgDatabase();
    try {
      await crashAndRecover({ databaseUrl: pgdb.url }, () => pgdb.query<{ id: string; status: string }>("SELECT id, status FROM outbox"));
    } finally {
      await pgdb.drop();
    }
  });
});
