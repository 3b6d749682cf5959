/**
 * The server's own configuration folder: `webhooks.yaml` (custom inbound webhooks), `automations.yaml`
 * (the `server` scope, which sees every event) and `database.yaml` (database change sources, docs/database.md). Read once at start; any error is a ServerConfigError with
 * every problem as `file:line:col: message`. Version of the server scope = sha256 of the automations text.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatProblem, loadAutomations, type Problem } from "../../src/automations/index.js";
import { loadWebhooks, type WebhookDef } from "../../src/webhooks/index.js";
import { loadDatabaseConfig, type DatabaseSource } from "../../src/database/index.js";
import { ServerConfigError } from "./errors.js";
import type { ScopeConfig } from "./work/types.js";

export interface ServerFiles {
  webhooks: WebhookDef[];
  /** null: no automations.yaml (events are stored and listed, nothing fires in the server scope) */
  automations: ScopeConfig | null;
  /** database change sources (empty: no database.yaml) */
  databaseSources: DatabaseSource[];
  /** the files read, for the start log */
  files: string[];
  /** warnings, formatted */
  warnings: string[];
}

function read(file: string): string | null {
  if (!existsSync(file)) return null;
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new ServerConfigError(
      "HOOKLINE_CONFIG_UNREADABLE",
      `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): check its permissions`,
    );
  }
}

function format(p: Pick<Problem, "file" | "line" | "col" | "message"> & Partial<Problem>): string {
  return p.severity && p.code ? formatProblem(p as Problem) : `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

export function loadServerFiles(configDir: string): ServerFiles {
  const webhooksFile = join(configDir, "webhooks.yaml");
  const automationsFile = join(configDir, "automations.yaml");
  const errors: string[] = [];
  const warnings: string[] = [];
  const files: string[] = [];
  let webhooks: WebhookDef[] = [];
  let automations: ScopeConfig | null = null;
  let databaseSources: DatabaseSource[] = [];

  const webhooksText = read(webhooksFile);
  if (webhooksText !== null) {
    files.push(webhooksFile);
    const loaded = loadWebhooks(webhooksText, webhooksFile);
    for (const p of loaded.problems as Problem[]) ((p.severity ?? "error") === "error" ? errors : warnings).push(format(p));
    webhooks = loaded.webhooks;
  }
  const automationsText = read(automationsFile);
  if (automationsText !== null) {
    files.push(automationsFile);
    const loaded = loadAutomations(automationsText, automationsFile);
    for (const p of loaded.problems) (p.severity === "error" ? errors : warnings).push(format(p));
    if (loaded.config)
      automations = {
        config: loaded.config,
        version: createHash("sha256").update(automationsText).digest("hex"),
        source: automationsText,
      };
  }
  const databaseFile = join(configDir, "database.yaml");
  const databaseText = read(databaseFile);
  if (databaseText !== null) {
    files.push(databaseFile);
    const loaded = loadDatabaseConfig(databaseText, databaseFile);
    for (const p of loaded.problems) (p.severity === "error" ? errors : warnings).push(format(p));
    databaseSources = loaded.config?.sources ?? [];
  }
  if (errors.length > 0) {
    throw new ServerConfigError(
      "HOOKLINE_CONFIG_INVALID",
      `the server configuration in ${configDir} has ${errors.length} error${errors.length === 1 ? "" : "s"}: fix them (hookline validate ${automationsFile} checks the automations)`,
      errors,
    );
  }
  return { webhooks, automations, databaseSources, files, warnings };
}
