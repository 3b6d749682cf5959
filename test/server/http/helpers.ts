/** Test rig for the server: temp config/data folders, a started server on 127.0.0.1:0, a fake GitHub/webhook target. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { readServerConfig } from "../../../bots/server/config.js";
import { startServer, type RunningServer, type StartOptions } from "../../../bots/server/main.js";
import type { Clock } from "../../../bots/server/work/types.js";
import { TS_WORKER_EXEC_ARGV } from "../../support/ts-worker.js";

const dirs: string[] = [];

export function tempDir(prefix = "hookline-http-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function configDir(files: { webhooks?: string; automations?: string }): string {
  const dir = tempDir("hookline-config-");
  if (files.webhooks !== undefined) writeFileSync(join(dir, "webhooks.yaml"), files.webhooks);
  if (files.automations !== undefined) writeFileSync(join(dir, "automations.yaml"), files.automations);
  return dir;
}

/** A clock the test can move forward: real time plus a skew (timers stay real and short). */
export function skewClock(): Clock & { skew: number; advance(ms: number): void } {
  const c = {
    skew: 0,
    now: () => Date.now() + c.skew,
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 50))),
    random: () => 0.5,
    advance(ms: number) {
      c.skew += ms;
    },
  };
  return c;
}

export interface Booted {
  server: RunningServer;
  url: string;
  logs: Record<string, unknown>[];
}

export async function boot(o: {
  configDir: string;
  dataDir?: string;
  env?: Record<string, string>;
  clock?: Clock;
  options?: Partial<StartOptions>;
}): Promise<Booted> {
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const env = {
    PORT: "0",
    HOOKLINE_CONFIG_DIR: o.configDir,
    HOOKLINE_DATA_DIR: o.dataDir ?? "memory://",
    HOOKLINE_API_TOKEN: TEST_API_TOKEN,
    ...o.env,
  };
  const config = readServerConfig(env);
  const server = await startServer(config, {
    log,
    ...(o.clock ? { now: () => o.clock!.now() } : {}),
    workers: { pollMs: 25, ...(o.clock ? { clock: o.clock } : {}) },
    graceMs: 2000,
    ...o.options,
    // the template worker threads run the TypeScript sources, as this test does
    templates: { execArgv: TS_WORKER_EXEC_ARGV, ...o.options?.templates },
    whatIf: { execArgv: TS_WORKER_EXEC_ARGV, ...o.options?.whatIf },
  });
  return { server, url: server.url, logs };
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server standing in for GitHub's API and webhook receivers: records requests, answers per route. */
export async function fakeTarget(answer: (r: Recorded) => { status: number; body?: unknown } = () => ({ status: 204 })) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(r);
      const a = answer(r);
      res.writeHead(a.status, { "content-type": "application/json" }).end(a.body === undefined ? "" : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The API token boot() gives the server unless the test sets HOOKLINE_API_TOKEN itself. */
export const TEST_API_TOKEN = "test-api-token-0123456789abcdef";

const guardedPath = (url: string) => /^\/(api\/|metrics$)/.test(new URL(url).pathname);

/**
 * One request; /api and /metrics requests carry TEST_API_TOKEN unless the test passes its own `authorization`
 * header (an empty one sends none).
 */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; json?: unknown } = {},
) {
  const given = Object.keys(init.headers ?? {}).some((h) => h.toLowerCase() === "authorization");
  const headers: Record<string, string> = {
    ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
    ...(guardedPath(url) && !given ? { authorization: `Bearer ${TEST_API_TOKEN}` } : {}),
    ...init.headers,
  };
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === "authorization" && v === "") delete headers[k];
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.json !== undefined ? "POST" : "GET"),
    headers,
    body:
      init.json !== undefined
        ? JSON.stringify(init.json)
        : typeof init.body === "string" || init.body === undefined
          ? init.body
          : new Uint8Array(init.body),
  });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Stores `events` through POST /api/events, 100 a request; each request must be accepted (202). */
export async function postEvents(url: string, events: readonly unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100) {
    const r = await call(`${url}/api/events`, { json: { events: events.slice(i, i + 100) } });
    if (r.status !== 202) throw new Error(`POST /api/events answered ${r.status}: ${r.text.slice(0, 300)}`);
  }
}

/** Raw request with node:http (for bodies we stream and requests we cut). */
export function rawRequest(
  url: string,
  o: { method: string; headers: Record<string, string>; write(req: ReturnType<typeof httpRequest>): void },
) {
  return new Promise<{ status: number; body: string; sentWhenAnswered: number }>((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(url, { method: o.method, headers: o.headers });
    const origWrite = req.write.bind(req);
    (req as { write: unknown }).write = (chunk: Buffer, ...rest: unknown[]) => {
      sent += chunk.length;
      return (origWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const answeredAt = sent;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), sentWhenAnswered: answeredAt }),
      );
      res.on("error", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), sentWhenAnswered: answeredAt }),
      );
    });
    // once answered, the server may cut the rest of an upload: that is the point, not an error
    req.on("error", (err) => (answered ? undefined : reject(err)));
    o.write(req);
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const event = (over: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  occurred: new Date().toISOString(),
  event: "test.thing.happened",
  resource: { "prefect.resource.id": "test.thing.1" },
  ...over,
});
