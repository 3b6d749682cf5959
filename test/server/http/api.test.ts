import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveApiToken } from "../../../bots/server/api-token.js";
import { boot, call, cleanupDirs, configDir, event, fakeTarget, waitFor, type Booted } from "./helpers.js";

const TOKEN = "t0ken-for-the-tests-0123456789";

let target: Awaited<ReturnType<typeof fakeTarget>>;
let s: Booted;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  target = await fakeTarget();
  const dir = configDir({
    webhooks: "webhooks: []\n",
    automations: `automations:
  - name: notify-orders
    trigger:
      type: event
      match: { prefect.resource.id: "acme.order.*" }
      expect: [acme.order.created]
    actions:
      - type: call-webhook
        url: ${target.url}/orders
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }
  - name: marker
    trigger:
      type: event
      match: { prefect.resource.id: acme.marker }
      expect: [acme.marker.posted]
    actions:
      - type: call-webhook
        url: ${target.url}/marker
        body: { n: "{{ event.payload.n }}" }
`,
  });
  s = await boot({ configDir: dir, env: { HOOKLINE_API_TOKEN: TOKEN } });
});

afterAll(async () => {
  await s?.server.close();
  await target?.close();
  cleanupDirs();
});

const post = (body: unknown, headers: Record<string, string> = auth) => call(`${s.url}/api/events`, { json: body, headers });
const list = async (query: string) =>
  (await call(`${s.url}/api/events?${query}`, { headers: auth })).json as {
    events: { id: string; event: string; received: string }[];
    next: string | null;
  };

describe("routing and errors", () => {
  it("/healthz answers while the process is up", async () => {
    const r = await call(`${s.url}/healthz`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: "ok" });
  });

  it("an unknown path is 404 with a JSON error code, and every answer carries a request id", async () => {
    const r = await call(`${s.url}/nope`);
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("HOOKLINE_NOT_FOUND");
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const given = await call(`${s.url}/healthz`, { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const hostile = await call(`${s.url}/healthz`, { headers: { "x-request-id": "a b\u00e9<script>" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a known path with the wrong method is 405 with Allow", async () => {
    const r = await call(`${s.url}/api/events`, { method: "PUT", headers: auth, body: "{}" });
    expect(r.status).toBe(405);
    expect(r.json.error.code).toBe("HOOKLINE_METHOD_NOT_ALLOWED");
    expect(r.headers.get("allow")).toBe("POST, GET");
  });

  it("request logs are JSON lines with the request id, route and status", async () => {
    await call(`${s.url}/healthz`, { headers: { "x-request-id": "log-me-1" } });
    const line = await waitFor("the request log", () => s.logs.find((l) => l.reqId === "log-me-1" && l.msg === "request"));
    expect(line).toMatchObject({ route: "/healthz", status: 200, method: "GET" });
  });
});

describe("POST /api/events", () => {
  it("one event is stored (202 after the commit) and listed by GET /api/events", async () => {
    const e = event({ event: "api.single.posted" });
    const r = await post(e);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ inserted: [e.id], duplicates: [] });
    const page = await list("name=api.single.*");
    expect(page.events.map((x) => x.id)).toEqual([e.id]);
    expect(page.events[0]!.received).toMatch(/^\d{4}-.*Z$/);
  });

  it("a duplicate id is accepted once: the second delivery reports it as a duplicate and stores nothing", async () => {
    const e = event({ event: "api.dup.posted" });
    expect((await post(e)).json).toEqual({ inserted: [e.id], duplicates: [] });
    expect((await post(e)).json).toEqual({ inserted: [], duplicates: [e.id] });
    expect((await post({ events: [e, e] })).json).toEqual({ inserted: [], duplicates: [e.id, e.id] });
    expect((await list("name=api.dup.*")).events).toHaveLength(1);
  });

  it("a batch is all or nothing: one bad event refuses the batch with its index and stores none", async () => {
    const good = [event({ event: "api.batch.posted" }), event({ event: "api.batch.posted" })];
    const r = await post({ events: [good[0], { ...event(), event: "" }, good[1], "text"] });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("HOOKLINE_INVALID_EVENTS");
    expect(r.json.error.invalid.map((i: { index: number }) => i.index)).toEqual([1, 3]);
    expect(r.json.error.message).toContain("nothing was stored");
    expect((await list("name=api.batch.*")).events).toEqual([]);
    const ok = await post({ events: good });
    expect(ok.status).toBe(202);
    expect(ok.json.inserted).toEqual(good.map((e) => e.id));
  });

  it("more than 500 events in one request, or an empty batch, is refused", async () => {
    const many = Array.from({ length: 501 }, () => event({ event: "api.many.posted" }));
    const r = await post({ events: many });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("HOOKLINE_BATCH_TOO_LARGE");
    expect((await post({ events: [] })).json.error.code).toBe("HOOKLINE_BAD_BATCH");
    expect((await list("name=api.many.*")).events).toEqual([]);
  });

  it("a body that is not JSON is 400 with the parser's reason; a wrong content type is 415", async () => {
    const bad = await call(`${s.url}/api/events`, { body: '{"id": ', headers: { ...auth, "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("HOOKLINE_MALFORMED_JSON");
    const form = await call(`${s.url}/api/events`, {
      body: "a=b",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe("HOOKLINE_UNSUPPORTED_MEDIA_TYPE");
  });

  it("prototype-pollution keys in an event are plain data", async () => {
    const e = {
      ...event({ event: "api.proto.posted" }),
      payload: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
    };
    const r = await call(`${s.url}/api/events`, { body: JSON.stringify(e), headers: { ...auth, "content-type": "application/json" } });
    expect(r.status).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("GET /api/events", () => {
  it("filters by resource and time, pages with the cursor", async () => {
    const base = Date.parse("2030-01-01T00:00:00Z");
    const evs = [0, 1, 2].map((i) =>
      event({
        event: "api.page.posted",
        occurred: new Date(base + i * 60_000).toISOString(),
        resource: { "prefect.resource.id": `page.${i % 2}` },
      }),
    );
    await post({ events: evs });
    const first = await list("name=api.page.*&limit=2");
    expect(first.events).toHaveLength(2);
    expect(first.next).toBeTruthy();
    const second = await list(`name=api.page.*&limit=2&after=${encodeURIComponent(first.next!)}`);
    expect([...first.events, ...second.events].map((e) => e.id).sort()).toEqual(evs.map((e) => e.id).sort());
    expect((await list("name=api.page.*&resource=page.1")).events.map((e) => e.id)).toEqual([evs[1]!.id]);
    const window = await list(
      `name=api.page.*&since=${new Date(base + 60_000).toISOString()}&until=${new Date(base + 120_000).toISOString()}`,
    );
    expect(window.events.map((e) => e.id)).toEqual([evs[1]!.id]);
  });

  it("order=desc lists newest first and pages the same set backwards; asc is the default", async () => {
    const evs = [0, 1, 2].map((i) =>
      event({ event: "api.order.posted", occurred: new Date(Date.parse("2030-02-01T00:00:00Z") + i).toISOString() }),
    );
    for (const e of evs) await post(e);
    expect((await list("name=api.order.*")).events.map((e) => e.id)).toEqual(evs.map((e) => e.id));
    const first = await list("name=api.order.*&order=desc&limit=2");
    expect(first.events.map((e) => e.id)).toEqual([evs[2]!.id, evs[1]!.id]);
    const second = await list(`name=api.order.*&order=desc&limit=2&after=${encodeURIComponent(first.next!)}`);
    expect(second.events.map((e) => e.id)).toEqual([evs[0]!.id]);
  });

  it("bad parameters are 400 with what to send", async () => {
    for (const q of ["limit=0", "limit=501", "limit=abc", "since=yesterday", "colour=red", "order=newest"]) {
      const r = await call(`${s.url}/api/events?${q}`, { headers: auth });
      expect(r.status, q).toBe(400);
      expect(r.json.error.code, q).toBe("HOOKLINE_BAD_QUERY");
    }
  });
});

describe("API authorization", () => {
  it("/api needs the bearer token: missing or wrong is 401 and stores nothing", async () => {
    const e = event({ event: "api.auth.posted" });
    const missing = await post(e, { authorization: "" });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("HOOKLINE_API_UNAUTHORIZED");
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await post(e, { authorization: "Bearer not-the-token-at-all" });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("HOOKLINE_API_BAD_TOKEN");
    expect((await call(`${s.url}/api/automations`, { headers: { authorization: "" } })).status).toBe(401);
    expect((await list("name=api.auth.*")).events).toEqual([]);
    expect((await post(e)).status).toBe(202);
  });

  it("a client on this machine is not trusted for its address: loopback without the token is refused", async () => {
    // a repository's call-webhook to http://127.0.0.1/api arrives from loopback like this request
    const r = await call(`${s.url}/api/events`, { json: event({ event: "api.loopback.posted" }), headers: { authorization: "" } });
    expect(r.status).toBe(401);
    expect((await list("name=api.loopback.*")).events).toEqual([]);
  });

  it("/metrics needs the token too", async () => {
    expect((await call(`${s.url}/metrics`, { headers: { authorization: "" } })).status).toBe(401);
    expect((await call(`${s.url}/metrics`, { headers: auth })).status).toBe(200);
  });
});

describe("the API token without HOOKLINE_API_TOKEN", () => {
  it("is created on first start in a file only its owner can read, and the same token is read on every later start", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hookline-token-")), "nested", "api-token");
    const first = resolveApiToken({ envToken: null, file });
    expect(first).toMatchObject({ source: "created", file });
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first.token);
    expect(resolveApiToken({ envToken: null, file })).toEqual({ token: first.token, source: "file", file });
  });

  it("HOOKLINE_API_TOKEN wins over the file; a short token in the file is refused with the fix", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hookline-token-")), "api-token");
    writeFileSync(file, "short\n");
    expect(resolveApiToken({ envToken: TOKEN, file })).toEqual({ token: TOKEN, source: "env", file: null });
    expect(() => resolveApiToken({ envToken: null, file })).toThrow(/shorter than 16 characters: delete the file/);
  });

  it("with an in-memory database a random token lasts for the process", () => {
    const a = resolveApiToken({ envToken: null, file: null });
    expect(a.source).toBe("memory");
    expect(a.token).not.toBe(resolveApiToken({ envToken: null, file: null }).token);
  });
});

describe("automations: pause, resume, live state", () => {
  const order = (n: number) => event({ event: "acme.order.created", resource: { "prefect.resource.id": `acme.order.${n}` } });

  it("an event fires the automation: the action's request reaches the target", async () => {
    await post(order(1));
    await waitFor("the call-webhook request", () => target.requests.find((r) => r.body.includes("acme.order.1")));
  });

  it("pause stops firing and is recorded as an event; resume starts it again", async () => {
    const paused = await call(`${s.url}/api/automations/notify-orders/pause`, { method: "POST", headers: auth });
    expect(paused.status).toBe(200);
    expect(paused.json).toMatchObject({ scope: "server", automation: "notify-orders", paused: true, until: null });
    await post(order(2));
    // events are evaluated in storage order: once the marker fired, order 2 was evaluated (while paused)
    await post(event({ event: "acme.marker.posted", resource: { "prefect.resource.id": "acme.marker" }, payload: { n: "m1" } }));
    await waitFor("the marker request", () => target.requests.find((r) => r.url === "/marker" && r.body.includes("m1")));
    const events = await waitFor(
      "the pause event",
      async () =>
        (await list("name=hookline.automation.paused")).events.length > 0 && (await list("name=hookline.automation.paused")).events,
    );
    expect(events[0]!.event).toBe("hookline.automation.paused");
    const status = (await call(`${s.url}/api/automations`, { headers: auth })).json;
    const a = status.scopes
      .find((x: { scope: string }) => x.scope === "server")
      .automations.find((x: { name: string }) => x.name === "notify-orders");
    expect(a).toMatchObject({ paused: true, paused_by: "api", enabled: true });
    expect(a.last_firings.length).toBeGreaterThan(0);

    const resumed = await call(`${s.url}/api/automations/notify-orders/resume`, { method: "POST", headers: auth });
    expect(resumed.json.paused).toBe(false);
    await post(order(3));
    await waitFor("the request after resume", () => target.requests.find((r) => r.body.includes("acme.order.3")));
    expect(target.requests.some((r) => r.body.includes("acme.order.2"))).toBe(false);
    expect((await list("name=hookline.automation.resumed")).events).toHaveLength(1);
  });

  it("pause for a duration records its end; a bad duration is 400", async () => {
    const r = await call(`${s.url}/api/automations/notify-orders/pause`, { json: { for: "30m" }, headers: auth });
    expect(r.status).toBe(200);
    expect(Date.parse(r.json.until) - Date.now()).toBeGreaterThan(29 * 60_000);
    const bad = await call(`${s.url}/api/automations/notify-orders/pause`, { json: { for: "soon" }, headers: auth });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("HOOKLINE_BAD_PAUSE");
    await call(`${s.url}/api/automations/notify-orders/resume`, { method: "POST", headers: auth });
  });

  it("an unknown automation is 404 with close matches; an unknown scope is 404", async () => {
    const r = await call(`${s.url}/api/automations/notify-order/pause`, { method: "POST", headers: auth });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe("HOOKLINE_AUTOMATION_NOT_FOUND");
    expect(r.json.error.matches).toEqual(["notify-orders"]);
    const scope = await call(`${s.url}/api/automations?scope=repo:nobody/nothing`, { headers: auth });
    expect(scope.status).toBe(404);
    expect(scope.json.error.code).toBe("HOOKLINE_SCOPE_NOT_FOUND");
  });
});

describe("/metrics and /readyz", () => {
  it("/readyz is 200 once migrated with workers running", async () => {
    const r = await call(`${s.url}/readyz`);
    expect(r.status).toBe(200);
    expect(r.json.checks).toEqual({ database: "ok", migrations: "ok", workers: "running" });
  });

  it("/metrics exposes ingest, evaluation, outbox, action and process series", async () => {
    await waitFor("an evaluation", () => s.logs.length > 0);
    const text = (await call(`${s.url}/metrics`, { headers: auth })).text;
    for (const series of [
      'hookline_events_ingested_total{source="api",result="inserted"}',
      'hookline_events_ingested_total{source="api",result="duplicate"}',
      "hookline_evaluation_duration_seconds_bucket",
      "hookline_outbox_pending ",
      "hookline_outbox_oldest_pending_age_seconds ",
      "hookline_outbox_dead ",
      'hookline_action_attempts_total{type="call-webhook",outcome="executed"}',
      "hookline_action_retries_total",
      "hookline_action_dead_letters_total",
      "hookline_http_requests_total",
      "process_cpu_user_seconds_total",
    ]) {
      expect(text, series).toContain(series);
    }
  });
});
