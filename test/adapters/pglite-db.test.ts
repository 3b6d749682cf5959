/** The embedded database's folder: a fresh clone has no `.hookline`, and `npm start` must still open `.hookline/data`. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "../../src/adapters/pglite-db.js";

const root = mkdtempSync(join(tmpdir(), "hookline-pglite-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("openPglite", () => {
  it("creates every missing parent of the data folder (PGlite itself creates only the last one)", async () => {
    const dataDir = join(root, ".hookline", "nested", "data");
    const db = await openPglite(dataDir);
    try {
      expect((await db.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);
    } finally {
      await db.close();
    }
  });
});
