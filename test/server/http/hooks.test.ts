import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_WEBHOOK_BODY_BYTES } from "../../../src/webhooks/index.js";
import { boot, call, cleanupDirs, configDir, rawRequest, type Booted } from "./helpers.js";

const SECRET = "hmac-secret-for-tests";
let s: Booted;

beforeAll(async () => {
  const dir = configDir({
    webhooks: `webhooks:
  - slug: orders
    auth: none
    methods: [POST, PUT]
    template:
      event: "acme.order.{{ body.action }}"
      resource:
        prefect.resource.id: "acme.order.{{ body.id }}"
  - slug: signed
    template:
      event: acme.signed.received
      resource: { prefect.resource.id: "acme.signed.{{ body.id }}" }
    signature:
      header: X-Signature-256
      secret_env: TEST_HOOK_SECRET
  - slug: shared
    template: '{"event": "acme.shared.received", "resource": {"prefect.resource.id": "acme.shared"}}'
    secret_env: TEST_SHARED_SECRET
  - slug: ce
    auth: none
    cloudevents: true
`,
  });
  s = await boot({ configDir: dir, env: { TEST_HOOK_SECRET: SECRET, TEST_SHARED_SECRET: "shared-secret-value" } });
});

afterAll(async () => {
  await s?.server.close();
  cleanupDirs();
});

const stored = async (name: string) =>
  (
    (await call(`${s.url}/api/events?name=${encodeURIComponent(name)}`)).json as {
      events: {
        id: string;
        event: string;
        payload: Record<string, unknown>;
        resource: Record<string, string>;
        related: Record<string, string>[];
      }[];
    }
  ).events;
const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("POST /hooks/:slug", () => {
  it("a good request is 202 with the event id, after the event is stored with the webhook as related resource", async () => {
    const r = await call(`${s.url}/hooks/orders`, { json: { action: "created", id: "A-1" } });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), duplicate: false });
    const evs = await stored("acme.order.created");
    expect(evs.map((e) => e.id)).toContain(r.json.id);
    expect(evs[0]!.related).toContainEqual(
      expect.objectContaining({ "prefect.resource.id": "hookline.webhook.orders", "prefect.resource.role": "webhook" }),
    );
  });

  it("an unknown slug is 404 with the closest slug", async () => {
    const r = await call(`${s.url}/hooks/order`, { json: {} });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("HOOKLINE_WEBHOOK_NOT_FOUND");
    expect(r.json.error.message).toContain("did you mean orders?");
  });

  it("a method the webhook does not accept is 405 with Allow; the path itself takes all five methods", async () => {
    const r = await call(`${s.url}/hooks/orders`, { method: "DELETE" });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST, PUT");
    const head = await call(`${s.url}/hooks/orders`, { method: "OPTIONS" });
    expect(head.status).toBe(405);
    expect(head.headers.get("allow")).toBe("POST, GET, PUT, PATCH, DELETE");
  });

  it("a bad or missing signature is refused and nothing is stored; the right one is accepted", async () => {
    const body = JSON.stringify({ id: "S-1" });
    const missing = await call(`${s.url}/hooks/signed`, { body, headers: { "content-type": "application/json" } });
    expect(missing.status).toBe(401);
    const wrong = await call(`${s.url}/hooks/signed`, {
      body,
      headers: { "content-type": "application/json", "x-signature-256": sign(body, "other") },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe("HOOKLINE_WEBHOOK_AUTH_WRONG");
    const tampered = await call(`${s.url}/hooks/signed`, {
      body: JSON.stringify({ id: "S-2" }),
      headers: { "content-type": "application/json", "x-signature-256": sign(body) },
    });
    expect(tampered.status).toBe(403);
    expect(await stored("acme.signed.*")).toEqual([]);
    expect(await stored("hookline.webhook.failed")).toEqual([]);
    const good = await call(`${s.url}/hooks/signed`, {
      body,
      headers: { "content-type": "application/json", "x-signature-256": sign(body) },
    });
    expect(good.status).toBe(202);
    expect((await stored("acme.signed.*")).map((e) => e.id)).toEqual([good.json.id]);
  });

  it("a shared secret must match", async () => {
    expect((await call(`${s.url}/hooks/shared`, { method: "POST" })).status).toBe(401);
    expect((await call(`${s.url}/hooks/shared`, { method: "POST", headers: { "x-hookline-secret": "nope" } })).status).toBe(403);
    expect((await call(`${s.url}/hooks/shared`, { method: "POST", headers: { authorization: "Bearer shared-secret-value" } })).status).toBe(
      202,
    );
  });

  it("a declared oversized body is 413 before it is sent, and nothing is stored", async () => {
    const size = 20 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const r = await rawRequest(`${s.url}/hooks/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(size) },
      write(req) {
        // send slowly: the answer must come long before the whole body
        let sent = 0;
        let answered = false;
        req.on("response", () => (answered = true));
        const pump = () => {
          if (sent >= size || answered || req.destroyed) return;
          sent += chunk.length;
          req.write(chunk);
          setTimeout(pump, 5);
        };
        pump();
      },
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.code).toBe("HOOKLINE_WEBHOOK_BODY_TOO_LARGE");
    expect(r.sentWhenAnswered).toBeLessThan(size / 2);
  });

  it("a chunked body is cut at the limit with 413 (no Content-Length to trust)", async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const total = MAX_WEBHOOK_BODY_BYTES * 8;
    const r = await rawRequest(`${s.url}/hooks/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      write(req) {
        let sent = 0;
        let answered = false;
        req.on("response", () => (answered = true));
        const pump = () => {
          if (answered || req.destroyed) return;
          if (sent >= total) return void req.end();
          sent += chunk.length;
          req.write(chunk);
          setTimeout(pump, 10);
        };
        pump();
      },
    });
    expect(r.status).toBe(413);
    expect(r.sentWhenAnswered).toBeLessThan(total / 2);
    expect(await stored("acme.order.*")).toHaveLength(1);
  });

  it("a content type the template cannot read is 415; malformed JSON is 400; neither stores an event", async () => {
    const bin = await call(`${s.url}/hooks/orders`, { body: "\u0000\u0001", headers: { "content-type": "application/octet-stream" } });
    expect(bin.status).toBe(415);
    expect(bin.json.error.code).toBe("HOOKLINE_WEBHOOK_UNSUPPORTED_CONTENT_TYPE");
    const broken = await call(`${s.url}/hooks/orders`, { body: '{"action": "created", ', headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("HOOKLINE_WEBHOOK_BAD_BODY");
    expect(await stored("acme.order.*")).toHaveLength(1);
  });

  it("template output that is not a valid event is 400 with the reason, and a hookline.webhook.failed event is recorded", async () => {
    // an event name over 1,024 characters (names are otherwise free text)
    const r = await call(`${s.url}/hooks/orders`, { json: { action: "x".repeat(1100), id: "A-9" } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("HOOKLINE_WEBHOOK_INVALID_EVENT");
    const failed = await stored("hookline.webhook.failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.resource["prefect.resource.id"]).toBe("hookline.webhook.orders");
    expect(await stored("acme.order.xxx*")).toEqual([]);
  });

  it("the same CloudEvent delivered twice is stored once (dedupe on source + id)", async () => {
    const headers = {
      "content-type": "application/json",
      "ce-id": "evt-1",
      "ce-source": "/mainframe",
      "ce-type": "com.example.file.landed",
      "ce-specversion": "1.0",
    };
    const a = await call(`${s.url}/hooks/ce`, { body: '{"file": "x.dat"}', headers });
    const b = await call(`${s.url}/hooks/ce`, { body: '{"file": "x.dat"}', headers });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.json).toEqual({ id: a.json.id, duplicate: true });
    expect(await stored("com.example.file.landed")).toHaveLength(1);
  });
});
