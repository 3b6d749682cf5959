/**
 * The embedded default (issue 15 item 4): with no source URL, a table of hookline's own PGlite is captured and
 * its changes reach the feed, in order, with the origin `hookline.origin.database.<source>` and the server scope.
 * A source whose capture is missing (install: false) reports the error and the fix through the API.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../../../src/adapters/index.js";
import type { Db } from "../../../src/store/sql/index.js";
import { boot, cleanupDirs, configDir, TEST_API_TOKEN } from "../http/helpers.js";

const AUTH = { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } };

afterAll(() => cleanupDirs());

async function feed(url: string) {
  const res = await fetch(`${url}/api/events?name=postgres.*&limit=100`, AUTH);
  return ((await res.json()) as { events: { event: string; resource: Record<string, string>; related: Record<string, string>[] }[] })
    .events;
}

async function until<T>(probe: () => Promise<T | false>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe("database change events on the embedded PGlite", () => {
  it("a table of hookline's own PGlite is captured without any URL, its changes in the feed in order; an uninstalled source says how to fix it", async () => {
    const dir = configDir({});
    writeFileSync(
      join(dir, "database.yaml"),
      "sources:\n  - name: own\n    install: true\n    poll_interval: 0.05s\n    tables:\n      - table: tasks\n        labels: [state]\n" +
        "  - name: ghost\n    capture_schema: ghost_capture\n    tables:\n      - table: tasks\n",
    );
    let db: Db | null = null;
    const openDb = async () => {
      db = await openPglite(undefined);
      await db.query("CREATE TABLE public.tasks (id int PRIMARY KEY, state text NOT NULL)");
      return db;
    };
    const b = await boot({ configDir: dir, options: { openDb } });
    try {
      await until(async () => {
        const r = (await (await fetch(`${b.url}/api/database/sources`, AUTH)).json()) as {
          sources: { status: { installed: boolean } | null }[];
        };
        return r.sources[0]?.status?.installed === true;
      });
      await db!.query("INSERT INTO public.tasks VALUES (1, 'open')");
      await db!.query("UPDATE public.tasks SET state = 'done' WHERE id = 1");
      await db!.query("DELETE FROM public.tasks WHERE id = 1");
      const events = await until(async () => {
        const e = await feed(b.url);
        return e.length >= 3 && e;
      });
      expect(events.map((e) => [e.event, e.resource["postgres.row.state"]])).toEqual([
        ["postgres.public.tasks.inserted", "open"],
        ["postgres.public.tasks.updated", "done"],
        ["postgres.public.tasks.deleted", "done"],
      ]);
      // a source whose capture is not installed (install: false) says so, with the command that fixes it
      const sources = (await (await fetch(`${b.url}/api/database/sources`, AUTH)).json()) as {
        sources: { name: string; error: { code: string; message: string } | null }[];
      };
      expect(sources.sources.find((x) => x.name === "ghost")!.error).toEqual({
        code: "HOOKLINE_DB_NOT_INSTALLED",
        message:
          "source ghost: the capture is not installed in its database: run `hookline db install --source ghost`, or set `install: true`",
      });
      expect(events[0]!.related).toContainEqual(
        expect.objectContaining({ "prefect.resource.id": "hookline.origin.database.own", "prefect.resource.role": "origin" }),
      );
    } finally {
      await b.server.close();
    }
  });
});
