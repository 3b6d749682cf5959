/**
 * The console's API without a browser (issue 16): session sign-in and its refusals, CSRF on cookie writes, the
 * live feed (filters, heartbeat, connection cap, closed on sign-out), keyset paging with the related filter, an
 * event's page with what it caused, the delivery log with masked secrets, and redelivery with the actor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, call, cleanupDirs, configDir, event, fakeTarget, TEST_API_TOKEN, waitFor, type Booted } from "../server/http/helpers.js";
import { openFeed, signIn, type Feed } from "./helpers.js";

let target: Awaited<ReturnType<typeof fakeTarget>>;
let answer = 500;
let s: Booted;
const bearer = { authorization: `Bearer ${TEST_API_TOKEN}` };
const feeds: Feed[] = [];

beforeAll(async () => {
  target = await fakeTarget(() => ({ status: answer, body: { ok: answer < 300 } }));
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
        max_retries: 0
        headers: { Authorization: "Bearer receiver-secret-123", X-Order: "{{ event.resource['prefect.resource.id'] }}" }
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }
`,
  });
  s = await boot({ configDir: dir, options: { streams: { heartbeatMs: 200, maxConnections: 4 } } });
});

afterAll(async () => {
  feeds.forEach((f) => f.close());
  await s?.server.close();
  await target?.close();
  cleanupDirs();
});

const post = (body: unknown) => call(`${s.url}/api/events`, { json: body });

describe("sign-in and sessions", () => {
  it("the API token buys an HttpOnly, SameSite=Strict, Path=/ session cookie and a CSRF token; a wrong token is 401", async () => {
    const r = await call(`${s.url}/api/session`, { json: { token: TEST_API_TOKEN } });
    expect(r.status).toBe(201);
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^hookline_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(r.json.csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(r.json.actor).toMatch(/^console:[0-9a-f]{8}$/);
    const wrong = await call(`${s.url}/api/session`, { json: { token: "not-the-token" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("HOOKLINE_SIGN_IN_FAILED");
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("the cookie is Secure when the request came over https (X-Forwarded-Proto)", async () => {
    const r = await call(`${s.url}/api/session`, { json: { token: TEST_API_TOKEN }, headers: { "x-forwarded-proto": "https" } });
    expect(r.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("no cookie and no token is 401 on /api; the cookie reads; GET /api/session tells the page its CSRF token", async () => {
    const none = await call(`${s.url}/api/events`, { headers: { authorization: "" } });
    expect(none.status).toBe(401);
    const { cookie, csrf } = await signIn(s.url);
    const read = await call(`${s.url}/api/events?limit=1`, { headers: { authorization: "", cookie } });
    expect(read.status).toBe(200);
    const info = await call(`${s.url}/api/session`, { headers: { cookie } });
    expect(info.json).toMatchObject({ signed_in: true, csrf });
    expect((await call(`${s.url}/api/session`)).json).toEqual({ signed_in: false });
  });

  it("a write with the cookie but without the CSRF header is refused (403), with the header it goes through; bearer writes need none", async () => {
    const { cookie, csrf } = await signIn(s.url);
    const url = `${s.url}/api/automations/notify-orders/pause`;
    const refused = await call(url, { method: "POST", headers: { authorization: "", cookie } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("HOOKLINE_CSRF_REQUIRED");
    const forged = await call(url, { method: "POST", headers: { authorization: "", cookie, "x-hookline-csrf": "guess" } });
    expect(forged.status).toBe(403);
    const ok = await call(url, { method: "POST", headers: { authorization: "", cookie, "x-hookline-csrf": csrf } });
    expect(ok.status).toBe(200);
    expect(ok.json.by).toMatch(/^console:[0-9a-f]{8}$/);
    const resumed = await call(`${s.url}/api/automations/notify-orders/resume`, { method: "POST" });
    expect(resumed.json).toMatchObject({ paused: false, by: "api" });
  });

  it("sign-out ends the session: the cookie is cleared, later requests are 401 HOOKLINE_SESSION_EXPIRED, its live feeds close", async () => {
    const { cookie, csrf } = await signIn(s.url);
    const feed = await openFeed(`${s.url}/api/events/stream`, { cookie });
    feeds.push(feed);
    expect(feed.status).toBe(200);
    const out = await call(`${s.url}/api/session`, { method: "DELETE", headers: { authorization: "", cookie, "x-hookline-csrf": csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^hookline_session=; .*Max-Age=0/);
    const after = await call(`${s.url}/api/events`, { headers: { authorization: "", cookie } });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("HOOKLINE_SESSION_EXPIRED");
    await waitFor("the feed to close", () => feed.ended());
  });
});

describe("the live feed", () => {
  it("new events matching the filter arrive on the open feed; others do not; heartbeats keep it open", async () => {
    const feed = await openFeed(`${s.url}/api/events/stream?name=acme.feed.*&resource=acme.feed.1`, bearer);
    feeds.push(feed);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    await waitFor("the feed to open", () => feed.text().includes("live feed open"));
    const other = event({ event: "acme.other.thing", resource: { "prefect.resource.id": "acme.feed.1" } });
    const wrongResource = event({ event: "acme.feed.seen", resource: { "prefect.resource.id": "acme.feed.2" } });
    const wanted = event({ event: "acme.feed.seen", resource: { "prefect.resource.id": "acme.feed.1" } });
    expect((await post({ events: [other, wrongResource, wanted] })).status).toBe(202);
    await waitFor("the matching event on the feed", () => feed.events.some((e) => e.id === wanted.id));
    expect(feed.events.map((e) => e.id)).toEqual([wanted.id]);
    await waitFor("a heartbeat", () => feed.text().includes(": heartbeat"));
    feed.close();
  });

  it("a bad filter is 400 before the feed opens; past the connection cap a feed is refused with 429", async () => {
    const bad = await call(`${s.url}/api/events/stream?since=yesterday`);
    expect(bad.status).toBe(400);
    const open = await Promise.all([1, 2, 3, 4, 5].map(() => openFeed(`${s.url}/api/events/stream`, bearer)));
    feeds.push(...open);
    expect(open.map((f) => f.status).sort()).toEqual([200, 200, 200, 200, 429]);
    open.forEach((f) => f.close());
    await waitFor(
      "the feeds to close",
      async () => (await openFeed(`${s.url}/api/events/stream`, bearer).then((f) => (f.close(), f.status))) === 200,
    );
  });
});

describe("paging and filters", () => {
  it("keyset pages by the related resource visit every matching event once, newest first; a resource's timeline too", async () => {
    const rel = `acme.team.${crypto.randomUUID()}`;
    const batch = Array.from({ length: 25 }, (_, i) =>
      event({
        event: "acme.page.item",
        resource: { "prefect.resource.id": `acme.page.${i % 2}` },
        related: i % 5 === 0 ? [] : [{ "prefect.resource.id": rel, "prefect.resource.role": "team" }],
      }),
    );
    expect((await post({ events: batch })).status).toBe(202);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { json: { events: { id: string }[]; next: string | null } } = await call(
        `${s.url}/api/events?related=${encodeURIComponent(rel)}&order=desc&limit=7${next ? `&after=${next}` : ""}`,
      );
      seen.push(...page.json.events.map((e) => e.id));
      next = page.json.next;
    } while (next);
    const expected = batch.filter((_, i) => i % 5 !== 0).map((e) => e.id as string);
    expect(seen).toEqual([...expected].reverse());
    const timeline = await call(`${s.url}/api/resources/acme.page.1/events?name=acme.page.*&limit=500`);
    expect(timeline.status).toBe(200);
    const ids = (timeline.json.events as { id: string }[]).map((e) => e.id);
    expect(ids).toEqual(
      batch
        .filter((_, i) => i % 2 === 1)
        .map((e) => e.id as string)
        .reverse(),
    );
    // the related resource's own timeline: every event it is related to (it is no event's primary resource)
    const relTimeline = await call(`${s.url}/api/resources/${encodeURIComponent(rel)}/events?limit=500`);
    expect((relTimeline.json.events as { id: string }[]).map((e) => e.id)).toEqual([...expected].reverse());
  });
});

describe("deliveries and an event's effects", () => {
  it("a failed action is a dead letter in the log with its error and masked secrets; redeliver reaches the receiver and is recorded with the actor", async () => {
    const order = event({ event: "acme.order.created", resource: { "prefect.resource.id": "acme.order.77" } });
    expect((await post(order)).status).toBe(202);
    const dead = await waitFor("the dead letter", async () => {
      const r = await call(`${s.url}/api/deliveries?state=dead&automation=notify-orders`);
      return r.json.deliveries.find((d: { firing: { id: string } }) => d) as Record<string, any> | undefined;
    });
    expect(dead).toMatchObject({ state: "dead", attempts: 1, automation: "notify-orders", redeliverable: true, scope: "server" });
    expect(dead.last_error.reason).toMatch(/500/);
    expect(dead.request.params.headers).toEqual({ Authorization: "***", "X-Order": "{{ event.resource['prefect.resource.id'] }}" });
    expect(JSON.stringify(await call(`${s.url}/api/deliveries`).then((r) => r.json))).not.toContain("receiver-secret-123");

    const detail = await call(`${s.url}/api/events/${order.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.caused[0]).toMatchObject({ scope: "server", firing: { automation: "notify-orders", state: "Triggered" } });
    expect(detail.json.caused[0].deliveries[0].id).toBe(dead.id);

    answer = 204;
    const before = target.requests.length;
    const { cookie, csrf } = await signIn(s.url);
    const r = await call(`${s.url}/api/deliveries/${encodeURIComponent(dead.id)}/redeliver`, {
      method: "POST",
      headers: { authorization: "", cookie, "x-hookline-csrf": csrf },
    });
    expect(r.status).toBe(202);
    await waitFor("the receiver to get the redelivery", () => target.requests.length > before);
    const done = await waitFor("the delivery to succeed", async () => {
      const l = await call(`${s.url}/api/deliveries?state=succeeded`);
      return l.json.deliveries.find((d: { id: string }) => d.id === dead.id);
    });
    expect(done.attempts).toBe(1);
    const recorded = await waitFor(
      "the redelivered event",
      async () => (await call(`${s.url}/api/events?name=hookline.action.redelivered`)).json.events[0],
    );
    expect(recorded.related.find((x: Record<string, string>) => x["prefect.resource.role"] === "actor")["prefect.resource.id"]).toMatch(
      /^hookline\.console\.session\.[0-9a-f]{8}$/,
    );
    const again = await call(`${s.url}/api/deliveries/${encodeURIComponent(dead.id)}/redeliver`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("HOOKLINE_NOT_REDELIVERABLE");
    expect((await call(`${s.url}/api/deliveries/nope/redeliver`, { method: "POST" })).status).toBe(404);
    expect((await call(`${s.url}/api/events/${crypto.randomUUID()}`)).json.error.code).toBe("HOOKLINE_EVENT_NOT_FOUND");
  });

  it("a bad delivery filter or cursor is 400", async () => {
    expect((await call(`${s.url}/api/deliveries?state=lost`)).json.error.code).toBe("HOOKLINE_BAD_QUERY");
    expect((await call(`${s.url}/api/deliveries?before=%%%`)).status).toBe(400);
  });
});

describe("rate limit (last: it blocks this address for a minute)", () => {
  it("after five wrong tokens from one address, sign-in answers 429 with Retry-After, even with the right token", async () => {
    for (let i = 0; i < 5; i++) expect((await call(`${s.url}/api/session`, { json: { token: `wrong-${i}` } })).status).toBe(401);
    const blocked = await call(`${s.url}/api/session`, { json: { token: TEST_API_TOKEN } });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe("HOOKLINE_SIGN_IN_RATE_LIMITED");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
