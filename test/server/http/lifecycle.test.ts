import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { readServerConfig } from "../../../bots/server/config.js";
import { startServer } from "../../../bots/server/main.js";
import { exitOnSignals } from "../../../bots/server/signals.js";
import { type Db } from "../../../src/store/sql/index.js";
import { openPglite } from "../../../src/adapters/index.js";
import { TS_WORKER_EXEC_ARGV } from "../../support/ts-worker.js";
import { boot, call, cleanupDirs, configDir, event, tempDir, TEST_API_TOKEN } from "./helpers.js";

afterAll(() => cleanupDirs());

const WEBHOOKS = `webhooks:
  - slug: orders
    auth: none
    template:
      event: "acme.order.{{ body.action }}"
      resource: { prefect.resource.id: "acme.order.{{ body.id }}" }
`;

describe("durability and graceful shutdown", () => {
  it("202 means stored: an in-flight request finishes during close, and a restart on the same data folder has both events", async () => {
    const dataDir = tempDir("hookline-data-");
    const dir = configDir({ webhooks: WEBHOOKS });
    const first = await boot({ configDir: dir, dataDir });
    const e = event({ event: "life.durable.posted" });
    expect((await call(`${first.url}/api/events`, { json: e })).status).toBe(202);

    // a request whose body is still arriving when close() starts
    const body = JSON.stringify({ action: "created", id: "in-flight" });
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${first.url}/hooks/orders`,
        { method: "POST", headers: { "content-type": "application/json", "content-length": String(body.length) } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.on("socket", (sock) => sock.once("connect", () => setTimeout(connected, 100)));
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    // close() starts once the connection is open and the first bytes are sent (on a busy machine that can take a while)
    await isConnected;
    const closing = first.server.close();
    const answered = await answer;
    expect(answered.status).toBe(202);
    const id = JSON.parse(answered.text).id as string;
    await closing;
    // no new connections once closed
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    expect(first.logs.some((l) => l.msg === "stopped")).toBe(true);

    const second = await boot({ configDir: dir, dataDir });
    try {
      const listed = (await call(`${second.url}/api/events?limit=50`)).json.events.map((x: { id: string }) => x.id);
      expect(listed).toEqual(expect.arrayContaining([e.id, id]));
    } finally {
      await second.server.close();
    }
  });

  it("/readyz is 503 (and the API says not ready) until the database is open and migrated; /healthz answers meanwhile", async () => {
    let open!: (db: Db) => void;
    const dbPromise = new Promise<Db>((r) => (open = r));
    let url = "";
    const config = readServerConfig({
      PORT: "0",
      HOOKLINE_CONFIG_DIR: configDir({ webhooks: WEBHOOKS }),
      HOOKLINE_DATA_DIR: "memory://",
      HOOKLINE_API_TOKEN: TEST_API_TOKEN,
    });
    const started = startServer(config, {
      log: pino({ level: "silent" }),
      openDb: () => dbPromise,
      onListening: (u) => (url = u),
      workers: { pollMs: 25 },
      templates: { execArgv: TS_WORKER_EXEC_ARGV },
    });
    while (!url) await new Promise((r) => setTimeout(r, 10));
    expect((await call(`${url}/healthz`)).status).toBe(200);
    const before = await call(`${url}/readyz`);
    expect(before.status).toBe(503);
    expect(before.json.checks).toMatchObject({ database: "opening", migrations: "pending", workers: "stopped" });
    const api = await call(`${url}/api/events`, { json: event() });
    expect(api.status).toBe(503);
    expect(api.json.error.code).toBe("HOOKLINE_NOT_READY");
    expect(api.headers.get("retry-after")).toBe("1"); // the console retries its reads after it
    open(await openPglite(undefined));
    const server = await started;
    try {
      const after = await call(`${url}/readyz`);
      expect(after.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("a database that cannot be opened fails the start, and the port is released", async () => {
    const config = readServerConfig({ PORT: "0", HOOKLINE_CONFIG_DIR: configDir({ webhooks: WEBHOOKS }) });
    let url = "";
    await expect(
      startServer(config, {
        log: pino({ level: "silent" }),
        openDb: () => Promise.reject(Object.assign(new Error("no db"), { code: "HOOKLINE_DB_UNREACHABLE" })),
        onListening: (u) => (url = u),
      }),
    ).rejects.toThrow("no db");
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("without GitHub App credentials /api/github/webhooks is 503 naming the missing variables", async () => {
    const s = await boot({ configDir: configDir({ webhooks: WEBHOOKS }) });
    try {
      const r = await call(`${s.url}/api/github/webhooks`, { json: {} });
      expect(r.status).toBe(503);
      expect(r.json.error).toMatchObject({
        code: "HOOKLINE_GITHUB_APP_NOT_CONFIGURED",
        missing: ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"],
      });
      expect(s.logs.filter((l) => String(l.msg).includes("wait for APP_ID"))).toHaveLength(1);
    } finally {
      await s.server.close();
    }
  });

  it("the first SIGTERM closes gracefully and exits 0; a second signal exits at once", async () => {
    const exits: number[] = [];
    let release!: () => void;
    const close = () => new Promise<void>((r) => (release = r));
    const log = { info() {}, warn() {}, error() {} };
    const off = exitOnSignals(close, log, (c) => exits.push(c));
    try {
      process.emit("SIGTERM", "SIGTERM");
      expect(exits).toEqual([]);
      process.emit("SIGINT", "SIGINT");
      expect(exits).toEqual([130]);
      release();
      await new Promise((r) => setTimeout(r, 10));
      expect(exits).toEqual([130, 0]);
    } finally {
      off();
    }
  });
});

describe("configuration", () => {
  it("defaults: port 8080 on 127.0.0.1, PGlite in .hookline/data, the embedded example, no token, no App", () => {
    const c = readServerConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: null,
      configDirIsExample: true,
      apiToken: null,
      githubApp: null,
      logLevel: "info",
    });
    expect(c.dataDir.endsWith(".hookline/data")).toBe(true);
    expect(c.configDir.endsWith("examples/webhooks/")).toBe(true);
    expect(c.instance).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
  });

  it("flags win over the environment", () => {
    const dir = configDir({});
    const c = readServerConfig({ PORT: "1", HOST: "0.0.0.0" }, { port: "9999", host: "::1", configDir: dir, dataDir: "/tmp/x" });
    expect(c).toMatchObject({ port: 9999, host: "::1", configDir: dir, dataDir: "/tmp/x", configDirIsExample: false });
  });

  const codeOf = (env: Record<string, string>) => {
    try {
      readServerConfig(env);
      return null;
    } catch (err) {
      return (err as { code: string; message: string }).code;
    }
  };

  it("bad values are errors with a stable code", () => {
    expect(codeOf({ PORT: "80a" })).toBe("HOOKLINE_CONFIG_BAD_PORT");
    expect(codeOf({ PORT: "70000" })).toBe("HOOKLINE_CONFIG_BAD_PORT");
    expect(codeOf({ HOST: "bad host;rm" })).toBe("HOOKLINE_CONFIG_BAD_HOST");
    expect(codeOf({ DATABASE_URL: "mysql://x" })).toBe("HOOKLINE_CONFIG_BAD_DATABASE_URL");
    expect(codeOf({ HOOKLINE_CONFIG_DIR: "/nonexistent/hookline" })).toBe("HOOKLINE_CONFIG_DIR_MISSING");
    expect(codeOf({ HOOKLINE_API_TOKEN: "short" })).toBe("HOOKLINE_CONFIG_WEAK_API_TOKEN");
    expect(codeOf({ LOG_LEVEL: "loud" })).toBe("HOOKLINE_CONFIG_BAD_LOG_LEVEL");
    expect(codeOf({ HOOKLINE_GITHUB_REPOSITORY: "just-a-name" })).toBe("HOOKLINE_CONFIG_BAD_REPOSITORY");
    expect(codeOf({ GITHUB_API_URL: "ftp://x" })).toBe("HOOKLINE_CONFIG_BAD_URL");
    for (const v of ["0", "4", "3601", "2m", "-5"])
      expect(codeOf({ HOOKLINE_CLAIM_SECONDS: v }), v).toBe("HOOKLINE_CONFIG_BAD_CLAIM_SECONDS");
  });

  it("HOOKLINE_RETENTION_DAYS sets how long rows are kept (default 30 days; 0: forever); anything else stops the start", () => {
    expect(readServerConfig({}).retentionMs).toBe(30 * 86_400_000);
    expect(readServerConfig({ HOOKLINE_RETENTION_DAYS: "7" }).retentionMs).toBe(7 * 86_400_000);
    expect(readServerConfig({ HOOKLINE_RETENTION_DAYS: "0" }).retentionMs).toBeNull();
    for (const v of ["-1", "3651", "1.5", "7d", "30 days"])
      expect(codeOf({ HOOKLINE_RETENTION_DAYS: v }), v).toBe("HOOKLINE_CONFIG_BAD_RETENTION_DAYS");
  });

  it("HOOKLINE_CLAIM_SECONDS sets how long an action claim lasts (default 120 s)", () => {
    expect(readServerConfig({}).claimMs).toBe(120_000);
    expect(readServerConfig({ HOOKLINE_CLAIM_SECONDS: "15" }).claimMs).toBe(15_000);
  });

  it("HOOKLINE_TEMPLATE_TIMEOUT_MS and HOOKLINE_TEMPLATE_WORKERS size the template pool (default 1000 ms, 2); anything else stops the start", () => {
    expect(readServerConfig({})).toMatchObject({ templateTimeoutMs: 1_000, templateWorkers: 2 });
    expect(readServerConfig({ HOOKLINE_TEMPLATE_TIMEOUT_MS: "250", HOOKLINE_TEMPLATE_WORKERS: "4" })).toMatchObject({
      templateTimeoutMs: 250,
      templateWorkers: 4,
    });
    for (const v of ["0", "49", "10001", "1s", "-1"])
      expect(codeOf({ HOOKLINE_TEMPLATE_TIMEOUT_MS: v }), v).toBe("HOOKLINE_CONFIG_BAD_TEMPLATE_TIMEOUT_MS");
    for (const v of ["0", "17", "two"]) expect(codeOf({ HOOKLINE_TEMPLATE_WORKERS: v }), v).toBe("HOOKLINE_CONFIG_BAD_TEMPLATE_WORKERS");
  });

  it("the GitHub App needs all three of APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, and a PEM key", () => {
    expect(codeOf({ APP_ID: "1" })).toBe("HOOKLINE_CONFIG_GITHUB_APP_INCOMPLETE");
    try {
      readServerConfig({ APP_ID: "1", WEBHOOK_SECRET: "s" });
    } catch (err) {
      expect((err as Error).message).toContain("missing: PRIVATE_KEY (or PRIVATE_KEY_PATH)");
    }
    expect(codeOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY: "not a key" })).toBe("HOOKLINE_CONFIG_BAD_PRIVATE_KEY");
    expect(
      codeOf({ APP_ID: "abc", WEBHOOK_SECRET: "s", PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----" }),
    ).toBe("HOOKLINE_CONFIG_BAD_APP_ID");
    expect(codeOf({ APP_ID: "1", WEBHOOK_SECRET: "s", PRIVATE_KEY_PATH: "/nonexistent.pem" })).toBe(
      "HOOKLINE_CONFIG_PRIVATE_KEY_UNREADABLE",
    );
    const ok = readServerConfig({
      APP_ID: "12",
      WEBHOOK_SECRET: "s",
      PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----",
    });
    expect(ok.githubApp).toEqual({
      appId: "12",
      webhookSecret: "s",
      privateKey: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
    });
  });

  it("a configuration file with errors fails the start with file:line:col problems", async () => {
    const dir = configDir({
      automations: "automations:\n  - name: x\n    trigger: { type: event, expect: [a.b.c], within: nonsense }\n    actions: []\n",
    });
    const config = readServerConfig({ PORT: "0", HOOKLINE_CONFIG_DIR: dir });
    const err = (await startServer(config, { log: pino({ level: "silent" }) }).then(
      () => ({ code: "started", problems: [] }),
      (e: unknown) => e,
    )) as { code: string; problems: string[] };
    expect(err.code).toBe("HOOKLINE_CONFIG_INVALID");
    expect(err.problems.length).toBeGreaterThan(0);
    expect(err.problems[0]).toMatch(/automations\.yaml:\d+:\d+: /);
  });
});

describe("graceful shutdown with a what-if replay running", () => {
  it("shutdown stops a running what-if replay first: its request answers 503 HOOKLINE_WHAT_IF_CLOSED, not a dropped connection", async () => {
    const marker = join(tempDir("hookline-stuck-"), "started");
    const server = await boot({
      configDir: configDir({
        automations: "automations:\n  - name: n\n    trigger: { expect: a.b }\n    actions: [{ type: do-nothing }]\n",
      }),
      // a worker that never answers: before the fix the replay held close() for the whole grace, then lost its socket
      options: {
        whatIf: { deadlineMs: 60_000, entry: new URL("../../console/stuck-what-if-worker.mjs", import.meta.url), execArgv: [] },
      },
    });
    process.env.HOOKLINE_TEST_STUCK_MARKER = marker; // the worker thread copies the environment when it starts
    const replay = call(`${server.url}/api/what-if`, {
      json: {
        scope: "server",
        since: new Date(Date.now() - 86_400_000).toISOString(),
        until: new Date().toISOString(),
        automations: "automations: []\n",
      },
    });
    await expect.poll(() => existsSync(marker), { timeout: 30_000 }).toBe(true);
    delete process.env.HOOKLINE_TEST_STUCK_MARKER;
    const closed = server.server.close();
    const answer = await replay;
    expect([answer.status, answer.json.error.code]).toEqual([503, "HOOKLINE_WHAT_IF_CLOSED"]);
    await closed;
  });
});
