/**
 * `hookline setup github-app`: registers the GitHub App through GitHub's manifest flow from this machine
 * (bots/server/setup-github-app.ts) and writes its credentials where `hookline serve` reads them. Loaded lazily,
 * like `serve`, so the other commands do not pay for the server's dependencies.
 */
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "./validate.js";

export async function setupCommand(argv: string[], io: CliIO, flush: () => void = () => {}): Promise<number> {
  const { values, positionals } = parseFlags("setup", argv, {
    org: { type: "string" },
    "webhook-url": { type: "string" },
    "github-url": { type: "string" },
    name: { type: "string" },
    port: { type: "string" },
    "data-dir": { type: "string" },
  });
  if (positionals[0] !== "github-app")
    throw new UsageError(
      positionals[0] === undefined ? "say what to set up: github-app" : `cannot set up ${JSON.stringify(positionals[0])}: use github-app`,
      "setup",
    );
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`, "setup");
  const { setupGitHubApp, ServerConfigError } = await import("../../../bots/server/index.js");
  try {
    const { app, file } = await setupGitHubApp(
      process.env,
      {
        ...(values.org !== undefined ? { org: values.org } : {}),
        ...(values["webhook-url"] !== undefined ? { webhookUrl: values["webhook-url"] } : {}),
        ...(values["github-url"] !== undefined ? { githubUrl: values["github-url"] } : {}),
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(values.port !== undefined ? { port: values.port } : {}),
        ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
      },
      (line) => {
        io.out(line);
        flush();
      },
    );
    io.out(`installed: the GitHub App ${app.slug} (id ${app.id}); its id, private key and webhook secret are in ${file} (mode 0600)`);
    io.out(`next, install the App on repositories: ${app.htmlUrl}/installations/new`);
    io.out("then start the server (hookline serve, or npm start): it reads that file on start");
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ServerConfigError) {
      io.err(`hookline setup github-app: ${err.code}: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}
