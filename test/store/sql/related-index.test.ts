/**
 * The related-resource index (migration 008) behind listEvents' `related` filter: written at ingest, exact through
 * the JS check, paged by the cursor both ways, pruned with its events, backfilled for events stored before it,
 * and bounded against hostile events (which the store accepts unvalidated: the rows and key lengths are capped).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HooklineEvent } from "../../../src/events/event-schema.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore, migrate, MIGRATIONS } from "../../../src/store/sql/index.js";
import { RELATED_INDEX_MAX } from "../../../src/store/sql/related-keys.js";
import { ev, FACTORIES, item, label, T0, useStore, type TestDb } from "./helpers.js";

const rel = (id: string, role = "team") => ({ "prefect.resource.id": id, "prefect.resource.role": role });
const withRelated = (key: number, ...ids: string[]): HooklineEvent => ev(key, "test.thing.happened", { related: ids.map((id) => rel(id)) });

describe.each(FACTORIES)("related-resource index on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    const related = async (id: string, order: "asc" | "desc" = "asc", limit = 50, after?: string) =>
      store.listEvents({ related: id, order, limit, ...(after === undefined ? {} : { after }) });
    const idsOf = (page: { events: { event: HooklineEvent }[] }) => page.events.map((e) => e.event.id);
    const rowCount = async () => Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM event_related`)).rows[0]!.n);

    it("finds an event by each of its related ids, and not by a body that holds the id elsewhere", async () => {
      const a = withRelated(1, "team.a", "user.b");
      const inPayload = ev(2, "test.thing.happened", { payload: { note: "team.a", "prefect.resource.id": "user.b" } });
      const asResource = ev(3, "test.thing.happened", { resource: { "prefect.resource.id": "team.a" } });
      await store.ingest([item(a), item(inPayload), item(asResource)]);
      expect(idsOf(await related("team.a"))).toEqual([a.id]);
      expect(idsOf(await related("user.b"))).toEqual([a.id]);
      // the origin hookline appends is a related resource like any other
      expect(idsOf(await related("hookline.origin.api.test"))).toEqual([a.id, inPayload.id, asResource.id]);
      expect(idsOf(await related("team"))).toEqual([]);
    });

    it("combines with the other filters and pages by the cursor in both orders", async () => {
      const events = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? withRelated(i, "team.x") : withRelated(i, "team.y")));
      await store.ingest(events.map((e) => item(e)));
      const tagged = events.filter((_, i) => i % 2 === 0).map((e) => e.id); // 6 events
      for (const order of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await related("team.x", order, 4, after);
          seen.push(...idsOf(page));
          if (page.next === null) break;
          after = page.next;
        }
        expect(seen).toEqual(order === "asc" ? tagged : [...tagged].reverse());
      }
      const windowed = await store.listEvents({ related: "team.x", since: T0 + 4000, until: T0 + 9000, limit: 10 });
      expect(idsOf(windowed)).toEqual([events[4]!.id, events[6]!.id, events[8]!.id]);
      expect(idsOf(await store.listEvents({ related: "team.x", resource: "test.resource.2", limit: 10 }))).toEqual([events[2]!.id]);
    });

    it("touching (a resource's timeline) finds the events whose primary resource OR a related resource is the id, paged both ways", async () => {
      const events = Array.from({ length: 10 }, (_, i) =>
        i % 3 === 0
          ? ev(i, "test.run.started", { resource: { "prefect.resource.id": "run.7" } })
          : i % 3 === 1
            ? withRelated(i, "run.7")
            : ev(i, "test.other", { payload: { mentions: "run.7" } }),
      );
      await store.ingest(events.map((e) => item(e)));
      const touching = events.filter((_, i) => i % 3 !== 2).map((e) => e.id); // 7 events: 4 as resource, 3 as related
      for (const order of ["asc", "desc"] as const) {
        const seen: string[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await store.listEvents({ touching: "run.7", order, limit: 3, ...(after === undefined ? {} : { after }) });
          seen.push(...idsOf(page));
          if (page.next === null) break;
          after = page.next;
        }
        expect(seen).toEqual(order === "asc" ? touching : [...touching].reverse());
      }
      expect(idsOf(await store.listEvents({ touching: "run.7", name: "test.run.*", limit: 10 }))).toEqual(
        events.filter((_, i) => i % 3 === 0).map((e) => e.id),
      );
      expect(idsOf(await store.listEvents({ touching: "run.7", related: "run.7", limit: 10 }))).toEqual(
        events.filter((_, i) => i % 3 === 1).map((e) => e.id),
      );
      // an origin is not indexed: its timeline is the body scan's, checked exactly
      expect((await store.listEvents({ touching: "hookline.origin.api.test", limit: 50 })).events).toHaveLength(10);
    });

    it("a duplicate delivery adds no index rows; prune removes the rows of the events it deletes", async () => {
      const [old, kept] = [withRelated(1, "team.a", "team.a", "team.b"), withRelated(2, "team.a")];
      await store.ingest([item(old, []), item(kept, [])]);
      await store.ingest([item(old, [])]);
      expect(await rowCount()).toBe(2 + 1); // distinct ids; the origin is not indexed
      await t.db.query(`UPDATE events SET received = to_timestamp(${(T0 - 86_400_000) / 1000}) WHERE id = $1`, [old.id]);
      expect((await store.prune(T0 - 1000, 100)).events).toBe(1);
      expect(await rowCount()).toBe(1);
      expect(idsOf(await related("team.a"))).toEqual([kept.id]);
      expect(idsOf(await related("team.b"))).toEqual([]);
    });

    it("a hostile event is bounded: at most RELATED_INDEX_MAX rows; a huge id is one 8-byte key and still found exactly", async () => {
      const many = withRelated(1, ...Array.from({ length: 1000 }, (_, i) => `team.${i}`));
      const huge = "h".repeat(100_000);
      const long = withRelated(2, huge);
      const twin = withRelated(3, "h".repeat(99_999) + "x");
      await store.ingest([item(many, []), item(long, []), item(twin, [])]);
      const { rows } = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM event_related GROUP BY seq ORDER BY seq`);
      expect(rows.map((r) => Number(r.n))).toEqual([RELATED_INDEX_MAX, 1, 1]);
      expect(idsOf(await related(huge))).toEqual([long.id]);
      expect(idsOf(await related("team.99"))).toEqual([many.id]);
      expect(idsOf(await related("team.100"))).toEqual([]); // past the cap: not indexed
    });
  });
});

describe.each(FACTORIES)("related-resource index backfill on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    beforeAll(async () => {
      t = await f.open({ migrate: false });
    });
    afterAll(() => t?.cleanup());

    it("a store migrated with events stored before the index finds them by related id; hostile ids do not stop the migration", async () => {
      await migrate(t.db, MIGRATIONS.slice(0, 7));
      const body = (key: number, related: unknown) => JSON.stringify({ ...ev(key), related });
      const stored = [
        body(1, [rel("team.a"), rel("team.b"), rel("team.a")]),
        body(2, [rel("team.b")]),
        // PostgreSQL's json refuses the first two escapes; the third is a valid pair, written escaped
        body(3, [rel("nul\u0000id"), rel("lone\ud800"), rel("team.a"), rel("pair\u{1f600}")]).replace("\u{1f600}", "\\ud83d\\ude00"),
        body(4, [rel("x".repeat(600))]),
        body(5, "not a list"),
        body(6, [null, 7, { "prefect.resource.id": 8 }]),
      ];
      stored[1] = JSON.stringify({ ...JSON.parse(stored[1]!), payload: { key: 2, text: "a\u0000b" } });
      for (const text of stored) {
        await t.db.query(
          `INSERT INTO events (id, name, occurred, resource_id, received, body) VALUES ($1, 'test.thing.happened', now(), 'r', now(), $2)`,
          [JSON.parse(text).id, text],
        );
      }
      expect((await migrate(t.db)).applied).toEqual([8]);
      const store = createSqlStore(t.db);
      const find = async (id: string) => (await store.listEvents({ related: id, limit: 50 })).events.map((e) => e.event.payload.key);
      expect(await find("team.a")).toEqual([1, 3]);
      expect(await find("team.b")).toEqual([1, 2]);
      expect(await find("x".repeat(600))).toEqual([4]);
      expect(await find("nul\u0000id")).toEqual([3]);
      expect(await find("lone\ud800")).toEqual([3]);
      // the backfill's keys are ingest's keys: one written now is found next to the migrated ones
      await store.ingest([item({ ...ev(7), related: [rel("team.a")] })]);
      expect(await find("team.a")).toEqual([1, 3, 7]);
      expect(await find("pair\u{1f600}")).toEqual([3]);
    });
  });
});
