/**
 * The egress policy through the server's real worker path (evaluator → outbox worker → executor), with the
 * server's runtime composition in front of a stand-in GitHub App whose ports are UNPOLICED (the worst case):
 * a repository's call-webhook and notifiers never reach loopback, private or link-local addresses, each refusal
 * is a dead action with the rule's code, a failed call's event in a repository scope carries no answer text,
 * and the operator's HOOKLINE_EGRESS_ALLOW and HOOKLINE_EGRESS_SCOPES do what they say. Loopback only: names
 * other than `localhost` go through an injected resolver.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_CODES } from "../../../src/executors/index.js";
import { createFetchHttpPort, createMailPort, EGRESS_CODES, type Resolver } from "../../../src/adapters/index.js";
import { readServerConfig, type EgressSettings } from "../../../bots/server/config.js";
import { createScopeRuntime, type Env } from "../../../bots/server/runtime.js";
import { evaluateOnce, runOutboxOnce, type ScopeRuntime } from "../../../bots/server/work/index.js";
import { startSmtp } from "../../executors/helpers.js";
import { createFakeStore } from "../work/fake-store.js";
import { configOf, ev, T0, testClock, testLog } from "../work/helpers.js";

interface Receiver {
  port: number;
  paths: string[];
  close(): Promise<void>;
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function receiver(host = "127.0.0.1", o: { status?: number; headers?: Record<string, string> } = {}): Promise<Receiver> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? "");
    req.resume();
    res.writeHead(o.status ?? 200, { "content-type": "text/plain", ...o.headers });
    res.end("internal error: shard 7 is full");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return { port: (server.address() as AddressInfo).port, paths, close };
}

const webhookYaml = (url: string) => `automations:
  - name: call
    trigger: {expect: [job.run.done]}
    actions: [{type: call-webhook, url: "${url}", body: {ok: true}, max_retries: 0}]
`;

const emailYaml = `notifiers:
  mail:
    type: email
    to: [ops@example.com]
    smtp_url_env: MAIL_URL
automations:
  - name: tell
    trigger: {expect: [job.run.done]}
    actions: [{type: send-notification, notifier: mail, body: "done", max_retries: 0}]
`;

/** The server's runtime; the stand-in App hands out unpoliced HTTP and mail ports and the whole environment. */
function runtimeFor(yaml: string, o: { env?: Env; egress?: Partial<EgressSettings>; resolve?: Resolver } = {}): ScopeRuntime {
  const env = o.env ?? {};
  const unpoliced = { http: createFetchHttpPort(), mail: createMailPort(), env };
  const app: { runtime: ScopeRuntime } = {
    runtime: {
      configOf: async () => configOf(yaml),
      portsOf: async () => ({ ...unpoliced, repository: { owner: "mallory", repo: "app" } }),
    },
  };
  return createScopeRuntime({
    server: configOf(yaml),
    serverPorts: { ...unpoliced, repository: { owner: "ops", repo: "ops" } },
    app,
    env,
    repoEnvAllow: Object.keys(env),
    egress: { ...o.egress, ...(o.resolve ? { resolve: o.resolve } : {}) },
  });
}

/** Evaluates one event in `scope`, runs its action once; the outbox row and the stored outcome event. */
async function fire(runtime: ScopeRuntime, scope: string) {
  const store = createFakeStore({ clock: () => T0 });
  await store.ingest([{ event: ev("job.run.done", T0), scopes: [scope], origin: { kind: "api", name: "test" } }]);
  expect(await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() })).toBe(1);
  expect(await runOutboxOnce({ store, runtime, instance: "a", clock: testClock(), log: testLog(), lockMs: 60_000 })).toBe(1);
  const firing = (await store.listFirings(scope, null, 1))[0]!;
  const row = await store.getOutbox(`${firing.id}:0`);
  const failed = (await store.listEvents({ name: "hookline.action.failed", limit: 5 })).events.map((e) => e.event);
  return { row, failed };
}

const REPO = "repo:mallory/app";

describe("a repository's call-webhook under the egress policy", () => {
  const cases: Array<[string, (r: Receiver) => string, string]> = [
    ["http://127.0.0.1:<port>", (r) => `http://127.0.0.1:${r.port}/hook`, EGRESS_CODES.loopback],
    ["http://[::1]:<port>", (r) => `http://[::1]:${r.port}/hook`, EGRESS_CODES.loopback],
    ["http://localhost:<port>", (r) => `http://localhost:${r.port}/hook`, EGRESS_CODES.loopback],
    ["http://169.254.169.254/", () => "http://169.254.169.254/latest/meta-data/", EGRESS_CODES.linkLocal],
    ["http://10.0.0.1/", () => "http://10.0.0.1/", EGRESS_CODES.private],
  ];
  for (const [what, url, code] of cases) {
    it(`${what} is refused with ${code} (dead, not retried) and the receiver saw no request`, async () => {
      const r = await receiver(what.includes("::1") ? "::1" : "127.0.0.1");
      const { row, failed } = await fire(runtimeFor(webhookYaml(url(r))), REPO);
      expect(row).toMatchObject({ status: "dead", attempts: 1, lastError: { code } });
      expect(failed[0]?.payload).toMatchObject({ code });
      expect(String(failed[0]?.payload.reason)).toMatch(/^call-webhook \(http:\/\/[^/]+\): the egress policy refuses /);
      expect(r.paths).toEqual([]);
    });
  }

  it("a name whose resolver answers a public address, then loopback (rebinding), is refused on the connection that would reach loopback", async () => {
    // 127.0.0.2 stands in for the public address (allowed for the test): nothing may leave this machine
    const pub = await receiver("127.0.0.2", { headers: { connection: "close" } });
    const answers = ["127.0.0.2", "127.0.0.1"];
    const resolve: Resolver = async () => [{ address: answers.shift() ?? "127.0.0.1", family: 4 }];
    const runtime = runtimeFor(webhookYaml(`http://rebind.example:${pub.port}/hook`), { egress: { allow: ["127.0.0.2"] }, resolve });
    expect((await fire(runtime, REPO)).row).toMatchObject({ status: "done" });
    const { row } = await fire(runtime, REPO);
    expect(row).toMatchObject({ status: "dead", lastError: { code: EGRESS_CODES.loopback } });
    expect(pub.paths).toEqual(["/hook"]);
  });

  it("an allowed target's redirect to loopback is not followed: HOOKLINE_EGRESS_REDIRECT, the loopback receiver saw nothing", async () => {
    const inner = await receiver("127.0.0.1");
    const outer = await receiver("127.0.0.2", { status: 307, headers: { location: `http://127.0.0.1:${inner.port}/admin` } });
    const runtime = runtimeFor(webhookYaml(`http://127.0.0.2:${outer.port}/hook`), { egress: { allow: ["127.0.0.2"] } });
    const { row } = await fire(runtime, REPO);
    expect(row).toMatchObject({ status: "dead", lastError: { code: EGRESS_CODES.redirect } });
    expect(outer.paths).toEqual(["/hook"]);
    expect(inner.paths).toEqual([]);
  });

  it("positive control: with HOOKLINE_EGRESS_ALLOW=127.0.0.1 the same call reaches the local receiver and succeeds", async () => {
    const r = await receiver();
    const { row } = await fire(runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`), { egress: { allow: ["127.0.0.1"] } }), REPO);
    expect(row).toMatchObject({ status: "done" });
    expect(r.paths).toEqual(["/hook"]);
  });

  it("positive control: the receiver's CIDR (127.0.0.0/8) lets http://localhost:<port> through", async () => {
    const r = await receiver();
    const { row } = await fire(runtimeFor(webhookYaml(`http://localhost:${r.port}/hook`), { egress: { allow: ["127.0.0.0/8"] } }), REPO);
    expect(row).toMatchObject({ status: "done" });
    expect(r.paths).toEqual(["/hook"]);
  });
});

describe("response bodies of failed calls never reach a repository scope's events", () => {
  it("a repository's failed call records the status and a fixed text: no answer text in the event or the outbox", async () => {
    const r = await receiver("127.0.0.1", { status: 500 });
    const { row, failed } = await fire(
      runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`), { egress: { allow: ["127.0.0.1"] } }),
      REPO,
    );
    expect(row).toMatchObject({ status: "dead", lastError: { code: ACTION_CODES.http } });
    expect(failed).toHaveLength(1);
    expect(String(failed[0]!.payload.reason)).toMatch(/answered HTTP 500: the answer's text is not recorded/);
    expect(JSON.stringify(failed)).not.toContain("shard 7");
    expect(JSON.stringify(row)).not.toContain("shard 7");
  });

  it("the server's own scope keeps today's excerpt (the operator's configuration)", async () => {
    const r = await receiver("127.0.0.1", { status: 500 });
    const { failed } = await fire(runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`)), "server");
    expect(String(failed[0]!.payload.reason)).toContain("internal error: shard 7 is full");
  });
});

describe("email notifiers (SMTP) under the egress policy", () => {
  it("a repository's SMTP URL on loopback is refused with HOOKLINE_EGRESS_LOOPBACK: the SMTP server saw no connection", async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const { row } = await fire(runtimeFor(emailYaml, { env: { MAIL_URL: smtp.url } }), REPO);
    expect(row).toMatchObject({ status: "dead", lastError: { code: EGRESS_CODES.loopback } });
    expect(smtp.connections()).toBe(0);
  });

  it("the server scope's email to the same SMTP server is delivered (not policed by default)", async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const { row } = await fire(runtimeFor(emailYaml, { env: { MAIL_URL: smtp.url } }), "server");
    expect(row).toMatchObject({ status: "done" });
    expect(smtp.messages).toHaveLength(1);
  });
});

describe("HOOKLINE_EGRESS_SCOPES=all polices the server's own automations too", () => {
  it("the server scope's call-webhook and email to loopback are refused; allowing 127.0.0.1 lets them through", async () => {
    const r = await receiver();
    const smtp = await startSmtp();
    closers.push(smtp.close);
    const env = { MAIL_URL: smtp.url };
    const strict = { scopes: "all" as const };
    expect((await fire(runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`), { egress: strict }), "server")).row).toMatchObject({
      status: "dead",
      lastError: { code: EGRESS_CODES.loopback },
    });
    expect((await fire(runtimeFor(emailYaml, { env, egress: strict }), "server")).row).toMatchObject({
      status: "dead",
      lastError: { code: EGRESS_CODES.loopback },
    });
    expect(r.paths).toEqual([]);
    expect(smtp.connections()).toBe(0);
    const allowed = { ...strict, allow: ["127.0.0.1"] };
    expect((await fire(runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`), { egress: allowed }), "server")).row).toMatchObject({
      status: "done",
    });
    expect((await fire(runtimeFor(emailYaml, { env, egress: allowed }), "server")).row).toMatchObject({ status: "done" });
  });

  it("policed, the server scope still keeps the answer's excerpt in its failure reasons", async () => {
    const r = await receiver("127.0.0.1", { status: 500 });
    const egress = { scopes: "all" as const, allow: ["127.0.0.1"] };
    const { failed } = await fire(runtimeFor(webhookYaml(`http://127.0.0.1:${r.port}/hook`), { egress }), "server");
    expect(String(failed[0]!.payload.reason)).toContain("shard 7 is full");
  });
});

describe("HOOKLINE_EGRESS_ALLOW and HOOKLINE_EGRESS_SCOPES (bots/server/config.ts)", () => {
  const base = { PORT: "0", HOOKLINE_DATA_DIR: "memory://" };

  it("default: nothing allowed, repository scopes policed", () => {
    expect(readServerConfig(base).egress).toEqual({ allow: [], scopes: "repositories" });
  });

  it("reads a comma-separated list of hosts, wildcards, IPs and CIDRs (normalized, repeats dropped) and `all`", () => {
    const egress = readServerConfig({
      ...base,
      HOOKLINE_EGRESS_ALLOW: " hooks.internal, *.Corp.Example,10.0.0.7,,[::1], 10.20.0.0/16,hooks.internal",
      HOOKLINE_EGRESS_SCOPES: "all",
    }).egress;
    expect(egress).toEqual({ allow: ["hooks.internal", "*.Corp.Example", "10.0.0.7", "[::1]", "10.20.0.0/16"], scopes: "all" });
  });

  it("a bad entry is HOOKLINE_CONFIG_BAD_EGRESS_ALLOW naming it and the form to use", () => {
    for (const value of ["https://hooks.example.com", "hooks.example.com:443", "10.0.0.0/40", "*"]) {
      expect(() => readServerConfig({ ...base, HOOKLINE_EGRESS_ALLOW: value }), value).toThrow(
        expect.objectContaining({
          code: "HOOKLINE_CONFIG_BAD_EGRESS_ALLOW",
          message: expect.stringMatching(/HOOKLINE_EGRESS_ALLOW: .* is not/),
        }),
      );
    }
  });

  it("HOOKLINE_EGRESS_SCOPES other than repositories or all is HOOKLINE_CONFIG_BAD_EGRESS_SCOPES", () => {
    for (const value of ["strict", "server", "none", "ALL"]) {
      expect(() => readServerConfig({ ...base, HOOKLINE_EGRESS_SCOPES: value }), value).toThrow(
        expect.objectContaining({ code: "HOOKLINE_CONFIG_BAD_EGRESS_SCOPES" }),
      );
    }
  });
});
