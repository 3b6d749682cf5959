/**
 * Rig for the durability tests: server processes (the real `hookline serve`, or serve-child.mjs when a test
 * needs a short outbox claim), a slow action target that records every request with its idempotency key,
 * a PostgreSQL database of the test's own, and small API helpers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BIN = join(ROOT, "bin", "hookline.js");
export const CHILD = fileURLToPath(new URL("./serve-child.mjs", import.meta.url));
export const PG_URL = process.env.HOOKLINE_TEST_DATABASE_URL;

const dirs: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function configDir(files: { webhooks?: string; automations?: string }): string {
  const dir = tempDir("hookline-durability-config-");
  writeFileSync(join(dir, "webhooks.yaml"), files.webhooks ?? "webhooks: []\n");
  if (files.automations !== undefined) writeFileSync(join(dir, "automations.yaml"), files.automations);
  return dir;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- server processes

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface Child {
  url: string;
  proc: ChildProcess;
  /** every JSON log line so far */
  logs(): LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (graceful) and wait for the exit */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown code runs */
  crash(): Promise<void>;
}

const children = new Set<ChildProcess>();
/** afterAll: any server a failed test left running */
export async function killChildren(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  children.clear();
}

/** settings of the server that must come from the test only, never from the environment running it */
const NOT_INHERITED = /^(HOOKLINE_|SLACK_|GITHUB_|PORT$|HOST$|DATABASE_URL$|APP_ID$|PRIVATE_KEY|WEBHOOK_SECRET$|LOG_LEVEL$)/;

/**
 * Starts a server process on PORT=0 and resolves with its URL once it logs "ready <url>".
 * `bin: true` runs the real `node bin/hookline.js serve`; otherwise serve-child.mjs (same composition, plus
 * the claim length `lockMs` and the poll interval `pollMs` that the environment cannot set).
 */
export async function startChild(o: {
  configDir: string;
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  bin?: boolean;
  lockMs?: number;
  pollMs?: number;
}): Promise<Child> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (NOT_INHERITED.test(k)) delete env[k];
  Object.assign(env, {
    PORT: "0",
    LOG_LEVEL: "info",
    HOOKLINE_API_TOKEN: API_TOKEN,
    HOOKLINE_CONFIG_DIR: o.configDir,
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : { HOOKLINE_DATA_DIR: o.dataDir ?? "memory://" }),
    ...(o.lockMs !== undefined ? { HOOKLINE_TEST_LOCK_MS: String(o.lockMs) } : {}),
    ...(o.pollMs !== undefined ? { HOOKLINE_TEST_POLL_MS: String(o.pollMs) } : {}),
    ...o.env,
  });
  const args = o.bin ? [BIN, "serve"] : [CHILD];
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  let out = "";
  let err = "";
  const lines: LogLine[] = [];
  proc.stdout!.on("data", (d: Buffer) => {
    out += d.toString("utf8");
    let nl: number;
    while ((nl = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ level: 0, msg: line });
      }
    }
  });
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => {
      children.delete(proc);
      resolve({ code, signal });
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const ready = lines.find((l) => typeof l.msg === "string" && l.msg.startsWith("ready http"));
      if (ready) {
        clearInterval(t);
        resolve(ready.msg.slice("ready ".length));
      }
    }, 20);
    void exited.then((x) => {
      clearInterval(t);
      reject(
        new Error(`server exited (${x.code ?? x.signal}) before it was ready:\n${lines.map((l) => JSON.stringify(l)).join("\n")}\n${err}`),
      );
    });
  });
  return {
    url,
    proc,
    logs: () => lines,
    exited,
    async stop() {
      proc.kill("SIGTERM");
      return exited;
    },
    async crash() {
      proc.kill("SIGKILL");
      await exited;
    },
  };
}

// ---------------------------------------------------------------- the action target

export interface Hit {
  key: string;
  path: string;
  /** Date.now() when the request arrived */
  at: number;
  body: string;
  /** set when the answer was written */
  answeredAt?: number;
}

/** A webhook receiver that answers 204 after `delayMs` (changeable), recording each request's idempotency key. */
export async function slowTarget(delayMs: number) {
  const hits: Hit[] = [];
  const state = { delayMs };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const hit: Hit = {
        key: String(req.headers["idempotency-key"] ?? ""),
        path: req.url ?? "",
        at: Date.now(),
        body: Buffer.concat(chunks).toString("utf8"),
      };
      hits.push(hit);
      setTimeout(() => {
        hit.answeredAt = Date.now();
        res.writeHead(204).end();
      }, state.delayMs);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    state,
    /** how many requests each idempotency key received */
    counts(): Map<string, number> {
      const m = new Map<string, number>();
      for (const h of hits) m.set(h.key, (m.get(h.key) ?? 0) + 1);
      return m;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// ---------------------------------------------------------------- PostgreSQL: a database per test

/** CREATE DATABASE hookline_<random> on HOOKLINE_TEST_DATABASE_URL; `drop()` removes it (after the servers stopped). */
export async function pgDatabase(): Promise<{
  url: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}> {
  const name = `hookline_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_URL!);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

// ---------------------------------------------------------------- API

export interface ApiEvent {
  id: string;
  event: string;
  occurred: string;
  resource: Record<string, string>;
  payload?: Record<string, unknown>;
}

/** The API token every child server gets; API_AUTH is the header that sends it. */
export const API_TOKEN = "durability-api-token-0123456789";
export const API_AUTH = { authorization: `Bearer ${API_TOKEN}` };

export async function postEvent(url: string, event: unknown): Promise<number> {
  const res = await fetch(`${url}/api/events`, {
    method: "POST",
    headers: { "content-type": "application/json", ...API_AUTH },
    body: JSON.stringify(event),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Every stored event whose name matches `name` (a glob), oldest first, through all pages. */
export async function listAll(url: string, name?: string): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const q = new URLSearchParams({ limit: "500" });
    if (name) q.set("name", name);
    if (after) q.set("after", after);
    const res = await fetch(`${url}/api/events?${q}`, { headers: API_AUTH });
    if (res.status !== 200) throw new Error(`GET /api/events: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { events: ApiEvent[]; next: string | null };
    out.push(...page.events);
    if (!page.next || page.events.length === 0) return out;
    after = page.next;
  }
}

/** call-webhook to the target with the default idempotency-key header; `timeout` below the claim when one is given. */
export function forwardAction(targetUrl: string, extra = ""): string {
  return `      - type: call-webhook
        url: ${targetUrl}/hook
        body: { event_id: "{{ event.id }}" }
${extra}`;
}
