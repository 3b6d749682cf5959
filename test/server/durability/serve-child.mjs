#!/usr/bin/env node
// `hookline serve` for the durability tests, as a child process the tests can SIGKILL: the same steps as
// src/cli/commands/serve.ts (readServerConfig from the environment, JSON logs, startServer, exitOnSignals) on
// the built server (build/, `npm run build`), plus the two worker settings the environment cannot set yet:
// HOOKLINE_TEST_LOCK_MS (outbox claim length; default 120 s) and HOOKLINE_TEST_POLL_MS (default 1 s).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const build = new URL("../../../build/bots/server/", import.meta.url);
if (!existsSync(fileURLToPath(new URL("main.js", build)))) {
  process.stderr.write("serve-child: build/ is missing: run `npm run build` first\n");
  process.exit(2);
}
const { readServerConfig } = await import(new URL("config.js", build).href);
const { createLogger, startServer } = await import(new URL("main.js", build).href);
const { exitOnSignals } = await import(new URL("signals.js", build).href);

const positive = (name) => {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (ms), got ${v}`);
  return n;
};
const lockMs = positive("HOOKLINE_TEST_LOCK_MS");
const pollMs = positive("HOOKLINE_TEST_POLL_MS");

const config = readServerConfig(process.env);
const log = createLogger(config.logLevel);
const server = await startServer(config, {
  log,
  workers: { ...(lockMs !== undefined ? { lockMs } : {}), ...(pollMs !== undefined ? { pollMs } : {}) },
});
exitOnSignals(server.close, log);
