/**
 * A real Bolt app behind a real node:http server on 127.0.0.1, signed requests, a local HTTP server standing
 * in for Slack's Web API (and the commands' response_url), a fake GitHub REST API, and the SQL store on
 * in-memory PGlite.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getOctokit } from "@actions/github";
import { runInvocation, type ActionPorts } from "../../src/executors/index.js";
import { createFetchHttpPort, gitHubPortFrom } from "../../src/adapters/index.js";
import { loadAutomations } from "../../src/automations/index.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import type { OctokitLike } from "../../src/adapters/git-ref-store.js";
import type { ServerStore } from "../../src/store/server-types.js";
import { createSqlStore, migrate } from "../../src/store/sql/index.js";
import { openDatabase } from "../../src/adapters/index.js";
import { createFakeStore } from "../server/work/fake-store.js";
import { createPauseTargets, createSlackBot, parseSlackPolicy, type SlackBot, type SlackPolicy } from "../../bots/slack/index.js";
import type { ScopeConfig } from "../../bots/server/work/types.js";

export const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const TOKEN = "xoxb-test-token";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** JSON body, or the form fields (Slack's WebClient posts forms; `blocks` arrives as a JSON string) */
  args: Record<string, unknown>;
}

export interface Recorder {
  url: string;
  requests: Recorded[];
  /** requests answered so far (with `delayMs`, answers come that long after the request) */
  answered(): number;
  close(): Promise<void>;
}

export async function startRecorder(handler: (req: Recorded) => { status?: number; body?: unknown }, delayMs = 0): Promise<Recorder> {
  const requests: Recorded[] = [];
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let args: Record<string, unknown> = {};
      try {
        args = body.trim().startsWith("{") ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
      } catch {
        args = {};
      }
      const rec: Recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, args };
      requests.push(rec);
      const reply = handler(rec);
      const answer = () => {
        answered++;
        res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sign(body: string, timestampSec: number, secret = SECRET): Record<string, string> {
  const sig = createHmac("sha256", secret).update(`v0:${timestampSec}:${body}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestampSec), "x-slack-signature": `v0=${sig}` };
}

export const nowSec = () => Math.floor(Date.now() / 1000);

/** Polls until `fn` returns a value (not undefined/false); fails after ~10 s. */
export async function waitFor<T>(fn: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const AUTOMATIONS_APP = `
automations:
  - name: deploy-alerts
    description: tell ops when a deploy fails
    trigger:
      type: event
      match: { "prefect.resource.id": "github.workflow-run.*" }
      expect: ["github.workflow-run.Failed"]
    actions:
      - type: do-nothing
  - name: nightly
    trigger:
      type: event
      expect: ["github.push"]
    actions:
      - type: do-nothing
`;
export const AUTOMATIONS_SERVER = `
automations:
  - name: nightly
    trigger:
      type: event
      expect: ["mainframe.done"]
    actions:
      - type: do-nothing
  - name: reconciliation-watch
    trigger:
      type: event
      expect: ["recon.done"]
    actions:
      - type: do-nothing
`;

function config(text: string, file: string): ScopeConfig {
  const loaded = loadAutomations(text, file);
  if (!loaded.config) throw new Error(loaded.problems.map((p) => p.message).join("; "));
  return { config: loaded.config, version: file };
}

export const CONFIGS: Record<string, ScopeConfig> = {
  server: config(AUTOMATIONS_SERVER, "server/automations.yaml"),
  "repo:acme/app": config(AUTOMATIONS_APP, "acme/app/.github/automations.yaml"),
};

export function policyOf(yaml: string): SlackPolicy {
  const { policy, problems } = parseSlackPolicy(yaml, "/etc/hookline/slack.yaml");
  if (!policy) throw new Error(problems.map((p) => `${p.line}:${p.col} ${p.message}`).join("; "));
  return policy;
}

export const POLICY = `
rules:
  - allow: [pause, resume, rerun, cancel]
    scopes: ["repo:acme/*"]
    users: [UOPS1]
  - allow: [pause, resume]
    scopes: ["server"]
    user_groups: [SONCALL]
    channels: [COPS]
`;

/** the SQL store on in-memory PGlite (`sql`), or the workers' in-memory fake with the same semantics (quicker) */
export async function openStore(sql: boolean): Promise<ServerStore> {
  let store: ServerStore;
  if (sql) {
    const db = await openDatabase({});
    await migrate(db);
    store = createSqlStore(db);
  } else store = createFakeStore({ clock: () => Date.now() });
  // make both scopes known to the store (the GitHub App's first delivery does this in the server)
  const seed: HooklineEvent = {
    id: "0b0c0d0e-0000-4000-8000-000000000001",
    occurred: "2024-05-01T00:00:00.000Z",
    event: "github.push",
    resource: { "prefect.resource.id": "github.repository.acme/app" },
    related: [],
    payload: {},
    follows: null,
  };
  await store.ingest([{ event: seed, scopes: ["server", "repo:acme/app"], origin: { kind: "api", name: "test" } }]);
  // the SQL store knows a scope from its first queued event; the fake from its first evaluation
  if (!sql)
    for (const scope of ["server", "repo:acme/app"]) {
      await store.evaluateScope(scope, Date.now(), 10, () => ({
        state: { version: 1 },
        configVersion: null,
        nextDeadline: null,
        firings: [],
        outbox: [],
        events: [],
      }));
    }
  return store;
}

export interface Harness {
  url: string;
  bot: SlackBot;
  store: ServerStore;
  slack: Recorder;
  github: Recorder;
  logs: { level: string; obj: object; msg?: string }[];
  /** POST a signed body to /slack/events */
  post(
    body: string,
    opts?: { headers?: Record<string, string>; contentType?: string; timestamp?: number; sign?: boolean },
  ): Promise<{ status: number; text: string }>;
  /** a signed /hookline command; resolves with the response_url answer */
  command(
    text: string,
    who?: { user?: string; channel?: string; team?: string },
  ): Promise<{ status: number; answer: Record<string, unknown> | undefined }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  policy?: string;
  /** user group id -> members */
  groups?: Record<string, string[]>;
  /** repositories using the Action: their octokit (the fake Git Data API) */
  gitHubFor?(fullName: string): Promise<OctokitLike | null>;
  actionRepositories?: string[];
  /** answer of the fake GitHub API */
  githubReply?: (req: Recorded) => { status?: number; body?: unknown };
  /** run on the SQL store (PGlite) instead of the in-memory fake */
  sql?: boolean;
  /** the Slack stand-in answers every request this many ms late (a slow Slack API) */
  slackDelayMs?: number;
}

let respondSeq = 0;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const groups = opts.groups ?? {};
  const slack: Recorder = await startRecorder((req) => {
    if (req.path === "/api/auth.test") return { body: { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" } };
    if (req.path === "/api/chat.postMessage")
      return { body: { ok: true, channel: "CALERTS", ts: `1714560000.${String(slack.requests.length).padStart(6, "0")}` } };
    if (req.path === "/api/chat.update") return { body: { ok: true, channel: req.args.channel, ts: req.args.ts } };
    if (req.path === "/api/usergroups.users.list") {
      const g = String(req.args.usergroup);
      return groups[g] ? { body: { ok: true, users: groups[g] } } : { body: { ok: false, error: "no_such_subteam" } };
    }
    if (req.path.startsWith("/respond/")) return { body: { ok: true } };
    return { body: { ok: false, error: "unknown_method" } };
  }, opts.slackDelayMs ?? 0);
  const github = await startRecorder(opts.githubReply ?? (() => ({ status: 201, body: {} })));
  const store = await openStore(opts.sql ?? false);
  const logs: Harness["logs"] = [];
  const log = {
    info: (obj: object, msg?: string) => void logs.push({ level: "info", obj, msg }),
    warn: (obj: object, msg?: string) => void logs.push({ level: "warn", obj, msg }),
    error: (obj: object, msg?: string) => void logs.push({ level: "error", obj, msg }),
  };
  const ports = (scope: string): ActionPorts => ({
    github: gitHubPortFrom(getOctokit("ghs_installation", { baseUrl: github.url }), Date.now),
    http: createFetchHttpPort(),
    env: {},
    clock: { now: () => Date.now(), sleep: async () => undefined, random: () => 0.5 },
    repository: scope.startsWith("repo:")
      ? { owner: scope.slice(5).split("/")[0]!, repo: scope.slice(5).split("/")[1]! }
      : { owner: "acme", repo: "ops" },
  });
  const bot = createSlackBot({
    signingSecret: SECRET,
    token: TOKEN,
    slackApiUrl: `${slack.url}/api/`,
    store,
    policy: policyOf(opts.policy ?? POLICY),
    targets: createPauseTargets({
      store,
      ...(opts.gitHubFor ? { gitHubFor: opts.gitHubFor } : {}),
      ...(opts.actionRepositories ? { actionRepositories: opts.actionRepositories } : {}),
      update: { sleep: async () => undefined },
    }),
    executeAction: (scope, inv) => runInvocation(inv, {}, ports(scope)),
    configOf: async (scope) => CONFIGS[scope] ?? null,
    log,
    clock: { now: () => Date.now() },
  });
  const server = createServer((req, res) => void bot.requestListener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function post(
    body: string,
    o: { headers?: Record<string, string>; contentType?: string; timestamp?: number; sign?: boolean } = {},
  ) {
    const headers: Record<string, string> = {
      "content-type": o.contentType ?? "application/x-www-form-urlencoded",
      ...(o.sign === false ? {} : sign(body, o.timestamp ?? nowSec())),
      ...o.headers,
    };
    const res = await fetch(`${url}/slack/events`, { method: "POST", headers, body });
    return { status: res.status, text: await res.text() };
  }

  async function command(text: string, who: { user?: string; channel?: string; team?: string } = {}) {
    const path = `/respond/${++respondSeq}`;
    const form = new URLSearchParams({
      token: "legacy",
      team_id: who.team ?? "T1",
      team_domain: "acme",
      channel_id: who.channel ?? "CGENERAL",
      channel_name: "general",
      user_id: who.user ?? "UOPS1",
      user_name: "someone",
      command: "/hookline",
      text,
      api_app_id: "A1",
      response_url: `${slack.url}${path}`,
      trigger_id: `trigger-${respondSeq}`,
    }).toString();
    const res = await post(form);
    if (res.status !== 200) return { status: res.status, answer: undefined };
    const answer = await waitFor(() => slack.requests.find((r) => r.path === path), `the answer to /hookline ${text}`);
    return { status: res.status, answer: answer.args };
  }

  return {
    url,
    bot,
    store,
    slack,
    github,
    logs,
    post,
    command,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await slack.close();
      await github.close();
      await store.close();
    },
  };
}

export function octokitFor(baseUrl: string): OctokitLike {
  return getOctokit("token", { baseUrl }) as unknown as OctokitLike;
}
