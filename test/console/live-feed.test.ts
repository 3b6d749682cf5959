/**
 * The live feed's two paths (bots/server/console/event-stream.ts): ingest pushes what this process stored after
 * commit, and a fallback poll finds what it did not store (other instances on the same database). Pinned here:
 * neither path loses an event nor sends one twice, and a burst arrives in storage sequence order.
 */
import { afterAll, describe, expect, it } from "vitest";
import { pgDatabase, PG_URL } from "../server/durability/harness.js";
import { boot, call, cleanupDirs, configDir, event, TEST_API_TOKEN, waitFor, type Booted } from "../server/http/helpers.js";
import { openFeed, type Feed } from "./helpers.js";

const bearer = { authorization: `Bearer ${TEST_API_TOKEN}` };
const feeds: Feed[] = [];
const servers: Booted[] = [];
const drops: (() => Promise<void>)[] = [];

afterAll(async () => {
  feeds.forEach((f) => f.close());
  for (const s of servers) await s.server.close();
  for (const d of drops) await d();
  cleanupDirs();
});

/** the `id:` (storage sequence) of every hookline message so far, in arrival order */
const seqs = (f: Feed) => [...f.text().matchAll(/^id: (\d+)\nevent: hookline$/gm)].map((m) => BigInt(m[1]!));

async function open(url: string, query = ""): Promise<Feed> {
  const f = await openFeed(`${url}/api/events/stream${query}`, bearer);
  feeds.push(f);
  expect(f.status).toBe(200);
  await waitFor("the feed to open", () => f.text().includes("live feed open"));
  return f;
}

const post = async (url: string, events: unknown[]) => expect((await call(`${url}/api/events`, { json: { events } })).status).toBe(202);

/** on PostgreSQL the poll (every 20 ms here) races the push; on PGlite every event is pushed and nothing polls */
async function burst(env: Record<string, string>) {
  const s = await boot({ configDir: configDir({ webhooks: "webhooks: []\n" }), env, options: { streams: { pollMs: 20 } } });
  servers.push(s);
  const feed = await open(s.url);
  const quiet = await open(s.url, "?name=acme.burst.odd");
  const batches = Array.from({ length: 20 }, (_, b) =>
    Array.from({ length: 25 }, (_, i) => event({ event: (b * 25 + i) % 2 ? "acme.burst.odd" : "acme.burst.even" })),
  );
  // 4 clients at once: group commit mixes their batches
  const lanes = [0, 1, 2, 3].map(async (lane) => {
    for (let b = lane; b < batches.length; b += 4) await post(s.url, batches[b]!);
  });
  await Promise.all(lanes);
  const all = batches.flat().map((e) => e.id);
  await waitFor("the whole burst on the feed", () => new Set(feed.events.map((e) => e.id)).size >= all.length);
  // one more event after a few polls: anything duplicated by the poll would have arrived before it
  const last = event({ event: "acme.burst.odd" });
  await new Promise((r) => setTimeout(r, 100));
  await post(s.url, [last]);
  await waitFor("the last event", () => feed.events.some((e) => e.id === last.id) && quiet.events.some((e) => e.id === last.id));

  const ids = feed.events.map((e) => e.id);
  expect(ids).toHaveLength(all.length + 1);
  expect(new Set(ids)).toEqual(new Set([...all, last.id]));
  const order = seqs(feed);
  expect(order).toHaveLength(ids.length);
  expect(order.every((q, i) => i === 0 || q > order[i - 1]!)).toBe(true);
  // the stored order: the page of the same events, oldest first, lists them as the feed did
  const stored: string[] = [];
  for (let after = ""; ;) {
    const page = (await call(`${s.url}/api/events?name=acme.burst.*&order=asc&limit=500${after}`)).json;
    stored.push(...(page.events as { id: string }[]).map((e) => e.id));
    if (!page.next) break;
    after = `&after=${encodeURIComponent(page.next as string)}`;
  }
  expect(ids).toEqual(stored);
  // the filtered feed: exactly the odd ones, once each, in the same order
  const odd = ids.filter((id) => [...batches.flat(), last].find((e) => e.id === id)!.event === "acme.burst.odd");
  expect(quiet.events.map((e) => e.id)).toEqual(odd);
}

describe("the live feed's push (and its fallback poll)", () => {
  it("a burst from concurrent clients arrives whole, in storage sequence order, each event once (PGlite: push only)", () => burst({}));
  it.runIf(!!PG_URL)(
    "a burst from concurrent clients arrives whole, in order, each event once (PostgreSQL: push and a fast poll racing)",
    async () => {
      const db = await pgDatabase();
      drops.push(db.drop);
      await burst({ DATABASE_URL: db.url });
    },
  );
});

describe("the live feed's views", () => {
  it("view=summary sends what a list shows (id, times, name, resource id) and the full feed the whole event; another view is a 400", async () => {
    const s = await boot({ configDir: configDir({ webhooks: "webhooks: []\n" }) });
    servers.push(s);
    const full = await open(s.url);
    const summary = await open(s.url, "?view=summary&name=acme.view.*");
    const e = event({
      event: "acme.view.shown",
      resource: { "prefect.resource.id": "acme.view.1", "acme.label": "x" },
      payload: { big: "y".repeat(5000) },
    });
    await post(s.url, [e]);
    await waitFor("both feeds", () => full.events.length === 1 && summary.events.length === 1);
    expect(summary.events[0]).toEqual({
      id: e.id,
      occurred: e.occurred,
      received: full.events[0]!.received,
      event: "acme.view.shown",
      resource: { "prefect.resource.id": "acme.view.1" },
    });
    expect(full.events[0]).toMatchObject({ id: e.id, payload: { big: "y".repeat(5000) }, resource: e.resource });
    const bad = await call(`${s.url}/api/events/stream?view=compact`);
    expect([bad.status, bad.json.error.message]).toEqual([400, 'view must be "full" or "summary" (got "compact")']);
  });
});

describe.runIf(!!PG_URL)("the live feed across instances on PostgreSQL", () => {
  it("an event stored by another instance reaches an open feed (the fallback poll), once; this instance's own events are not sent twice", async () => {
    const db = await pgDatabase();
    drops.push(db.drop);
    const dir = configDir({ webhooks: "webhooks: []\n" });
    const a = await boot({ configDir: dir, env: { DATABASE_URL: db.url }, options: { streams: { pollMs: 50 } } });
    servers.push(a);
    const b = await boot({ configDir: dir, env: { DATABASE_URL: db.url } });
    servers.push(b);
    const feed = await open(a.url, "?name=acme.scale.*");

    const fromB = event({ event: "acme.scale.elsewhere" });
    await post(b.url, [fromB]);
    await waitFor("the other instance's event on the feed", () => feed.events.some((e) => e.id === fromB.id));

    const fromA = event({ event: "acme.scale.here" });
    const fromB2 = event({ event: "acme.scale.elsewhere" });
    await post(a.url, [fromA]);
    await post(b.url, [fromB2]);
    await waitFor("both on the feed", () => feed.events.some((e) => e.id === fromB2.id) && feed.events.some((e) => e.id === fromA.id));
    // a few more polls: a duplicate of either would show up now
    const fromB3 = event({ event: "acme.scale.elsewhere" });
    await post(b.url, [fromB3]);
    await waitFor("a later event of the other instance", () => feed.events.some((e) => e.id === fromB3.id));

    expect(feed.events.map((e) => e.id)).toEqual([fromB.id, fromA.id, fromB2.id, fromB3.id]);
    expect(feed.events[1]).toMatchObject({ event: "acme.scale.here", received: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it("another instance writing between and during this one's pushes: every feed gets each event exactly once, none lost", async () => {
    const db = await pgDatabase();
    drops.push(db.drop);
    const dir = configDir({ webhooks: "webhooks: []\n" });
    // a fast poll races the pushes; the other instance's sequences split this one's into many runs (past MAX_RANGES)
    const a = await boot({ configDir: dir, env: { DATABASE_URL: db.url }, options: { streams: { pollMs: 20 } } });
    servers.push(a);
    const b = await boot({ configDir: dir, env: { DATABASE_URL: db.url } });
    servers.push(b);
    const all = await open(a.url);
    const again = await open(a.url);
    const fromB = await open(a.url, "?name=acme.mix.b");

    const sent: { id: string; event: string }[] = [];
    // 4 lanes of 20 rounds, each round posting to both at once: the two instances' transactions interleave and
    // commit out of sequence order among them (an event of one may commit after a later one of the other)
    const lanes = [0, 1, 2, 3].map(async () => {
      for (let round = 0; round < 20; round++) {
        const here = [event({ event: "acme.mix.a" }), event({ event: "acme.mix.a" })];
        const there = [event({ event: "acme.mix.b" })];
        sent.push(...here, ...there);
        await Promise.all([post(a.url, here), post(b.url, there)]);
      }
    });
    await Promise.all(lanes);
    const last = event({ event: "acme.mix.b" });
    await new Promise((r) => setTimeout(r, 100));
    await post(b.url, [last]);
    sent.push(last);
    for (const f of [all, again, fromB]) await waitFor("the last event on every feed", () => f.events.some((e) => e.id === last.id));

    const stored: string[] = [];
    for (let after = ""; ;) {
      const page = (await call(`${a.url}/api/events?name=acme.mix.*&order=asc&limit=500${after}`)).json;
      stored.push(...(page.events as { id: string }[]).map((e) => e.id));
      if (!page.next) break;
      after = `&after=${encodeURIComponent(page.next as string)}`;
    }
    expect(new Set(stored)).toEqual(new Set(sent.map((e) => e.id)));
    // each once: as many as stored, and all of them (a late commit of the other instance may arrive after a later
    // event: each flush is in storage order, the feed as a whole only where no writer committed late)
    for (const f of [all, again]) {
      expect(f.events).toHaveLength(stored.length);
      expect(new Set(f.events.map((e) => e.id))).toEqual(new Set(stored));
    }
    const bIds = stored.filter((id) => sent.find((e) => e.id === id)!.event === "acme.mix.b");
    expect(fromB.events).toHaveLength(bIds.length);
    expect(new Set(fromB.events.map((e) => e.id))).toEqual(new Set(bIds));
  });
});
