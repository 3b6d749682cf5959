#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../build/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("hookline: build/ is missing. Run `npm ci` (or `npm run build`) in the hookline checkout first.\n");
  process.exit(2);
}
// `hookline simulate ... | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on("error", (err) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
