/** The GitHub App mounted in the server: signed deliveries through /api/github/webhooks are stored before the answer. */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, call, cleanupDirs, configDir, fakeTarget, waitFor, type Booted } from "./helpers.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
const SECRET = "app-webhook-secret";
let s: Booted;
let github: Awaited<ReturnType<typeof fakeTarget>>;

beforeAll(async () => {
  github = await fakeTarget((r) =>
    r.url.includes("/access_tokens")
      ? { status: 201, body: { token: "ghs_app", expires_at: new Date(Date.now() + 3600e3).toISOString() } }
      : { status: 404, body: { message: "Not Found" } },
  );
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  s = await boot({
    configDir: configDir({ webhooks: "webhooks: []\n" }),
    env: {
      APP_ID: "1",
      PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: github.url,
      LOG_LEVEL: "silent",
    },
  });
});

afterAll(async () => {
  await s?.server.close();
  await github?.close();
  cleanupDirs();
});

function delivery(id: string, secret = SECRET) {
  const run = examples.find((x) => x.name === "workflow_run")!.examples.find((e) => e.action === "completed")!;
  const body = JSON.stringify({ ...run, installation: { id: 42 } });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "workflow_run",
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
    },
  };
}

const githubEvents = async () => (await call(`${s.url}/api/events?name=github.*`)).json.events as { id: string; event: string }[];

describe("GitHub App webhooks in the server", () => {
  it("a verified delivery is stored before the 2xx; a redelivery is the same event", async () => {
    const d = delivery(randomUUID());
    const r = await call(`${s.url}/api/github/webhooks`, { body: d.body, headers: d.headers });
    expect(r.status).toBeLessThan(300);
    const stored = await githubEvents();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.event).toMatch(/^github\.workflow-run\./);
    await call(`${s.url}/api/github/webhooks`, { body: d.body, headers: d.headers });
    expect(await githubEvents()).toHaveLength(1);
  });

  it("a bad signature is refused and nothing is stored", async () => {
    const d = delivery(randomUUID(), "wrong-secret");
    const r = await call(`${s.url}/api/github/webhooks`, { body: d.body, headers: d.headers });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await githubEvents()).toHaveLength(1);
    const metrics = (await call(`${s.url}/metrics`)).text;
    expect(metrics).toContain('hookline_events_ingested_total{source="github",result="inserted"} 1');
  });

  it("each delivery is one log line: the request's, with the delivery id and the ids of the events it stored", async () => {
    const id = randomUUID();
    const d = delivery(id);
    const r = await call(`${s.url}/api/github/webhooks`, { body: d.body, headers: { ...d.headers, "x-request-id": `req-${id}` } });
    expect(r.status).toBe(200);
    const mine = () => s.logs.filter((l) => l.reqId === `req-${id}` || l.delivery === id);
    await waitFor("the request's log line", () => mine().length > 0 || undefined); // written when the response finished
    const lines = mine();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: "request",
      status: 200,
      route: "/api/github/webhooks",
      delivery: id,
      event: "workflow_run",
      inserted: 1,
      duplicates: 0,
    });
    expect(lines[0]!.ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });
});
