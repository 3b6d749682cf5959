/**
 * Local development through a webhook proxy channel (Probot's WEBHOOK_PROXY_URL convention): the server subscribes
 * to a smee.io-style channel (server-sent events) and relays each delivery to its own /api/github/webhooks, where
 * the signature is verified like any delivery's. The channel is a stand-in on 127.0.0.1 speaking smee.io's format:
 * one `data:` line per delivery holding the request's headers and its JSON body.
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, call, cleanupDirs, configDir, waitFor, type Booted } from "./helpers.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
const SECRET = "proxy-webhook-secret";
const subscribers = new Set<ServerResponse>();
const channel = createServer((req, res) => {
  if (req.url !== "/channel-abc123" || req.method !== "GET") return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.write("event: ready\ndata: {}\n\n");
  subscribers.add(res);
  req.on("close", () => subscribers.delete(res));
});
let s: Booted;
let channelUrl: string;

/** What smee.io sends for a delivery GitHub posted to the channel. */
function relay(payload: object, secret: string): string {
  const body = JSON.stringify(payload);
  const delivery = randomUUID();
  const message = {
    "x-github-event": "workflow_run",
    "x-github-delivery": delivery,
    "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/abc123",
    host: "smee.io",
    body: payload,
    query: {},
    timestamp: Date.now(),
  };
  for (const res of subscribers) res.write(`data: ${JSON.stringify(message)}\n\n`);
  return delivery;
}

beforeAll(async () => {
  await new Promise<void>((r) => channel.listen(0, "127.0.0.1", r));
  channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/channel-abc123`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  s = await boot({
    configDir: configDir({ webhooks: "webhooks: []\n" }),
    env: {
      APP_ID: "1",
      PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: "http://127.0.0.1:9/",
      WEBHOOK_PROXY_URL: channelUrl,
      LOG_LEVEL: "silent",
    },
  });
});

afterAll(async () => {
  await s?.server.close();
  for (const res of subscribers) res.end();
  channel.closeAllConnections();
  await new Promise<void>((r) => channel.close(() => r()));
  cleanupDirs();
});

const run = (): Record<string, unknown> => ({
  ...examples.find((x) => x.name === "workflow_run")!.examples.find((e) => e.action === "completed")!,
  installation: { id: 42 },
});
const githubEvents = async () => (await call(`${s.url}/api/events?name=github.*`)).json.events as { id: string; event: string }[];
const relayed = (delivery: string) => s.logs.find((l) => l.route === "/api/github/webhooks" && l.delivery === delivery);

describe("WEBHOOK_PROXY_URL: deliveries relayed from a webhook proxy channel", () => {
  it("the server subscribes to the channel once it is ready", () => {
    expect(subscribers.size).toBe(1);
    expect(s.logs.some((l) => l.webhookProxy === channelUrl && l.target === `${s.url}/api/github/webhooks`)).toBe(true);
  });

  it("a signed workflow_run delivery on the channel is verified and stored as a github.workflow-run.* event", async () => {
    const delivery = relay(run(), SECRET);
    const stored = await waitFor("the relayed event", async () => {
      const events = await githubEvents();
      return events.length === 1 ? events : undefined;
    });
    expect(stored[0]!.event).toMatch(/^github\.workflow-run\./);
    await waitFor("the request's log line", () => relayed(delivery));
    expect(relayed(delivery)!.status).toBe(200);
  });

  it("anyone can post to a public channel: a delivery without the App's signature is refused and not stored", async () => {
    const delivery = relay({ ...run(), workflow_run: { ...(run().workflow_run as object), id: 999 } }, "not-the-secret");
    const line = await waitFor("the refused request's log line", () =>
      s.logs.find((l) => l.route === "/api/github/webhooks" && typeof l.status === "number" && l.status >= 400),
    );
    expect(line.status).toBe(401);
    expect(await githubEvents()).toHaveLength(1);
    expect(relayed(delivery)).toBeUndefined();
  });
});
