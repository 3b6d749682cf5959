/**
 * The what-if runner (src/adapters/what-if/what-if-runner.ts): reads the store in keyset pages, keeps the scope's
 * events, replays them in a worker thread, and stays bounded: `maxEvents` (truncated), `concurrency` (busy, with
 * a Retry-After) and a deadline that ends the thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createWhatIfRunner, WhatIfError, type WhatIfRunner, type WhatIfRunnerOptions } from "../../src/adapters/what-if/what-if-runner.js";
import { loadAutomations } from "../../src/automations/index.js";
import { originResource } from "../../src/events/origin.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { NO_ROUTES } from "../../src/scopes/replay-scope.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "../../bench/what-if/fixture.mjs";
import { TS_WORKER_EXEC_ARGV } from "../support/ts-worker.js";
import { pagedStore } from "../support/what-if-store.js";

const SINCE = Date.UTC(2026, 0, 5);
const config = (y: string) => loadAutomations(y, "a.yaml").config!;

/** events of the API (server scope) and of a repository's GitHub deliveries, interleaved */
function history(n: number): HooklineEvent[] {
  return (fixtureEvents(n, SINCE) as HooklineEvent[]).map((e, i) => ({
    ...e,
    related: [originResource(i % 2 === 0 ? { kind: "api", name: "default" } : { kind: "repo", name: "acme/api" })],
  }));
}

const fakeStore = pagedStore;

const runners: WhatIfRunner[] = [];
function runner(store: ReturnType<typeof fakeStore>, o: WhatIfRunnerOptions = {}) {
  const r = createWhatIfRunner(store, { execArgv: TS_WORKER_EXEC_ARGV, ...o });
  runners.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});

const job = (o: Partial<Parameters<WhatIfRunner["run"]>[0]> = {}) => ({
  scope: "server",
  sinceMs: SINCE,
  untilMs: SINCE + 7 * 86_400_000,
  live: config(LIVE_AUTOMATIONS),
  proposed: config(PROPOSED_AUTOMATIONS),
  routes: NO_ROUTES,
  ...o,
});

describe("what-if runner", () => {
  it("finds the range's first and last stored events, then reads the store in keyset pages between them, and replays only the scope's events", async () => {
    const store = fakeStore(history(1200));
    const r = await runner(store, { pageSize: 500 }).run(job());
    expect(store.queries).toEqual([
      { limit: 1, since: SINCE, until: SINCE + 7 * 86_400_000 },
      { limit: 1, since: SINCE, until: SINCE + 7 * 86_400_000, order: "desc" },
      { replayAfter: "0", limit: 500 },
      { replayAfter: "500", limit: 500 },
      { replayAfter: "1000", limit: 500 },
    ]);
    expect([r.scanned, r.events, r.truncated]).toEqual([1200, 600, false]);
    const repo = await runner(fakeStore(history(1200))).run(job({ scope: "repo:acme/api" }));
    expect(repo.events).toBe(600);
  });

  it("the routes cross to the replay's thread as data: a webhook's events are replayed in the scopes configured for it", async () => {
    const events = history(400).map((e, i) => (i % 4 === 0 ? { ...e, related: [originResource({ kind: "webhook", name: "ci" })] } : e));
    const routes = { webhooks: new Map([["ci", ["repo:acme/api"]]]), databases: new Map() };
    expect((await runner(fakeStore(events)).run(job({ routes }))).events).toBe(100); // 200 api events, 100 of them now the webhook's
    expect((await runner(fakeStore(events)).run(job({ scope: "repo:acme/api", routes }))).events).toBe(300);
    expect((await runner(fakeStore(events)).run(job({ scope: "repo:acme/api" }))).events).toBe(200);
  });

  it("keeps to the range: events before `since` or at or past `until` are not replayed, and the read ends at the range's last stored event", async () => {
    const events = history(1200);
    const since = Date.parse(events[100]!.occurred);
    const until = Date.parse(events[300]!.occurred);
    const store = fakeStore(events);
    const r = await runner(store, { pageSize: 100 }).run(job({ sinceMs: since, untilMs: until }));
    expect(r.events).toBe(100); // 200 in the range, every other one the server's
    expect(r.first_event).toBe(new Date(since).toISOString());
    // the two range queries, then the pages from event 101 to the one ending with the range's last (300), none after
    expect(store.queries.slice(2)).toEqual([
      { replayAfter: "100", limit: 100 },
      { replayAfter: "200", limit: 100 },
    ]);
  });

  it("an event of the range stored after whole pages of later events (a late delivery) is replayed, as simulate replays it", async () => {
    const events = history(1000);
    const until = Date.parse(events[300]!.occurred);
    // stored last, long after the range: a redelivered event of the range
    const late = { ...events[250]!, id: "late-delivery", related: events[0]!.related };
    const store = fakeStore([...events, late]);
    const r = await runner(store, { pageSize: 100 }).run(job({ sinceMs: SINCE, untilMs: until }));
    expect(r.events).toBe(151); // 150 of the server's in the range, and the late one
    expect(store.queries.at(-1)).toEqual({ replayAfter: "1000", limit: 100 });
  });

  it("stops at maxEvents: the answer says truncated and where the replay ended", async () => {
    const events = history(1000);
    const r = await runner(fakeStore(events), { maxEvents: 100, pageSize: 50 }).run(job());
    expect([r.events, r.truncated]).toEqual([100, true]);
    // the 100th event of the server scope is the 199th stored (every other one is the repository's)
    expect(r.replayed_until).toBe(new Date(Date.parse(events[198]!.occurred)).toISOString());
  });

  it("runs at most `concurrency` replays at once: the next is refused as busy, with a Retry-After", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const rn = runner(fakeStore(history(10), gate), { concurrency: 1 });
    const first = rn.run(job());
    const second = await rn.run(job()).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(WhatIfError);
    expect((second as WhatIfError).code).toBe("HOOKLINE_WHAT_IF_BUSY");
    expect((second as WhatIfError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    open();
    expect((await first).events).toBe(5);
    expect(rn.stats().running).toBe(0);
  });

  it("a replay past its deadline is stopped and fails with HOOKLINE_WHAT_IF_TIMEOUT", async () => {
    const rn = runner(fakeStore(history(10), new Promise<void>(() => undefined)), { deadlineMs: 200 });
    const err = await rn.run(job()).catch((e: unknown) => e);
    expect((err as WhatIfError).code).toBe("HOOKLINE_WHAT_IF_TIMEOUT");
    expect(rn.stats()).toMatchObject({ running: 0, timedOut: 1 });
  });

  it("close() stops a running replay: it fails with HOOKLINE_WHAT_IF_CLOSED, and close() itself returns", async () => {
    const rn = runner(fakeStore(history(10), new Promise<void>(() => undefined)), { deadlineMs: 120_000 });
    const running = rn.run(job()).catch((e: unknown) => e);
    await expect.poll(() => rn.stats().running).toBe(1);
    await rn.close();
    expect(((await running) as WhatIfError).code).toBe("HOOKLINE_WHAT_IF_CLOSED");
    expect(rn.stats().running).toBe(0);
  });
});
