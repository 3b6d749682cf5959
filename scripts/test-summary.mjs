#!/usr/bin/env node
// After `vitest run` (npm test): say how many tests were skipped and why. Today the only skips are the PostgreSQL
// variants of the store and server tests, which need HOOKLINE_TEST_DATABASE_URL (they always run on PGlite).
import { readFileSync } from "node:fs";

const r = JSON.parse(readFileSync(new URL("../build/test-results.json", import.meta.url), "utf8"));
let skipped = 0;
for (const file of r.testResults) for (const t of file.assertionResults) if (t.status === "pending" || t.status === "skipped") skipped++;
if (skipped === 0) console.log(`all ${r.numPassedTests} tests ran (none skipped)`);
else if (!process.env.HOOKLINE_TEST_DATABASE_URL)
  console.log(
    `${skipped} PostgreSQL tests were skipped: HOOKLINE_TEST_DATABASE_URL is unset (they ran on PGlite only).\n` +
      `To run them too: HOOKLINE_TEST_DATABASE_URL="$(bash .ci/postgres.sh)" npm test   (installs and starts Debian's PostgreSQL 15; or point it at any PostgreSQL you may wipe)`,
  );
else console.log(`${skipped} tests were skipped`);
