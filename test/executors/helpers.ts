import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { ActionSpec, Automation } from "../../src/automations/types.js";
import { ACTION_DEFAULTS } from "../../src/automations/types.js";
import type { Firing } from "../../src/engine/types.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { createFetchHttpPort, gitHubPortFrom, createMailPort, createSlackPort } from "../../src/adapters/index.js";
import { getOctokit } from "@actions/github";
import type { ActionPorts, Invocation, SlackThread } from "../../src/executors/index.js";

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** never answer (for time-outs) */
  hang?: boolean;
}
export type Handler = (req: Recorded, n: number) => Reply;

export interface TestServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const rec: Recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json };
      requests.push(rec);
      const reply = handler(rec, requests.length);
      if (reply.hang) return;
      const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
        ...reply.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpMessage {
  from: string;
  to: string[];
  data: string;
}

/**
 * Just enough SMTP for nodemailer: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, QUIT. `rcptCode` lets a test refuse
 * recipients; `connections()` counts the connections it accepted (the egress tests: none).
 */
export async function startSmtp(
  options: { rcptCode?: number } = {},
): Promise<{ url: string; messages: SmtpMessage[]; connections(): number; close(): Promise<void> }> {
  const messages: SmtpMessage[] = [];
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    let buffer = "";
    let inData = false;
    let current: SmtpMessage = { from: "", to: [], data: "" };
    socket.write("220 localhost ESMTP test\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push(current);
          current = { from: "", to: [], data: "" };
          socket.write("250 OK queued\r\n");
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === "EHLO") socket.write("250-localhost\r\n250 8BITMIME\r\n");
        else if (cmd === "HELO") socket.write("250 localhost\r\n");
        else if (cmd === "MAIL") {
          current.from = line
            .replace(/^MAIL FROM:\s*/i, "")
            .replace(/[<>]/g, "")
            .split(" ")[0]!;
          socket.write("250 OK\r\n");
        } else if (cmd === "RCPT") {
          if (options.rcptCode) socket.write(`${options.rcptCode} no such user\r\n`);
          else {
            current.to.push(line.replace(/^RCPT TO:\s*/i, "").replace(/[<>]/g, ""));
            socket.write("250 OK\r\n");
          }
        } else if (cmd === "DATA") {
          inData = true;
          socket.write("354 go ahead\r\n");
        } else if (cmd === "QUIT") {
          socket.end("221 bye\r\n");
        } else socket.write("250 OK\r\n");
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const NOW = Date.parse("2024-05-01T12:00:05.000Z");

export function fakeClock(random = 0.5) {
  const sleeps: number[] = [];
  return { sleeps, clock: { now: () => NOW, sleep: async (ms: number) => void sleeps.push(ms), random: () => random } };
}

export function runEvent(state = "Failed", overrides: Partial<HooklineEvent> = {}): HooklineEvent {
  return {
    id: "3f1c2b9e-5d4a-4c3b-9a8f-0e1d2c3b4a59",
    occurred: "2024-05-01T12:00:00.000Z",
    event: `github.workflow-run.${state}`,
    resource: {
      "prefect.resource.id": "github.workflow-run.123",
      "prefect.resource.name": "CI",
      "github.state": state,
      "github.repository": "acme/app",
      "github.branch": "feature/x",
    },
    related: [
      {
        "prefect.resource.id": "github.repository.acme/app",
        "prefect.resource.role": "repository",
        "github.repository": "acme/app",
        "github.default_branch": "main",
      },
    ],
    payload: { workflow_run: { id: 123, name: "CI", conclusion: state === "Failed" ? "failure" : null, run_number: 7 } },
    follows: null,
    ...overrides,
  };
}

export function firingOf(event: HooklineEvent | null, id = "firing-1"): Firing {
  return {
    id,
    automation: "ci-alerts",
    state: "Triggered",
    at: "2024-05-01T12:00:00.000Z",
    triggering_event: event,
    labels: {},
    child_firings: [],
    events: event ? [event] : [],
  };
}

export function actionOf(type: ActionSpec["type"], params: Record<string, unknown>, common: Partial<ActionSpec> = {}): ActionSpec {
  return { type, params, only_states: null, ignore_states: null, ...ACTION_DEFAULTS, ...common };
}

export function invocationOf(action: ActionSpec, event: HooklineEvent | null = runEvent(), index = 0, firingId = "firing-1"): Invocation {
  const firing = firingOf(event, firingId);
  const automation: Automation = {
    name: "ci-alerts",
    description: "",
    enabled: true,
    trigger: {
      type: "event",
      match: {},
      match_related: [],
      after: [],
      expect: [],
      for_each: [],
      posture: "Reactive",
      threshold: 1,
      within: 0,
      repeat: null,
    },
    actions: [action],
    actions_on_trigger: [],
    actions_on_resolve: [],
  };
  return { firing, automation, index, action, idempotencyKey: `${firing.id}:${index}` };
}

export function memoryThreads() {
  const map = new Map<string, SlackThread>();
  return { map, store: { get: async (k: string) => map.get(k), set: async (k: string, t: SlackThread) => void map.set(k, t) } };
}

export function portsFor(opts: { github?: string; slack?: string; env?: Record<string, string> } = {}, random = 0.5) {
  const { sleeps, clock } = fakeClock(random);
  const paused: [string, boolean][] = [];
  const threads = memoryThreads();
  const ports: ActionPorts = {
    ...(opts.github ? { github: gitHubPortFrom(getOctokit("ghs_test", { baseUrl: opts.github }), () => NOW) } : {}),
    ...(opts.slack ? { slack: createSlackPort({ slackApiUrl: `${opts.slack}/api/` }) } : {}),
    http: createFetchHttpPort(),
    mail: createMailPort(),
    pauses: { setPaused: async (name, p) => void paused.push([name, p]) },
    threads: threads.store,
    env: opts.env ?? {},
    clock,
    repository: { owner: "acme", repo: "app" },
  };
  return { ports, sleeps, paused, threads: threads.map };
}
