import { describe, expect, it } from "vitest";
import { createIngest } from "../../bots/server/ingest.js";
import type { ServerMetrics } from "../../bots/server/metrics.js";
import type { IngestItem, IngestResult } from "../../src/store/server-types.js";

const item = (id: string): IngestItem => ({
  event: {
    id,
    event: "x.y",
    occurred: "2026-01-01T00:00:00Z",
    resource: { "prefect.resource.id": "r" },
    related: [],
    payload: {},
    follows: null,
  } as never,
  scopes: ["server"],
  origin: { kind: "api", name: "test" },
});

function setup() {
  const seen = new Set<string>();
  let wakes = 0;
  const store = {
    async ingest(items: IngestItem[]): Promise<IngestResult> {
      const r: IngestResult = { inserted: [], duplicates: [] };
      for (const i of items) {
        (seen.has(i.event.id) ? r.duplicates : r.inserted).push(i.event.id);
        seen.add(i.event.id);
      }
      return r;
    },
  };
  const metrics = { ingested() {} } as unknown as ServerMetrics;
  const log = { info() {}, warn() {}, error() {}, debug() {} };
  const ingest = createIngest({ store, metrics, log, wake: () => wakes++ });
  return { ingest, wakes: () => wakes };
}

const turn = () => new Promise((r) => setImmediate(r));

describe("the coalesced wake of ingest (the GitHub App wakes the workers through it)", () => {
  it("many wakes in one turn of the event loop wake the workers once", async () => {
    const { ingest, wakes } = setup();
    for (let i = 0; i < 5; i++) ingest.wake();
    expect(wakes()).toBe(0);
    await turn();
    expect(wakes()).toBe(1);
    ingest.wake();
    await turn();
    expect(wakes()).toBe(2);
  });

  it("a batch of deliveries whose callers each wake after their ingest wakes the workers once", async () => {
    const { ingest, wakes } = setup();
    await Promise.all(
      ["a", "b", "c"].map(async (id) => {
        const r = await ingest([item(id)], "github");
        if (r.inserted.length > 0) ingest.wake(); // what the App does after each stored delivery
      }),
    );
    await turn();
    expect(wakes()).toBe(1);
  });

  it("a redelivery (nothing inserted) does not wake the workers", async () => {
    const { ingest, wakes } = setup();
    await ingest([item("a")], "github");
    await turn();
    const before = wakes();
    await ingest([item("a")], "github");
    await turn();
    expect(wakes()).toBe(before);
  });
});
