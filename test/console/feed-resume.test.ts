/**
 * The live feed loses nothing (bots/server/console/event-stream.ts): a reconnecting feed resumes after its
 * `Last-Event-ID` from the store (bounded: past the bound it is told to resync), a reader that falls behind is
 * cut instead of buffered without bound and loses nothing when it resumes, and the events the server's own
 * workers store (firings, action outcomes, pauses) are pushed after their commit like ingest's, not left to
 * the fallback poll (switched off here).
 */
import { request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { boot, call, cleanupDirs, configDir, event, fakeTarget, TEST_API_TOKEN, waitFor, type Booted } from "../server/http/helpers.js";
import { openFeed, type Feed } from "./helpers.js";

const bearer = { authorization: `Bearer ${TEST_API_TOKEN}` };
const feeds: Feed[] = [];
const servers: Booted[] = [];
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  feeds.forEach((f) => f.close());
  for (const s of servers) await s.server.close();
  for (const c of closers) await c();
  cleanupDirs();
});

/** no fallback poll within a test: what reaches a feed was pushed, or read by its resume */
const NO_POLL = 3_600_000;

async function start(options: Record<string, unknown> = {}, automations?: string): Promise<Booted> {
  const s = await boot({
    configDir: configDir({ webhooks: "webhooks: []\n", ...(automations ? { automations } : {}) }),
    options: { streams: { pollMs: NO_POLL, ...options } },
  });
  servers.push(s);
  return s;
}

async function open(url: string, headers: Record<string, string> = {}, query = ""): Promise<Feed> {
  const f = await openFeed(`${url}/api/events/stream${query}`, { ...bearer, ...headers });
  feeds.push(f);
  expect(f.status).toBe(200);
  await waitFor("the feed to open", () => f.text().includes("live feed open"));
  return f;
}

/** the `id:` of the last hookline message so far */
const lastId = (f: Feed) => [...f.text().matchAll(/^id: (\d+)\nevent: hookline$/gm)].at(-1)?.[1];
const post = async (url: string, events: unknown[]) => expect((await call(`${url}/api/events`, { json: { events } })).status).toBe(202);
const named = (name: string, n: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, () => event({ event: name, ...over }));

describe("Last-Event-ID: a reconnecting feed resumes after the last event it saw", () => {
  it("the events stored while it was away arrive first, once each and in storage order, then the live ones; its filter applies", async () => {
    const s = await start();
    const first = await open(s.url, {}, "?name=acme.resume.kept");
    const before = named("acme.resume.kept", 3);
    await post(s.url, before);
    await waitFor("the first events", () => first.events.length === 3);
    const last = lastId(first)!;
    first.close();

    const away = [...named("acme.resume.kept", 4), ...named("acme.resume.other", 2), ...named("acme.resume.kept", 1)];
    await post(s.url, away);
    const again = await open(s.url, { "last-event-id": last }, "?name=acme.resume.kept");
    const live = named("acme.resume.kept", 2);
    await post(s.url, live);
    const want = [...away.filter((e) => e.event === "acme.resume.kept"), ...live].map((e) => e.id);
    await waitFor("the missed and the live events", () => again.events.length >= want.length);
    await post(s.url, named("acme.resume.kept", 1)); // a duplicate of any would arrive before this one
    await waitFor("one more", () => again.events.length >= want.length + 1);
    expect(again.events.slice(0, want.length).map((e) => e.id)).toEqual(want);
    expect(again.events).toHaveLength(want.length + 1);
    expect(again.text()).not.toContain("event: resync");
  });

  it("more missed events than a resume sends (or an id that is no storage sequence) gives one `resync` message instead", async () => {
    const s = await start({ resumeMax: 5 });
    const first = await open(s.url);
    await post(s.url, named("acme.resync.one", 1));
    await waitFor("an event", () => first.events.length === 1);
    const last = lastId(first)!;
    first.close();
    await post(s.url, named("acme.resync.many", 6));

    const again = await open(s.url, { "last-event-id": last });
    await waitFor("the resync message", () => again.text().includes("event: resync\ndata: {}\n\n"));
    expect(again.events).toEqual([]);
    const after = named("acme.resync.live", 1);
    await post(s.url, after);
    await waitFor("the live event after it", () => again.events.length === 1);
    expect(again.events[0]!.id).toBe(after[0]!.id);

    const bogus = await open(s.url, { "last-event-id": "yesterday" });
    await waitFor("the resync message", () => bogus.text().includes("event: resync"));
  });
});

describe("backpressure: a reader that falls behind is cut, and resumes without a loss", () => {
  it("a feed that stops reading is disconnected past the bound (not buffered on); its resume from the last id it read has every event once", async () => {
    const s = await start({ maxBufferedBytes: 64 * 1024 });
    // a raw client that reads the opening, then stops reading (its socket fills, then the server's buffer)
    let raw = "";
    let ended = false;
    const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      const req = request(`${s.url}/api/events/stream`, { headers: bearer }, resolve);
      req.on("error", reject);
      req.end();
    });
    res.setEncoding("utf8");
    res.on("data", (c: string) => (raw += c));
    res.on("end", () => (ended = true));
    res.on("error", () => (ended = true));
    res.on("close", () => (ended = true));
    await waitFor("the opening", () => raw.includes("live feed open"));
    res.pause();

    // 8 MB of events: more than the loopback socket buffers and the 64 KiB bound together
    const big = "x".repeat(10_000);
    const all: string[] = [];
    for (let b = 0; b < 16; b++) {
      const batch = named("acme.slow.big", 50, { payload: { big } });
      all.push(...batch.map((e) => e.id));
      await post(s.url, batch);
    }
    await waitFor("the cut", () => s.logs.some((l) => String(l.msg).includes("fell behind")));
    res.resume();
    await waitFor("the connection to end", () => ended);
    const got = [...raw.matchAll(/^id: (\d+)\nevent: hookline\ndata: (.*)$/gm)].filter((m) => raw.includes(`${m[2]}\n\n`));
    expect(got.length).toBeLessThan(all.length);

    // none read whole: from the start (this server stored only these)
    const resumed = await open(s.url, { "last-event-id": got.at(-1)?.[1] ?? "0" });
    const missing = all.length - got.length;
    await waitFor("the rest from the store", () => resumed.events.length >= missing);
    const ids = [...got.map((m) => (JSON.parse(m[2]!) as { id: string }).id), ...resumed.events.map((e) => e.id)];
    expect(ids).toEqual(all);
  });
});

describe("every write of events is pushed, not only ingest's", () => {
  it("a firing's event, its action's outcome and a pause reach an open feed with the fallback poll off", async () => {
    const target = await fakeTarget(() => ({ status: 200, body: { ok: true } }));
    closers.push(() => target.close());
    const s = await start(
      {},
      `automations:
  - name: ship-orders
    trigger:
      type: event
      match: { prefect.resource.id: "acme.order.*" }
      expect: [acme.order.created]
    actions:
      - type: call-webhook
        url: ${target.url}/ship
`,
    );
    const feed = await open(s.url);
    const created = event({ event: "acme.order.created", resource: { "prefect.resource.id": "acme.order.7" } });
    await post(s.url, [created]);
    const names = () => feed.events.map((e) => e.event);
    await waitFor("the firing's and the action's events", () => names().includes("hookline.action.executed"));
    expect((await call(`${s.url}/api/automations/ship-orders/pause`, { method: "POST" })).status).toBe(200);
    await waitFor("the pause's event", () => names().includes("hookline.automation.paused"));
    expect(names()).toEqual([
      "acme.order.created",
      "hookline.automation.triggered",
      "hookline.action.triggered",
      "hookline.action.executed",
      "hookline.automation.paused",
    ]);
  });
});
