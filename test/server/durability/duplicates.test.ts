/**
 * Duplicates (issue 4, item 5: ingest is idempotent on event id): the same event through the API, the same
 * GitHub delivery (the App against a fake GitHub API), the same custom webhook delivery key and the same
 * CloudEvent, each sent by 20 clients at once and once more afterwards, is stored once, fires once and its
 * action reaches the target once. On the embedded database and on PostgreSQL (real concurrent transactions).
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import {
  cleanupDirs,
  configDir,
  killChildren,
  listAll,
  pgDatabase,
  PG_URL,
  sleep,
  slowTarget,
  startChild,
  tempDir,
  waitFor,
  type Child,
  API_AUTH,
} from "./harness.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
const SECRET = "durability-webhook-secret";
const CLIENTS = 20;

const WEBHOOKS = `webhooks:
  - slug: orders
    auth: none
    methods: [POST]
    template:
      id: "orders/{{ body.order_id }}"
      event: shop.order.received
      resource:
        prefect.resource.id: "shop.order.{{ body.order_id }}"
  - slug: cloud
    auth: none
    cloudevents: true
`;

const automations = (target: string) => `automations:
${[
  ["api", "test.dup.api"],
  ["hook", "shop.order.received"],
  ["cloud", "test.dup.cloud"],
  ["github", "github.workflow-run.*"],
]
  .map(
    ([name, expect]) => `  - name: ${name}
    trigger:
      expect: "${expect}"
    actions:
      - type: call-webhook
        url: ${target}/${name}
`,
  )
  .join("")}`;

/** GitHub's API as the App sees it: installation tokens, and no automations file anywhere. */
async function fakeGitHub() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if ((req.url ?? "").includes("/access_tokens")) {
        res
          .writeHead(201, { "content-type": "application/json" })
          .end(JSON.stringify({ token: "ghs_test", expires_at: new Date(Date.now() + 3600e3).toISOString() }));
      } else res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function githubDelivery(id: string) {
  const run = examples.find((x) => x.name === "workflow_run")!.examples.find((e) => e.action === "completed")!;
  const body = JSON.stringify({ ...run, installation: { id: 42 } });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "workflow_run",
      "x-github-delivery": id,
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
  };
}

async function send(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* Probot answers text */
  }
  return { status: res.status, json };
}

/** 20 clients at once, then once more after the first wave was answered */
async function burst(url: string, body: string, headers: Record<string, string>) {
  const first = await Promise.all(Array.from({ length: CLIENTS }, () => send(url, body, headers)));
  const again = await send(url, body, headers);
  return [...first, again];
}

async function runDuplicates(data: { dataDir?: string; databaseUrl?: string }) {
  const target = await slowTarget(50);
  const github = await fakeGitHub();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let server: Child | null = null;
  try {
    server = await startChild({
      bin: true,
      configDir: configDir({ webhooks: WEBHOOKS, automations: automations(target.url) }),
      ...data,
      env: {
        APP_ID: "1",
        PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        WEBHOOK_SECRET: SECRET,
        GITHUB_API_URL: github.url,
      },
    });
    const url = server.url;

    // the events API: one id
    const apiEvent = {
      id: randomUUID(),
      occurred: new Date().toISOString(),
      event: "test.dup.api",
      resource: { "prefect.resource.id": "test.dup.1" },
    };
    const api = await burst(`${url}/api/events`, JSON.stringify(apiEvent), { "content-type": "application/json", ...API_AUTH });
    expect(api.map((r) => r.status)).toEqual(Array(CLIENTS + 1).fill(202));
    // exactly one request stored it; every other one was told it is a duplicate
    expect(api.flatMap((r) => r.json.inserted)).toEqual([apiEvent.id]);
    expect(api.flatMap((r) => r.json.duplicates)).toHaveLength(CLIENTS);

    // a custom webhook whose template derives the id from the sender's delivery key
    const order = await burst(`${url}/hooks/orders`, JSON.stringify({ order_id: "A-17" }), { "content-type": "application/json" });
    expect(order.map((r) => r.status)).toEqual(Array(CLIENTS + 1).fill(202));
    expect(new Set(order.map((r) => r.json.id)).size).toBe(1);
    expect(order.filter((r) => r.json.duplicate === false)).toHaveLength(1);

    // a CloudEvent (binary mode): deduped on source + id
    const ce = {
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": "evt-9",
      "ce-source": "/billing",
      "ce-type": "test.dup.cloud",
    };
    const cloud = await burst(`${url}/hooks/cloud`, JSON.stringify({ amount: 3 }), ce);
    expect(cloud.map((r) => r.status)).toEqual(Array(CLIENTS + 1).fill(202));
    expect(cloud.filter((r) => r.json.duplicate === false)).toHaveLength(1);

    // the same GitHub delivery (same X-GitHub-Delivery, valid signature)
    const d = githubDelivery(randomUUID());
    const gh = await burst(`${url}/api/github/webhooks`, d.body, d.headers);
    expect(gh.filter((r) => r.status >= 300)).toEqual([]);

    // stored once each
    const stored = {
      api: await listAll(url, "test.dup.api"),
      hook: await listAll(url, "shop.order.received"),
      cloud: await listAll(url, "test.dup.cloud"),
      github: await listAll(url, "github.workflow-run.*"),
    };
    for (const [kind, events] of Object.entries(stored)) expect(events, kind).toHaveLength(1);

    // one firing and one execution each
    const names = ["api", "hook", "cloud", "github"];
    await waitFor("each automation's action executed", async () => (await listAll(url, "hookline.action.executed")).length >= names.length);
    // past the poll interval of the workers: a second evaluation or execution would show by now
    await sleep(1500);
    const firings = await listAll(url, "hookline.automation.triggered");
    expect(firings.map((f) => f.resource["prefect.resource.name"]).sort()).toEqual([...names].sort());
    expect(await listAll(url, "hookline.action.executed")).toHaveLength(names.length);
    expect(target.hits.map((h) => h.key).sort()).toEqual(firings.map((f) => `${String(f.payload!.firing_id)}:0`).sort());
    expect(target.hits.map((h) => h.path).sort()).toEqual(names.map((n) => `/${n}`).sort());
    expect((await server.stop()).code).toBe(0);
    server = null;
  } finally {
    if (server) await server.stop();
    await target.close();
    await github.close();
  }
}

describe("duplicates on the embedded database (PGlite data folder)", () => {
  it("the same event, webhook delivery key, CloudEvent and GitHub delivery from 20 clients at once: stored once, one firing, one execution", async () => {
    await runDuplicates({ dataDir: tempDir("hookline-dup-data-") });
  });
});

describe.runIf(!!PG_URL)("duplicates on PostgreSQL", () => {
  it("the same event, webhook delivery key, CloudEvent and GitHub delivery from 20 clients at once: stored once, one firing, one execution", async () => {
    const pgdb = await pgDatabase();
    try {
      await runDuplicates({ databaseUrl: pgdb.url });
    } finally {
      await pgdb.drop();
    }
  });
});
