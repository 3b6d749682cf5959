/**
 * The API token (issue 12): /api and /metrics always need `Authorization: Bearer <token>`; no client is trusted
 * for its address (a repository's call-webhook to 127.0.0.1 arrives from loopback too). The token is
 * HOOKLINE_API_TOKEN when set; otherwise one is created on first start in a file beside the data folder
 * (`.hookline/api-token`, mode 0600) and read from there on every later start, so `npm start` works without
 * setup and the token survives restarts. With an in-memory database (trying things out) the token lives as long
 * as the process and the start log shows it once.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ServerConfigError } from "./errors.js";

export type ApiTokenSource = "env" | "file" | "created" | "memory";

export interface ApiToken {
  token: string;
  source: ApiTokenSource;
  /** the file holding it (`file`, `created`), else null */
  file: string | null;
}

/**
 * Where the token is kept when HOOKLINE_API_TOKEN is unset: HOOKLINE_API_TOKEN_FILE, else beside the data folder
 * (`.hookline/data` -> `.hookline/api-token`; any other `/x/y` -> `/x/y.api-token`, never a shared `/x/api-token`).
 */
export function apiTokenFile(dataDir: string, explicit: string | undefined): string | null {
  if (explicit !== undefined) return resolve(explicit);
  if (dataDir === "memory://") return null;
  const name = basename(dataDir);
  return join(dirname(dataDir), name === "data" ? "api-token" : `${name}.api-token`);
}

const newToken = () => randomBytes(32).toString("hex");

export function resolveApiToken(o: { envToken: string | null; file: string | null }): ApiToken {
  if (o.envToken !== null) return { token: o.envToken, source: "env", file: null };
  if (o.file === null) return { token: newToken(), source: "memory", file: null };
  let existing: string | null = null;
  try {
    existing = readFileSync(o.file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new ServerConfigError("HOOKLINE_API_TOKEN_UNREADABLE", `cannot read the API token file ${o.file}: ${(err as Error).message}`);
  }
  if (existing !== null) {
    if (existing.length < 16)
      throw new ServerConfigError(
        "HOOKLINE_CONFIG_WEAK_API_TOKEN",
        `the API token in ${o.file} is shorter than 16 characters: delete the file (a new one is created on start) or set HOOKLINE_API_TOKEN`,
      );
    return { token: existing, source: "file", file: o.file };
  }
  const token = newToken();
  try {
    mkdirSync(dirname(o.file), { recursive: true, mode: 0o700 });
    // flag wx: two instances starting at once on one folder never overwrite each other's token
    writeFileSync(o.file, token + "\n", { mode: 0o600, flag: "wx" });
    chmodSync(o.file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return resolveApiToken(o);
    throw new ServerConfigError(
      "HOOKLINE_API_TOKEN_UNWRITABLE",
      `cannot create the API token file ${o.file}: ${(err as Error).message} (set HOOKLINE_API_TOKEN, or HOOKLINE_API_TOKEN_FILE to a writable path)`,
    );
  }
  return { token, source: "created", file: o.file };
}
