/**
 * Scale-out (issue 4, item 6), PostgreSQL only: a recorded stream of 300 events over 20 keys (reactive
 * thresholds per key, a two-action automation and a compound trigger; event times in the past, windows
 * unlimited, so no wall-clock deadline takes part) is sent in order, each request awaited, to three
 * `hookline serve` processes on one database, picked at random per event; the same stream goes to one process
 * on a fresh database. Both give exactly the firings and action executions of the pure evaluation of the
 * stream, each action executed once.
 */
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { loadAutomations } from "../../../src/automations/index.js";
import { validateEvent, type HooklineEvent } from "../../../src/events/index.js";
import { evaluationRound } from "../../../bots/server/work/index.js";
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
  waitFor,
  type Child,
} from "./harness.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const automations = (target: string) => `automations:
  - name: every-third-order
    trigger:
      expect: shop.order.placed
      match: { prefect.resource.id: "shop.order.*" }
      for_each: prefect.resource.id
      threshold: 3
    actions:
      - type: call-webhook
        url: ${target}/third
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }

  - name: refund
    trigger:
      expect: shop.order.refunded
      match: { prefect.resource.id: "shop.order.*" }
    actions:
      - type: call-webhook
        url: ${target}/refund/a
      - type: call-webhook
        url: ${target}/refund/b

  - name: placed-twice-and-refunded
    trigger:
      type: compound
      require: all
      triggers:
        - expect: shop.order.placed
          match: { prefect.resource.id: "shop.order.*" }
          for_each: prefect.resource.id
          threshold: 2
        - expect: shop.order.refunded
          match: { prefect.resource.id: "shop.order.*" }
    actions:
      - type: call-webhook
        url: ${target}/compound
`;

/** mulberry32: the recorded stream is the same on every run */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidOf(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const STREAM_SIZE = 300;
/** two hours ago, whole second: every event is in the past */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000;

function recordedStream() {
  const random = prng(4);
  return Array.from({ length: STREAM_SIZE }, (_, i) => {
    const key = Math.floor(random() * 20);
    return {
      id: uuidOf(`scale-out\n${i}`),
      occurred: new Date(BASE + i * 1000).toISOString(),
      event: random() < 0.8 ? "shop.order.placed" : "shop.order.refunded",
      resource: { "prefect.resource.id": `shop.order.${key}` },
      payload: { i },
    };
  });
}

/** the event as the server stores it (validateEvent fills the defaults) */
function asEvent(input: object): HooklineEvent {
  const r = validateEvent(input);
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.event;
}

async function runStream(
  instances: Child[],
  stream: ReturnType<typeof recordedStream>,
  target: Awaited<ReturnType<typeof slowTarget>>,
  expectedKeys: Set<string>,
  pick: () => number,
) {
  for (const event of stream) expect(await postEvent(instances[pick()]!.url, event)).toBe(202);
  const url = instances[0]!.url;
  await waitFor(
    "every expected action executed",
    async () => {
      const counts = target.counts();
      if ([...expectedKeys].some((k) => !counts.has(k))) return false;
      return (await listAll(url, "hookline.action.executed")).length >= expectedKeys.size;
    },
    45_000,
  );
  // two poll intervals of every instance: an action run twice would show up by now
  await sleep(2500);
  const firings = await listAll(url, "hookline.automation.triggered");
  return { firings: firings.map((f) => String(f.payload!.firing_id)).sort(), keys: target.hits.map((h) => h.key).sort() };
}

describe.runIf(!!PG_URL)("scale-out: three instances on one PostgreSQL", () => {
  it("a stream split at random across three instances gives the firings and executions of one instance, each action once", async () => {
    const stream = recordedStream();
    const split = await slowTarget(20);
    const single = await slowTarget(20);
    const splitDb = await pgDatabase();
    const singleDb = await pgDatabase();
    const started: Child[] = [];
    try {
      // the oracle: the pure evaluation round of the whole stream in one go
      const text = automations("http://target.invalid");
      const loaded = loadAutomations(text, "automations.yaml");
      expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
      const oracle = evaluationRound(
        { scope: "server", state: null, configVersion: null, paused: [], events: stream.map(asEvent) },
        { config: loaded.config!, version: "v" },
        Date.now(),
      ).result;
      const expectedFirings = oracle.firings
        .filter((f) => f.state === "Triggered")
        .map((f) => f.id)
        .sort();
      const expectedKeys = new Set(oracle.outbox.map((o) => o.id));
      // the stream exercises every automation and both actions of the two-action one
      expect(new Set(oracle.firings.map((f) => f.automation))).toEqual(
        new Set(["every-third-order", "refund", "placed-twice-and-refunded"]),
      );
      expect(oracle.outbox.some((o) => o.invocation.index === 1)).toBe(true);

      const three = await Promise.all(
        [0, 1, 2].map(() =>
          startChild({ bin: true, configDir: configDir({ automations: automations(split.url) }), databaseUrl: splitDb.url }),
        ),
      );
      started.push(...three);
      const random = prng(Date.now() % 100_000);
      const picks: number[] = [];
      const splitRun = await runStream(three, stream, split, expectedKeys, () => {
        const i = Math.floor(random() * 3);
        picks.push(i);
        return i;
      });
      expect(new Set(picks).size).toBe(3);

      const one = await startChild({
        bin: true,
        configDir: configDir({ automations: automations(single.url) }),
        databaseUrl: singleDb.url,
      });
      started.push(one);
      const singleRun = await runStream([one], stream, single, expectedKeys, () => 0);

      // the same firings and executions as one instance, and as the pure evaluation of the stream
      expect(singleRun.firings).toEqual(expectedFirings);
      expect(splitRun.firings).toEqual(singleRun.firings);
      expect(singleRun.keys).toEqual([...expectedKeys].sort());
      expect(splitRun.keys).toEqual(singleRun.keys);
      // no duplicate executions (sorted keys with no neighbour equal)
      expect(splitRun.keys.filter((k, i) => k === splitRun.keys[i - 1])).toEqual([]);

      // the outbox: one row per action, all done on the first attempt
      for (const db of [splitDb, singleDb]) {
        const rows = await db.query<{ id: string; status: string; attempts: number }>(
          "SELECT id, status, attempts FROM outbox ORDER BY id",
        );
        expect(rows.map((r) => r.id)).toEqual([...expectedKeys].sort());
        expect(rows.filter((r) => r.status !== "done" || Number(r.attempts) !== 0)).toEqual([]);
      }
      for (const c of started.splice(0)) expect((await c.stop()).code).toBe(0);
    } finally {
      for (const c of started) await c.stop();
      await split.close();
      await single.close();
      await splitDb.drop();
      await singleDb.drop();
    }
  });
});
