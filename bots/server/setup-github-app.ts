/**
 * `hookline setup github-app`: the manifest flow without a running server (github-app-setup.ts): a page of its own
 * on 127.0.0.1, whose URL (with the setup key) is printed; it waits for GitHub to send the browser back, writes the
 * App's env file where `hookline serve` reads it (github-app-file.ts), prints where to install the App, and stops.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isAbsolute, resolve } from "node:path";
import { ORG_LOGIN } from "../app/index.js";
import { apiUrlOf, readUrl } from "./config.js";
import { ServerConfigError } from "./errors.js";
import { environmentConfiguresApp, githubAppFile, readGitHubAppFile, type CreatedApp } from "./github-app-file.js";
import { createGitHubAppSetup } from "./github-app-setup.js";
import { GITHUB_WEBHOOKS_PATH } from "./http/github-route.js";
import type { HooklineCode } from "../../src/errors/index.js";

export interface SetupGitHubAppFlags {
  org?: string;
  webhookUrl?: string;
  githubUrl?: string;
  name?: string;
  port?: string;
  dataDir?: string;
}

export interface SetupGitHubAppResult {
  app: CreatedApp;
  file: string;
}

const bad = (code: HooklineCode, message: string): never => {
  throw new ServerConfigError(code, message);
};

export async function setupGitHubApp(
  env: Readonly<Record<string, string | undefined>>,
  flags: SetupGitHubAppFlags,
  out: (line: string) => void,
): Promise<SetupGitHubAppResult> {
  const value = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const githubUrl = readUrl(flags.githubUrl ?? value("GITHUB_URL"), flags.githubUrl ? "--github-url" : "GITHUB_URL", "https://github.com");
  const githubApiUrl = readUrl(value("GITHUB_API_URL"), "GITHUB_API_URL", apiUrlOf(githubUrl));
  const publicUrl = value("HOOKLINE_PUBLIC_URL");
  const webhookRaw =
    flags.webhookUrl ??
    value("WEBHOOK_PROXY_URL") ??
    (publicUrl ? `${readUrl(publicUrl, "HOOKLINE_PUBLIC_URL", "")}${GITHUB_WEBHOOKS_PATH}` : undefined);
  if (webhookRaw === undefined)
    bad(
      "HOOKLINE_APP_SETUP_NO_WEBHOOK_URL",
      "GitHub needs a URL to deliver webhooks to: pass --webhook-url https://YOUR-HOST/api/github/webhooks (or a webhook proxy channel from https://smee.io/new), or set HOOKLINE_PUBLIC_URL or WEBHOOK_PROXY_URL",
    );
  const webhookUrl = readUrl(webhookRaw, "--webhook-url", "https://hookline.example.com/api/github/webhooks");
  if (flags.org !== undefined && !ORG_LOGIN.test(flags.org))
    bad(
      "HOOKLINE_APP_SETUP_BAD_ORG",
      `--org ${JSON.stringify(flags.org.slice(0, 50))} is not an organisation login (letters, digits, hyphens)`,
    );
  const port = flags.port ?? "0";
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535)
    bad("HOOKLINE_CONFIG_BAD_PORT", `--port ${JSON.stringify(port)}: use 0..65535 (0 picks a free port)`);
  const rawData = flags.dataDir ?? value("HOOKLINE_DATA_DIR") ?? ".hookline/data";
  if (rawData === "memory://")
    bad("HOOKLINE_APP_SETUP_NO_FILE", "an in-memory data folder keeps no files: pass --data-dir or set HOOKLINE_GITHUB_APP_FILE");
  const file = githubAppFile(isAbsolute(rawData) ? rawData : resolve(rawData), value("HOOKLINE_GITHUB_APP_FILE"))!;
  if (readGitHubAppFile(file) !== null)
    bad(
      "HOOKLINE_APP_SETUP_FILE_EXISTS",
      `${file} already holds a GitHub App: delete it to register another (and delete the old App in GitHub's settings)`,
    );
  if (environmentConfiguresApp(env))
    out(
      `note: the environment sets the GitHub App's variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET): the server uses them, not ${file}, until they are unset`,
    );

  let created!: (r: SetupGitHubAppResult) => void;
  const done = new Promise<SetupGitHubAppResult>((r) => (created = r));
  let setup: ReturnType<typeof createGitHubAppSetup> | null = null;
  const server = createServer((req, res) => {
    void (async () => {
      if (setup && (await setup.handle(req, res))) return;
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: open the URL hookline printed\n");
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      fail(
        err.code === "EADDRINUSE"
          ? new ServerConfigError("HOOKLINE_PORT_IN_USE", `port ${port} on 127.0.0.1 is in use: pass another --port`)
          : err,
      ),
    );
    server.listen(Number(port), "127.0.0.1", ok);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  setup = createGitHubAppSetup({
    githubUrl,
    githubApiUrl,
    webhookUrl,
    origin,
    file,
    org: flags.org ?? null,
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    restart: false,
    onCreated: (app) => created({ app, file }),
  });
  out(`Open this URL in a browser on this machine to create the GitHub App${flags.org ? ` in ${flags.org}` : ""}:`);
  out(`  ${setup.pageUrl}`);
  out(`GitHub will deliver webhooks to ${webhookUrl}. Waiting for GitHub to send the browser back (Ctrl-C to stop)…`);
  try {
    return await done;
  } finally {
    server.closeIdleConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
