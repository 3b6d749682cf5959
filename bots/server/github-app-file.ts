/**
 * Where the GitHub App's credentials are kept when the manifest flow created them (the setup page or `hookline
 * setup github-app`): an env file beside the data folder (`.hookline/data` -> `.hookline/github-app.env`), mode
 * 0600, read on every start. Precedence: when the environment names any of the App's variables (APP_ID,
 * PRIVATE_KEY, PRIVATE_KEY_PATH, WEBHOOK_SECRET) the environment alone configures the App and the file is not
 * read, so two Apps' credentials are never mixed; otherwise the file's values are used as if they were set.
 * The file is parsed by Node's own dotenv parser (util.parseEnv).
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { ServerConfigError } from "./errors.js";

/** The App's variables: one of them in the environment means the environment configures the App. */
export const APP_VARIABLES = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET"] as const;
/** What a file may set (anything else in it is ignored, so it cannot reach other settings). */
const FILE_VARIABLES = [...APP_VARIABLES, "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"] as const;

/** HOOKLINE_GITHUB_APP_FILE, else beside the data folder (like the API token file); null with an in-memory database. */
export function githubAppFile(dataDir: string, explicit: string | undefined): string | null {
  if (explicit !== undefined) return resolve(explicit);
  if (dataDir === "memory://") return null;
  const name = basename(dataDir);
  return join(dirname(dataDir), name === "data" ? "github-app.env" : `${name}.github-app.env`);
}

export function environmentConfiguresApp(env: Readonly<Record<string, string | undefined>>): boolean {
  return APP_VARIABLES.some((n) => (env[n]?.trim() ?? "") !== "");
}

/** The file's App variables, or null when there is no file. */
export function readGitHubAppFile(file: string): Record<string, string> | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ServerConfigError(
      "HOOKLINE_CONFIG_UNREADABLE",
      `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): check its permissions (the server's user must own it, mode 0600)`,
    );
  }
  const parsed = parseEnv(text) as Record<string, string>;
  const values: Record<string, string> = {};
  for (const name of FILE_VARIABLES) if (typeof parsed[name] === "string") values[name] = parsed[name];
  return values;
}

export interface CreatedApp {
  id: number;
  slug: string;
  htmlUrl: string;
  pem: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
}

const quoted = (v: string) => JSON.stringify(v); // double quotes; parseEnv turns \n back into newlines

/**
 * Writes the file (mode 0600, its folder 0700) through a temporary file and a hard link, so a reader never sees
 * half of it and an existing file is never replaced (delete it first: the old App still exists on GitHub).
 */
export function writeGitHubAppFile(file: string, app: CreatedApp, now: Date): void {
  const exists = () =>
    new ServerConfigError(
      "HOOKLINE_APP_SETUP_FILE_EXISTS",
      `${file} already holds a GitHub App: delete it to register another (and delete the old App in GitHub's settings)`,
    );
  if (readGitHubAppFile(file) !== null) throw exists();
  const text = [
    `# The GitHub App ${app.slug} (${app.htmlUrl}), created by hookline's manifest flow on ${now.toISOString()}.`,
    "# Read by the server on start unless the environment sets APP_ID, PRIVATE_KEY(_PATH) or WEBHOOK_SECRET.",
    "# Secrets: keep this file mode 0600 and out of version control.",
    `APP_ID=${app.id}`,
    `PRIVATE_KEY=${quoted(app.pem.trim())}`,
    `WEBHOOK_SECRET=${quoted(app.webhookSecret)}`,
    `GITHUB_CLIENT_ID=${quoted(app.clientId)}`,
    `GITHUB_CLIENT_SECRET=${quoted(app.clientSecret)}`,
    "",
  ].join("\n");
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, text, { mode: 0o600, flag: "wx" });
    chmodSync(temp, 0o600);
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") throw exists();
    throw new ServerConfigError(
      "HOOKLINE_APP_SETUP_UNWRITABLE",
      `cannot write ${file}: ${(err as Error).message} (set HOOKLINE_GITHUB_APP_FILE to a writable path, or the data folder)`,
    );
  } finally {
    rmSync(temp, { force: true });
  }
}
