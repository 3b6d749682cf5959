/**
 * `hookline db install|status|uninstall|invoke`: the operator's commands for database change sources
 * (docs/database.md). They read database.yaml from the server's configuration folder and connect to a source
 * with the URL in its `url_env` variable (a source of hookline's own database: DATABASE_URL). Output is JSON,
 * one document per command, so scripts can read it; errors name their HOOKLINE_DB_* code and the fix.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  captureStatus,
  DatabaseSourceError,
  installCapture,
  invokeRow,
  openSource,
  uninstallCapture,
} from "../../adapters/database/index.js";
import { openPostgres } from "../../adapters/postgres-db.js";
import { formatProblem } from "../../automations/index.js";
import { loadDatabaseConfig, type DatabaseSource } from "../../database/index.js";
import type { Db } from "../../store/sql/db.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "./validate.js";
import { docsOf } from "../../errors/index.js";

const VERBS = ["install", "status", "uninstall", "invoke"] as const;

function readSources(configDir: string, io: CliIO): DatabaseSource[] | null {
  const file = join(configDir, "database.yaml");
  if (!existsSync(file)) throw new UsageError(`${file} does not exist: database sources are configured there (docs/database.md)`, "db");
  const loaded = loadDatabaseConfig(readFileSync(file, "utf8"), file);
  for (const p of loaded.problems) io.err(formatProblem(p));
  return loaded.config?.sources ?? null;
}

export async function dbCommand(
  argv: string[],
  io: CliIO,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const { values, positionals } = parseFlags("db", argv, {
    source: { type: "string" },
    "config-dir": { type: "string" },
    force: { type: "boolean" },
    schema: { type: "string" },
    table: { type: "string" },
    key: { type: "string", multiple: true },
  });
  const verb = positionals[0] as (typeof VERBS)[number] | undefined;
  if (!verb || !VERBS.includes(verb)) throw new UsageError(`expected one of ${VERBS.join(", ")}`, "db");
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`, "db");
  const configDir = values["config-dir"] ?? env.HOOKLINE_CONFIG_DIR;
  if (!configDir) throw new UsageError("give --config-dir DIR (or set HOOKLINE_CONFIG_DIR): the folder holding database.yaml", "db");
  const sources = readSources(configDir, io);
  if (!sources) return EXIT.invalid;
  const chosen = values.source === undefined ? (verb === "status" ? sources : []) : sources.filter((s) => s.name === values.source);
  if (chosen.length === 0) {
    const known = sources.map((s) => s.name).join(", ") || "none";
    throw new UsageError(
      values.source === undefined
        ? `give --source NAME (sources: ${known})`
        : `no source ${JSON.stringify(values.source)} in database.yaml (sources: ${known})`,
      "db",
    );
  }

  let own: Db | null = null;
  try {
    if (chosen.some((s) => s.urlEnv === null) && env.DATABASE_URL) own = await openPostgres(env.DATABASE_URL, { max: 2 });
    for (const source of chosen) {
      const conn = await openSource(source, env, own, { max: 2 });
      try {
        if (verb === "install") io.out(JSON.stringify(await installCapture(conn.db, source, randomUUID), null, 2));
        else if (verb === "status") io.out(JSON.stringify(await captureStatus(conn.db, source), null, 2));
        else if (verb === "uninstall") {
          const r = await uninstallCapture(conn.db, source, { force: values.force === true });
          io.out(JSON.stringify(r, null, 2));
          if (!r.schemaDropped && r.undelivered > 0)
            io.err(
              `hookline db uninstall: capture stopped, but ${r.undelivered} captured change(s) wait for delivery: the log in ${r.captureSchema} stays until a server delivers them (run uninstall again then), or --force discards them`,
            );
        } else {
          if (!values.table || !values.key?.length)
            throw new UsageError("invoke needs --table NAME and --key COLUMN=VALUE (once per key column)", "db");
          const key: Record<string, string> = {};
          for (const kv of values.key) {
            const at = kv.indexOf("=");
            if (at <= 0) throw new UsageError(`--key ${JSON.stringify(kv)}: expected COLUMN=VALUE`, "db");
            key[kv.slice(0, at)] = kv.slice(at + 1);
          }
          const r = await invokeRow(conn.db, source, { schema: values.schema ?? "public", table: values.table, key });
          io.out(JSON.stringify({ source: source.name, log_id: r.logId, event_id: r.eventId }));
        }
      } finally {
        await conn.close();
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (
      err instanceof DatabaseSourceError ||
      (typeof (err as { code?: unknown }).code === "string" && String((err as { code: string }).code).startsWith("HOOKLINE_"))
    ) {
      const e = err as DatabaseSourceError;
      for (const p of e.problems ?? []) io.err(`  ${p}`);
      io.err(`hookline db ${verb}: ${e.code}: ${e.message}`);
      const docs = docsOf(e.code);
      if (docs !== undefined) io.err(`See ${docs}.`);
      return EXIT.invalid;
    }
    throw err;
  } finally {
    await own?.close();
  }
}
