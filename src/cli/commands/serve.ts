/**
 * `hookline serve`: the server (bots/server) in the foreground. Flags win over the environment. Loaded
 * lazily so the other commands do not pay for the server's dependencies.
 */
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "./validate.js";

export async function serveCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags("serve", argv, {
    port: { type: "string" },
    host: { type: "string" },
    "config-dir": { type: "string" },
    "data-dir": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, "serve");
  const { readServerConfig } = await import("../../../bots/server/config.js");
  const { ServerConfigError } = await import("../../../bots/server/errors.js");
  const { createLogger, startServer } = await import("../../../bots/server/main.js");
  const { exitOnSignals } = await import("../../../bots/server/signals.js");
  try {
    const config = readServerConfig(process.env, {
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values["config-dir"] !== undefined ? { configDir: values["config-dir"] } : {}),
      ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    });
    const log = createLogger(config.logLevel);
    const server = await startServer(config, { log });
    // pino writes stdout asynchronously; process.exit flushes what is still queued synchronously, which can land
    // before a write already in flight (the last lines out of order, or lost): wait for the writes first
    const exit = (code: number) => {
      const done = () => process.exit(code);
      setTimeout(done, 2000);
      log.flush(() => done());
    };
    exitOnSignals(server.close, log, exit);
    // the process lives on the HTTP server and the workers; serve returns only through a signal
    return await new Promise<number>(() => {});
  } catch (err) {
    if (err instanceof ServerConfigError) {
      for (const p of err.problems) io.err(p);
      io.err(`hookline serve: ${err.code}: ${err.message}`);
      return EXIT.usage;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("HOOKLINE_")) {
      io.err(`hookline serve: ${code}: ${(err as Error).message}`);
      return EXIT.usage;
    }
    throw err;
  }
}
