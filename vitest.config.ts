import { defineConfig } from "vitest/config";

/** The pure core's tests: data in, data out, no server, database, child process or network. */
const UNIT = ["events", "github", "automations", "engine", "templates", "webhooks", "database"].map((d) => `test/${d}/**/*.test.ts`);

export default defineConfig({
  test: {
    // the CLI tests spawn the real bin/hookline.js; this machine is shared, so allow slow spawns
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "build/test-results.json" },
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      // real HTTP servers on 127.0.0.1, PGlite, PostgreSQL, the built dist/index.js and bin/hookline.js, Chromium
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: UNIT } },
    ],
  },
});
