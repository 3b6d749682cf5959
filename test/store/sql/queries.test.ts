import { describe, expect, it } from "vitest";
import type { ServerStore } from "../../../src/store/server-types.js";
import { listEvents } from "../../../src/store/sql/list-events.js";
import { consume, ev, FACTORIES, firing, item, label, T0, useStore, type TestDb } from "./helpers.js";

describe.each(FACTORIES)("queries on $name", (f) => {
  describe.runIf(f.available)(label(f), () => {
    let t!: TestDb;
    let store!: ServerStore;
    useStore(f, (opened) => ((t = opened), (store = opened.store)));

    /** 30 events: names cycle mainframe.job.started / mainframe.job.done / azure.blob.created, 1 s apart */
    const NAMES = ["mainframe.job.started", "mainframe.job.done", "azure.blob.created"];
    const seed = async () => {
      const events = Array.from({ length: 30 }, (_, i) => ev(i, NAMES[i % 3]!, { resource: { "prefect.resource.id": `job.${i % 5}` } }));
      await store.ingest(events.map((e) => item(e)));
      return events;
    };
    const pageAll = async (q: Parameters<ServerStore["listEvents"]>[0]) => {
      const ids: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await store.listEvents({ ...q, after });
        ids.push(...page.events.map((e) => e.event.id));
        if (page.next === null) return { ids, pages: pages + 1 };
        after = page.next;
      }
      throw new Error("paging did not end");
    };

    it("listEvents pages by storage sequence with an opaque cursor: every event once, in order", async () => {
      const events = await seed();
      const { ids, pages } = await pageAll({ limit: 7 });
      expect(ids).toEqual(events.map((e) => e.id));
      expect(pages).toBe(5);
      const last = await store.listEvents({ limit: 30 });
      expect(last.next).toBeNull();
    });

    it("order desc pages newest first", async () => {
      const events = await seed();
      expect((await pageAll({ limit: 4, order: "desc" })).ids).toEqual(events.map((e) => e.id).reverse());
    });

    it("name globs: a literal and a prefix (SQL), and shapes SQL cannot express (JS) page correctly", async () => {
      const events = await seed();
      const idsOf = (pred: (name: string) => boolean) => events.filter((e) => pred(e.event)).map((e) => e.id);
      expect((await pageAll({ name: "mainframe.job.done", limit: 3 })).ids).toEqual(idsOf((n) => n === "mainframe.job.done"));
      expect((await pageAll({ name: "mainframe.*", limit: 3 })).ids).toEqual(idsOf((n) => n.startsWith("mainframe.")));
      expect((await pageAll({ name: "*.created", limit: 3 })).ids).toEqual(idsOf((n) => n.endsWith(".created")));
      expect((await pageAll({ name: "mainframe.job.[sd]*", limit: 4 })).ids).toEqual(idsOf((n) => n.startsWith("mainframe.")));
      expect((await pageAll({ name: "!mainframe.*", limit: 4 })).ids).toEqual(idsOf((n) => !n.startsWith("mainframe.")));
      expect((await pageAll({ name: "mainframe.job.d?ne", limit: 2 })).ids).toEqual(idsOf((n) => n === "mainframe.job.done"));
      expect((await pageAll({ name: "*", limit: 9 })).ids).toEqual(events.map((e) => e.id));
    });

    it("LIKE wildcards in a name are literal characters", async () => {
      const odd = [ev("a", "x.100%.y"), ev("b", "x.100_.y"), ev("c", "x.1000.y"), ev("d", "x.\\.y")];
      await store.ingest(odd.map((e) => item(e)));
      expect((await store.listEvents({ name: "x.100%*", limit: 10 })).events.map((e) => e.event.event)).toEqual(["x.100%.y"]);
      expect((await store.listEvents({ name: "x.100_*", limit: 10 })).events.map((e) => e.event.event)).toEqual(["x.100_.y"]);
      expect((await store.listEvents({ name: "x.\\*", limit: 10 })).events.map((e) => e.event.event)).toEqual(["x.\\.y"]);
    });

    it("resource and time window filters combine with the name (since inclusive, until exclusive)", async () => {
      const events = await seed();
      const got = await pageAll({ name: "mainframe.*", resource: "job.1", since: T0 + 5000, until: T0 + 26_000, limit: 2 });
      const want = events.filter((e, i) => e.event.startsWith("mainframe.") && i % 5 === 1 && i >= 5 && i < 26).map((e) => e.id);
      expect(want.length).toBeGreaterThan(1);
      expect(got.ids).toEqual(want);
      expect((await store.listEvents({ since: T0 + 29_000, limit: 10 })).events.map((e) => e.event.id)).toEqual([events[29]!.id]);
      expect((await store.listEvents({ until: T0 + 1000, limit: 10 })).events.map((e) => e.event.id)).toEqual([events[0]!.id]);
    });

    it("a sparse glob over many events still pages correctly (short pages with a cursor, never a skip)", async () => {
      const many = Array.from({ length: 1200 }, (_, i) => ev(`m${i}`, i % 400 === 7 ? "rare.thing.seen" : "common.thing.seen"));
      for (let i = 0; i < many.length; i += 300) await store.ingest(many.slice(i, i + 300).map((e) => item(e)));
      const got = await pageAll({ name: "rare.thing.s?en", limit: 2 });
      expect(got.ids).toEqual(many.filter((e) => e.event.startsWith("rare.")).map((e) => e.id));
    });

    it("when the scan budget runs out the page is short but carries a cursor, and paging on finds the rest", async () => {
      const events = await seed();
      const limits = { chunk: 4, scanBudget: 8 };
      const ids: string[] = [];
      const sizes: number[] = [];
      let after: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await listEvents(t.db, { name: "azure.blob.c?eated", limit: 5, after }, limits);
        ids.push(...page.events.map((e) => e.event.id));
        sizes.push(page.events.length);
        if (!page.next) break;
        after = page.next;
      }
      expect(ids).toEqual(events.filter((e) => e.event === "azure.blob.created").map((e) => e.id));
      expect(Math.max(...sizes)).toBeLessThan(5); // 8 rows scanned hold at most 3 matches: every page was cut short
    });

    it("limit must be 1..500 and a malformed, foreign-order or injected cursor is refused with a code", async () => {
      await seed();
      for (const limit of [0, 501, 1.5, Number.NaN]) {
        await expect(store.listEvents({ limit })).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
      }
      await expect(store.listEvents({ limit: 10, since: Number.POSITIVE_INFINITY })).rejects.toMatchObject({
        code: "HOOKLINE_STORE_BAD_QUERY",
      });
      const { next } = await store.listEvents({ limit: 2 });
      const cursors = [
        "1; DROP TABLE events",
        Buffer.from("asc:1 OR 1=1").toString("base64url"),
        Buffer.from("asc:99999999999999999999").toString("base64url"),
        Buffer.from("asc:-1").toString("base64url"),
        "x".repeat(100),
        "",
      ];
      for (const after of cursors)
        await expect(store.listEvents({ limit: 2, after })).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_CURSOR" });
      await expect(store.listEvents({ limit: 2, after: next!, order: "desc" })).rejects.toMatchObject({
        code: "HOOKLINE_STORE_BAD_CURSOR",
      });
      expect((await store.listEvents({ limit: 100 })).events).toHaveLength(30);
    });

    it("replayPage: the events after a storage sequence, in storage order, as one JSON text equal to what listEvents parses", async () => {
      const events = await seed();
      // bodies with what a naive join would break: commas, brackets, quotes, non-ASCII
      const odd = ev(99, "odd.thing", { payload: { text: '],["x",{"y":"\u2028"}], é, 😀' } });
      await store.ingest([item(odd)]);
      const all = (await store.listEvents({ limit: 100 })).events;
      const first = await store.replayPage(null, 12);
      expect([first.count, first.last]).toEqual([12, all[11]!.seq]);
      expect(JSON.parse(first.json)).toEqual(all.slice(0, 12).map((s) => s.event));
      const rest = await store.replayPage(first.last, 5_000);
      expect(JSON.parse(rest.json)).toEqual(all.slice(12).map((s) => s.event));
      expect(JSON.parse(rest.json).at(-1)).toEqual(odd);
      expect(rest.count).toBe(events.length + 1 - 12);
      expect(await store.replayPage(rest.last, 10)).toEqual({ json: "[]", count: 0, last: null });
    });

    it("replayPage refuses a limit outside 1..5000 and an `after` that is not a storage sequence, with a code", async () => {
      for (const limit of [0, 5_001, 1.5, Number.NaN])
        await expect(store.replayPage(null, limit)).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
      for (const after of ["1; DROP TABLE events", "-1", "", "1.5", "9223372036854775808", "x".repeat(30)])
        await expect(store.replayPage(after, 10)).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
    });

    it("listPauses: every record of the scope; a pause whose `until` has passed reads as not paused", async () => {
      const p = (k: string) => item(ev(k, "hookline.automation.paused"), []);
      await store.setPause({ scope: "server", automation: "b", paused: true, until: T0 + 1000, by: "api", at: T0 }, p("1"));
      await store.setPause({ scope: "server", automation: "a", paused: true, until: null, by: "slack:U1", at: T0 }, p("2"));
      await store.setPause({ scope: "repo:o/r", automation: "a", paused: true, until: null, by: "api", at: T0 }, p("3"));
      expect(await store.listPauses("server", T0 + 999)).toEqual([
        { scope: "server", automation: "a", paused: true, until: null, by: "slack:U1", at: T0 },
        { scope: "server", automation: "b", paused: true, until: T0 + 1000, by: "api", at: T0 },
      ]);
      expect((await store.listPauses("server", T0 + 1000)).map((r) => [r.automation, r.paused])).toEqual([
        ["a", true],
        ["b", false],
      ]);
      const resumed = ev("4", "hookline.automation.resumed");
      await store.setPause({ scope: "server", automation: "a", paused: false, until: null, by: "api", at: T0 + 5 }, item(resumed, []));
      expect((await store.listPauses("server", T0 + 6))[0]).toEqual({
        scope: "server",
        automation: "a",
        paused: false,
        until: null,
        by: "api",
        at: T0 + 5,
      });
      expect((await store.listEvents({ name: "hookline.automation.*", limit: 10 })).events).toHaveLength(4);
    });

    it("setPause is one transaction: when its event cannot be stored the pause does not change", async () => {
      const bad = item(ev("x", "hookline.automation.paused"), ["bad\u0000scope"]);
      await expect(
        store.setPause({ scope: "server", automation: "a", paused: true, until: null, by: "api", at: T0 }, bad),
      ).rejects.toThrow();
      expect(await store.listPauses("server", T0)).toEqual([]);
    });

    it("listFirings: newest first, per automation or all, at most `limit`", async () => {
      await store.ingest([item(ev(1))]);
      const at = (s: number) => new Date(T0 + s * 1000).toISOString();
      const firings = [firing("f1", "a", at(1)), firing("f2", "b", at(3)), firing("f3", "a", at(2)), firing("f4", "a", at(2))];
      await store.evaluateScope("server", T0, 10, (w) => consume(w, { firings }));
      expect((await store.listFirings("server", null, 10)).map((x) => x.id)).toEqual(["f2", "f4", "f3", "f1"]);
      expect((await store.listFirings("server", "a", 2)).map((x) => x.id)).toEqual(["f4", "f3"]);
      expect(await store.listFirings("repo:o/r", null, 10)).toEqual([]);
      await expect(store.listFirings("server", null, 0)).rejects.toMatchObject({ code: "HOOKLINE_STORE_BAD_QUERY" });
    });

    it("threads per (scope, key): set, overwrite, isolated by scope", async () => {
      expect(await store.getThread("server", "run:1")).toBeNull();
      await store.setThread("server", "run:1", { channel: "C1", ts: "1.1" }, T0);
      await store.setThread("server", "run:1", { channel: "C1", ts: "1.2" }, T0 + 1);
      expect(await store.getThread("server", "run:1")).toEqual({ channel: "C1", ts: "1.2" });
      expect(await store.getThread("repo:o/r", "run:1")).toBeNull();
    });

    it("repositories: upsert and read back; installation ids past 2^31 survive", async () => {
      const r = {
        fullName: "Owner/Repo",
        installationId: 3_000_000_000,
        defaultBranch: "main",
        configSha: "abc",
        configText: "automations: []\n",
        configPath: ".github/automations.yaml",
        updatedAt: T0,
      };
      await store.upsertRepository(r);
      expect(await store.getRepository("Owner/Repo")).toEqual(r);
      await store.upsertRepository({ ...r, configSha: null, configText: null, configPath: null, updatedAt: T0 + 1 });
      expect(await store.getRepository("Owner/Repo")).toMatchObject({ configSha: null, configText: null, updatedAt: T0 + 1 });
      expect(await store.getRepository("nobody/none")).toBeNull();
    });
  });
});
