/**
 * An ingest item may carry its event's JSON text (`json`, exactly `JSON.stringify(event)`, e.g. the text the GitHub
 * translation made for the size limit): it is stored as it is, with the same result as serializing the event.
 */
import { describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import type { IngestItem } from "../../../src/store/server-types.js";
import { ev, FACTORIES, label, queuedIds, useStore, type TestDb } from "./helpers.js";

describe.each(FACTORIES)("ingest with the events' JSON text on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    it("an item's json is stored as the event's body: the event reads back equal, indexed from the event", async () => {
      const e = { ...ev(1), payload: { text: 'a\u0000b "q" \\ é', list: [1, { x: null }] } };
      const withJson: IngestItem = {
        event: e,
        scopes: ["server", "repo:o/r"],
        origin: { kind: "api", name: "test" },
        json: JSON.stringify(e),
      };
      const plain = { ...ev(2), payload: { n: 2 } };
      const r = await store.ingest([withJson, { event: plain, scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      expect(r).toEqual({ inserted: [e.id, plain.id], duplicates: [] });
      const page = await store.listEvents({ limit: 10, order: "asc" });
      expect(page.events.map((s) => s.event)).toEqual([e, plain]);
      expect(await queuedIds(t.db, "repo:o/r")).toEqual([e.id]);
    });

    it("a duplicate carrying json is still a duplicate (the first stored body stays)", async () => {
      const e = ev(3);
      await store.ingest([{ event: e, scopes: ["server"], origin: { kind: "api", name: "test" } }]);
      const again: IngestItem = { event: e, scopes: ["server"], origin: { kind: "api", name: "test" }, json: JSON.stringify(e) };
      expect(await store.ingest([again])).toEqual({ inserted: [], duplicates: [e.id] });
    });
  });
});
