/** Shared set-up: a throwaway App key, the fake GitHub, a recording store, the App behind a local HTTP server. */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { createGitHubApp, type GitHubApp, type GitHubAppOptions } from "../../bots/app/index.js";
import type { IngestItem, IngestResult, RepositoryRecord, ServerStore } from "../../src/store/server-types.js";
import { FakeGitHub } from "./fake-github.js";

const require = createRequire(import.meta.url);
const EXAMPLES = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, any>[] }[];

/** A deep copy of a webhooks-examples payload of `name` (with `action`, if given), the first that matches. */
export function example(name: string, action?: string, pick: (e: Record<string, any>) => boolean = () => true): Record<string, any> {
  const found = EXAMPLES.find((d) => d.name === name)?.examples.find((e) => (action === undefined || e.action === action) && pick(e));
  if (!found) throw new Error(`no webhooks example ${name}.${action}`);
  return structuredClone(found);
}

export const SECRET = "test-webhook-secret";
export const APP_ID = "4242";
export const INSTALLATION = 77;

export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Only the repositories table is real; every other store call fails the test loudly. */
export function recordingStore(): ServerStore & { repos: Map<string, RepositoryRecord>; upserts: RepositoryRecord[] } {
  const repos = new Map<string, RepositoryRecord>();
  const upserts: RepositoryRecord[] = [];
  const base = {
    repos,
    upserts,
    async getRepository(fullName: string) {
      const r = repos.get(fullName);
      return r ? { ...r } : null;
    },
    async upsertRepository(record: RepositoryRecord) {
      upserts.push({ ...record });
      repos.set(record.fullName, { ...record });
    },
  };
  return new Proxy(base, {
    get(target, prop) {
      if (prop in target) return (target as any)[prop];
      if (prop === "then") return undefined;
      return () => {
        throw new Error(`the GitHub App must not call store.${String(prop)}`);
      };
    },
  }) as any;
}

/** A fake ingest with the store's dedupe contract: each event id stored once. */
export function recordingIngest() {
  const calls: IngestItem[][] = [];
  const ids = new Set<string>();
  let failNext = false;
  let gate: Promise<void> | undefined;
  return {
    calls,
    ids,
    failOnce() {
      failNext = true;
    },
    /** holds every ingest until the returned function is called (a slow database) */
    hold(): () => void {
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
    async ingest(items: IngestItem[]): Promise<IngestResult> {
      calls.push(items);
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error("database down");
      }
      const inserted: string[] = [];
      const duplicates: string[] = [];
      for (const { event } of items) {
        (ids.has(event.id) ? duplicates : inserted).push(event.id);
        ids.add(event.id);
      }
      return { inserted, duplicates };
    },
  };
}

export interface Harness {
  github: FakeGitHub;
  app: GitHubApp;
  store: ReturnType<typeof recordingStore>;
  ingest: ReturnType<typeof recordingIngest>;
  wakes: number;
  logs: { level: string; obj: any; msg?: string }[];
  url: string;
  deliver(
    name: string,
    payload: unknown,
    o?: { delivery?: string; signature?: string | null; body?: string; secret?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let deliveries = 0;

export async function harness(
  o: { env?: Record<string, string | undefined>; now?: () => number; maxBodyBytes?: number; backtest?: GitHubAppOptions["backtest"] } = {},
): Promise<Harness> {
  const github = new FakeGitHub(publicKey, APP_ID);
  await github.start();
  const store = recordingStore();
  const ingest = recordingIngest();
  const logs: Harness["logs"] = [];
  const log = {
    info: (obj: object, msg?: string) => void logs.push({ level: "info", obj, msg }),
    warn: (obj: object, msg?: string) => void logs.push({ level: "warn", obj, msg }),
    error: (obj: object, msg?: string) => void logs.push({ level: "error", obj, msg }),
  };
  const h = { github, store, ingest, logs, wakes: 0 } as Harness;
  h.app = createGitHubApp({
    appId: APP_ID,
    privateKey,
    webhookSecret: SECRET,
    store,
    ingest: ingest.ingest,
    log,
    baseUrl: github.url,
    wake: () => void h.wakes++,
    logLevel: "silent" as any,
    ...(o.env ? { env: o.env } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}),
    ...(o.backtest ? { backtest: o.backtest } : {}),
  });
  const server: Server = createServer((req, res) => {
    void h.app.middleware(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end("not the app's");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h.deliver = async (name, payload, d = {}) => {
    const body = d.body ?? JSON.stringify(payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": d.delivery ?? `delivery-${++deliveries}`,
    };
    if (d.signature !== null) headers["x-hub-signature-256"] = d.signature ?? sign(body, d.secret);
    const res = await fetch(`${h.url}/api/github/webhooks`, { method: "POST", headers, body });
    await h.app.idle();
    return res;
  };
  h.close = async () => {
    await h.app.idle();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await github.stop();
  };
  return h;
}

/** a payload of `name` for repository `fullName` of installation INSTALLATION */
export function forRepo(payload: Record<string, any>, fullName: string, defaultBranch = "main"): Record<string, any> {
  const [owner, name] = fullName.split("/");
  payload.repository = {
    ...(payload.repository ?? {}),
    full_name: fullName,
    name,
    owner: { ...(payload.repository?.owner ?? {}), login: owner },
    default_branch: defaultBranch,
  };
  payload.installation = { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc=" };
  return payload;
}
