/**
 * The server runtime's one entry (DESIGN.md "Layout"): `serve` runs it in the foreground (`hookline serve`,
 * `npm start`); `startServer` composes it for embedding and tests. Nothing outside bots/server imports more.
 */
import { readServerConfig, type ServeFlags } from "./config.js";
import { createLogger, startServer } from "./main.js";
import { exitOnSignals } from "./signals.js";

export { readServerConfig, type ServeFlags, type ServerConfig } from "./config.js";
export { ServerConfigError } from "./errors.js";
export { createLogger, startServer, type RunningServer, type StartOptions } from "./main.js";
export { setupGitHubApp, type SetupGitHubAppFlags, type SetupGitHubAppResult } from "./setup-github-app.js";

/**
 * Reads the configuration (environment + flags), starts the server and exits the process on SIGTERM/SIGINT after
 * a graceful close. Resolves only if starting fails (it throws); configuration errors are ServerConfigError.
 */
export async function serve(env: NodeJS.ProcessEnv, flags: ServeFlags): Promise<never> {
  const config = readServerConfig(env, flags);
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
  return await new Promise<never>(() => {});
}
