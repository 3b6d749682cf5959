/**
 * The live feed's fallback poll against a store whose commits the test controls (bots/server/console/event-stream.ts
 * over a FeedSource standing in for a shared PostgreSQL): what it reads (only the gaps between the sequences
 * handed out) and what no interleaving of push, poll and late commits may break: each event reaches a feed once,
 * and an event another writer commits after a later one was sent still arrives. The feed is a real HTTP response
 * on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEventStreams, type EventStreams, type FeedSource } from "../../bots/server/console/event-stream.js";
import type { SeqRange } from "../../bots/server/console/seq-ranges.js";
import type { StoredEvent } from "../../src/store/server-types.js";
import { waitFor } from "../server/durability/harness.js";
import { openFeed, type Feed } from "./helpers.js";

const stored = (seq: number): StoredEvent =>
  ({
    seq: String(seq),
    received: 0,
    event: {
      id: `e${seq}`,
      occurred: "2026-01-01T00:00:00.000Z",
      event: "acme.thing",
      resource: { "prefect.resource.id": "r" },
      related: [],
      payload: {},
    },
  }) as unknown as StoredEvent;

/** a store shared with another writer: `commit` makes a sequence visible; `reads` records each poll's ranges */
function sharedStore() {
  const committed = new Map<number, StoredEvent>();
  const reads: SeqRange[][] = [];
  const source: FeedSource = {
    shared: true,
    newestSeq: () => Promise.resolve("0"),
    eventsIn(ranges, limit) {
      reads.push(ranges.map((r) => ({ ...r })));
      const inside = (q: bigint) => ranges.some((r) => q >= r.lo && (r.hi === null || q <= r.hi));
      const hit = [...committed.keys()].sort((a, b) => a - b).filter((q) => inside(BigInt(q)));
      return Promise.resolve(hit.slice(0, limit).map((q) => committed.get(q)!));
    },
    matchingAfter: () => Promise.resolve({ events: [], next: null }),
  };
  return { source, reads, commit: (...seqs: number[]) => seqs.forEach((q) => committed.set(q, stored(q))) };
}

const silent = { info() {}, warn() {}, error() {}, debug() {} } as never;
let server: Server | null = null;
let streams: EventStreams | null = null;
let feed: Feed | null = null;
afterEach(async () => {
  feed?.close();
  streams?.closeAll();
  await new Promise((r) => (server ? server.close(r) : r(null)));
});

async function start(source: FeedSource): Promise<{ feed: Feed; streams: EventStreams }> {
  streams = createEventStreams({ source: () => source, log: silent, pollMs: 5 });
  const s = streams;
  server = createServer((_req, res) => void s.open(res, {}));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  feed = await openFeed(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {});
  await waitFor("the feed to open", () => feed!.text().includes("live feed open"));
  return { feed, streams: s };
}
const ids = (f: Feed) => f.events.map((e) => e.id);

describe("the fallback poll reads the gaps between what was handed out", () => {
  it("an event another writer commits after a later one was pushed and polled past still arrives, once", async () => {
    const store = sharedStore();
    const { feed, streams } = await start(store.source);
    // 2 and 3 are this process's (committed, pushed); 1 is another writer's, taken first but not committed yet
    store.commit(2, 3);
    streams.publish([stored(2), stored(3)]);
    await waitFor("the pushed events", () => ids(feed).length === 2);
    const polls = store.reads.length;
    await waitFor("a few polls past them", () => store.reads.length > polls + 3);
    store.commit(1);
    await waitFor("the late event", () => ids(feed).includes("e1"));
    // and later pushes and polls bring nothing twice
    store.commit(4);
    streams.publish([stored(4)]);
    await waitFor("the next one", () => ids(feed).includes("e4"));
    const after = store.reads.length;
    await waitFor("a few more polls", () => store.reads.length > after + 3);
    expect(ids(feed)).toEqual(["e2", "e3", "e1", "e4"]);
  });

  it("a poll never reads a pushed sequence back: with nothing foreign it reads the hole below the pushed run and the open end", async () => {
    const store = sharedStore();
    const { feed, streams } = await start(store.source);
    store.commit(2, 3, 4, 6, 7);
    streams.publish([stored(2), stored(3), stored(4), stored(6), stored(7)]);
    await waitFor("the pushed events", () => ids(feed).length === 5);
    const polls = store.reads.length;
    await waitFor("a poll after the push", () => store.reads.length > polls + 1);
    expect(store.reads.at(-1)).toEqual([
      { lo: 1n, hi: 1n },
      { lo: 5n, hi: 5n },
      { lo: 8n, hi: null },
    ]);
  });

  it("an event both found by the poll and pushed later by its writer's callback is sent once", async () => {
    const store = sharedStore();
    const { feed, streams } = await start(store.source);
    store.commit(1, 2);
    await waitFor("the poll to find them", () => ids(feed).length === 2);
    streams.publish([stored(2), stored(1)]);
    store.commit(3);
    await waitFor("the next one", () => ids(feed).includes("e3"));
    expect(ids(feed)).toEqual(["e1", "e2", "e3"]);
  });
});
