/**
 * Real HTTP servers on 127.0.0.1 standing in for the GitHub API and Slack's Web API, for runs of dist/index.js.
 * GitHub: workflow dispatches, `GET /repos/{o}/{r}`, the run's jobs, the contents of workspace-less reads; every
 * other request (the Git Data API of refs/hookline/state) goes to the store tests' fake Git server.
 * Slack: chat.postMessage / chat.update, form or JSON bodies, answering ok with increasing `ts`.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";
import { startFakeGitServer, type FakeGitServer } from "../store/fake-git-server.js";

export const OWNER = "octo-org";
export const REPO = "octo-repo";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: any;
}

async function readBody(req: IncomingMessage): Promise<{ raw: string; parsed: any }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return { raw, parsed: undefined };
  if (String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    return { raw, parsed: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { raw, parsed: JSON.parse(raw) };
  } catch {
    return { raw, parsed: raw };
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const closeServer = (server: Server) => new Promise<void>((res) => server.close(() => res()));

export interface FakeGitHub {
  url: string;
  git: FakeGitServer;
  requests: Recorded[];
  /** answers of GET .../actions/runs/{id}/jobs, by run id */
  jobs: Map<string, unknown[]>;
  /** state.json of refs/hookline/state, parsed, or undefined when there is no ref */
  state(): any;
  /** requests to the state ref (Git Data API and contents at a commit) */
  stateCalls(): Recorded[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const git = await startFakeGitServer(OWNER, REPO);
  const requests: Recorded[] = [];
  const jobs = new Map<string, unknown[]>();
  const prefix = `/repos/${OWNER}/${REPO}`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const { raw, parsed } = await readBody(req);
    const rec: Recorded = { method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body: parsed };
    requests.push(rec);
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const p = url.pathname;
    if (req.method === "POST" && /\/actions\/workflows\/[^/]+\/dispatches$/.test(p)) return send(204);
    if (req.method === "GET" && p === prefix) return send(200, { full_name: `${OWNER}/${REPO}`, default_branch: "main" });
    const m = /\/actions\/runs\/(\d+)\/jobs$/.exec(p);
    if (req.method === "GET" && m)
      return jobs.has(m[1]!)
        ? send(200, { total_count: jobs.get(m[1]!)!.length, jobs: jobs.get(m[1]!) })
        : send(404, { message: "Not Found" });
    // everything else: the Git Data API of the state ref
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v;
    // the fake Git server accepts `token token`; the Action runs with `github-token: test-token`
    if (headers.authorization === "token test-token") headers.authorization = "token token";
    const init: RequestInit = { method: req.method ?? "GET", headers };
    if (raw !== "") init.body = raw;
    const answer = await fetch(`${git.baseUrl}${url.pathname}${url.search}`, init);
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const url = await listen(server);
  return {
    url,
    git,
    requests,
    jobs,
    state: () => {
      const text = git.readRaw("refs/hookline/state");
      return text === undefined ? undefined : JSON.parse(text);
    },
    stateCalls: () => requests.filter((r) => r.path.includes("/git/") || r.path.includes("/contents/state.json")),
    close: async () => {
      await closeServer(server);
      await git.close();
    },
  };
}

export interface FakeSlack {
  /** slack-api-url for the Action (ends with /api/) */
  url: string;
  /** an incoming webhook URL on the same server (`method` "webhook" in `calls`), answering `ok` as Slack does */
  webhookUrl: string;
  calls: Array<{ method: string; auth: string | undefined; body: Record<string, any> }>;
  /** answers given (in order) before the normal ones, e.g. a 429 with Retry-After */
  script: Array<{ status: number; headers?: Record<string, string>; body: unknown }>;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: FakeSlack["calls"] = [];
  const script: FakeSlack["script"] = [];
  let ts = 1_700_000_000;
  const server = createServer(async (req, res) => {
    const { parsed } = await readBody(req);
    const path = (req.url ?? "").split("?")[0]!;
    const method = path.startsWith("/services/") ? "webhook" : path.replace(/^\/api\//, "");
    calls.push({ method, auth: req.headers.authorization, body: parsed ?? {} });
    const scripted = script.shift();
    if (scripted) {
      res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
      return res.end(typeof scripted.body === "string" ? scripted.body : JSON.stringify(scripted.body));
    }
    if (method === "webhook") {
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end("ok");
    }
    res.writeHead(200, { "content-type": "application/json" });
    if (method === "chat.postMessage") res.end(JSON.stringify({ ok: true, channel: "C0CIALERTS", ts: `${++ts}.000100` }));
    else if (method === "chat.update") res.end(JSON.stringify({ ok: true, channel: parsed?.channel, ts: parsed?.ts }));
    else res.end(JSON.stringify({ ok: false, error: "unknown_method" }));
  });
  const url = await listen(server);
  return { url: `${url}/api/`, webhookUrl: `${url}/services/T0/B0/secretpart`, calls, script, close: () => closeServer(server) };
}

/** Both stand-ins fresh for each test of the calling `describe`, closed after it; `set` receives them. */
export function withFakeApis(set: (gh: FakeGitHub, slack: FakeSlack) => void): void {
  let running: [FakeGitHub, FakeSlack] | undefined;
  beforeEach(async () => {
    running = [await startFakeGitHub(), await startFakeSlack()];
    set(...running);
  });
  afterEach(async () => {
    if (running) await Promise.all(running.map((s) => s.close()));
    running = undefined;
  });
}
