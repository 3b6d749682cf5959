/**
 * A what-if worker that never answers (test/console/what-if-states.test.ts): it holds a replay's slot until the
 * server stops it, and writes the file named by HOOKLINE_TEST_STUCK_MARKER when it starts, so the test knows the
 * slot is taken.
 */
import { writeFileSync } from "node:fs";

if (process.env.HOOKLINE_TEST_STUCK_MARKER) writeFileSync(process.env.HOOKLINE_TEST_STUCK_MARKER, "started");
setInterval(() => undefined, 1 << 30);
