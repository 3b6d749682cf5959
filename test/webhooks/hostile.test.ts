import { describe, expect, it } from "vitest";
import { MAX_BODY_JSON_DEPTH, receiveWebhook, type WebhookResult } from "../../src/webhooks/index.js";
import { hook, request } from "./helpers.js";

function ok(r: WebhookResult) {
  if (!r.ok) throw new Error(`${r.status} ${r.code}: ${r.reason}`);
  return r.event;
}

const passThrough = hook(`slug: relay\ntemplate: "{{ body }}"`);
const echo = hook(`
slug: echo
template:
  event: acme.echo.received
  resource:
    prefect.resource.id: "acme.echo.{{ body.name }}"
    acme.agent: "{{ headers['x-agent'] | default('none') }}"
  payload:
    body: "{{ body }}"
`);

function pristine(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty("polluted");
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
}

describe("prototype-pollution keys in bodies", () => {
  const hostileJson =
    '{"name": "x", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "nested": {"__proto__": {"polluted": 1}}}';

  it("a JSON body with __proto__ / constructor keys pollutes nothing; the keys stay plain data", () => {
    const e = ok(receiveWebhook(echo, request({ headers: { "content-type": "application/json" }, text: hostileJson }), {}));
    pristine();
    const body = e.payload.body as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.keys(body)).toContain("name");
    expect((body as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("a pass-through event whose payload or resource carries __proto__ is validated without pollution", () => {
    const text = `{"event": "acme.x.y", "resource": {"prefect.resource.id": "x", "__proto__": "y"}, "payload": ${hostileJson}}`;
    const r = receiveWebhook(passThrough, request({ headers: { "content-type": "application/json" }, text }), {});
    pristine();
    if (!r.ok) throw new Error(r.reason);
    expect(Object.getPrototypeOf(r.event.payload)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(r.event.resource)).toBe(Object.prototype);
    expect(Object.keys(r.event.resource)).toEqual(["prefect.resource.id"]); // validation drops the __proto__ label
  });

  it("a form body with __proto__[polluted]=1 and __proto__=x pollutes nothing", () => {
    const e = ok(
      receiveWebhook(
        echo,
        request({
          headers: { "content-type": "application/x-www-form-urlencoded" },
          text: "name=a&__proto__[polluted]=1&__proto__=x&constructor=y",
        }),
        {},
      ),
    );
    pristine();
    const body = e.payload.body as Record<string, unknown>;
    expect(body["__proto__[polluted]"]).toBe("1");
    expect(body.constructor).toBe("y");
  });

  it("CloudEvent data and attributes named like prototype keys pollute nothing", () => {
    const ce = hook(`slug: ce\ncloudevents: true`);
    const text = `{"specversion":"1.0","id":"1","source":"s","type":"a.b.c","data":${hostileJson}}`;
    receiveWebhook(ce, request({ headers: { "content-type": "application/cloudevents+json" }, text }), {});
    receiveWebhook(
      ce,
      request({
        headers: { "content-type": "application/cloudevents+json" },
        text: '{"specversion":"1.0","id":"1","source":"s","type":"a.b.c","__proto__":"x"}',
      }),
      {},
    );
    pristine();
  });
});

describe("header and JSON injection", () => {
  it("a header value with quotes and newlines stays one label value in a mapping template", () => {
    const agent = 'x", "event": "evil.injected.event", "y": "\r\nX-Injected: 1';
    const e = ok(receiveWebhook(echo, request({ json: { name: "n" }, headers: { "X-Agent": agent } }), {}));
    expect(e.event).toBe("acme.echo.received");
    expect(e.resource["acme.agent"]).toBe(agent);
  });

  it("in a string template, tojson keeps a hostile value a string; a raw value breaks the JSON and is refused (400)", () => {
    const quoted = hook(
      `slug: s\ntemplate: '{"event": "acme.s.t", "resource": {"prefect.resource.id": "x", "acme.agent": {{ headers["x-agent"] | tojson }}}}'`,
    );
    const raw = hook(
      `slug: s\ntemplate: '{"event": "acme.s.t", "resource": {"prefect.resource.id": "x", "acme.agent": "{{ headers["x-agent"] }}"}}'`,
    );
    const agent = 'a", "prefect.resource.id": "forged';
    expect(ok(receiveWebhook(quoted, request({ headers: { "x-agent": agent } }), {})).resource).toEqual({
      "prefect.resource.id": "x",
      "acme.agent": agent,
    });
    const broken = receiveWebhook(raw, request({ headers: { "x-agent": 'a"}}' } }), {});
    expect(broken).toMatchObject({ ok: false, status: 400, code: "HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON" });
  });

  it("header names differing only in case are merged, so a second X-Hookline-Secret cannot win", () => {
    const h = hook(`slug: s\nsecret_env: S\ntemplate: '{"event": "a.b.c", "resource": {"prefect.resource.id": "x"}}'`);
    const r = receiveWebhook(h, request({ headers: { "X-Hookline-Secret": "wrong", "x-hookline-secret": "right" } }), { S: "right" });
    expect(r).toMatchObject({ ok: false, status: 403 });
  });

  it("the failed event echoes no header and only a short, escaped excerpt of the body", () => {
    const h = hook(`slug: s\nsecret_env: S\ntemplate: '{{ body }}'`);
    const body = `\u001b[31mred\u001b[0m\r\nX-Forged: 1\u2028${"x".repeat(5000)}`;
    const r = receiveWebhook(h, request({ headers: { "content-type": "text/plain", "x-hookline-secret": "top-secret" }, text: body }), {
      S: "top-secret",
    });
    if (r.ok) throw new Error("expected a failure");
    expect(r.code).toBe("HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON");
    const failed = JSON.stringify(r.failedEvent);
    expect(failed).not.toContain("top-secret");
    expect(failed).not.toContain("x".repeat(200));
    const excerpt = r.failedEvent!.payload.body_excerpt as string;
    expect(excerpt.length).toBeLessThanOrEqual(200);
    expect(excerpt.startsWith("\\u001b[31mred\\u001b[0m\\r\\nX-Forged: 1\\u2028xxx")).toBe(true);
    for (const v of [...Object.values(r.failedEvent!.resource), r.failedEvent!.payload.reason as string, excerpt]) {
      expect(v).not.toMatch(/[\r\n\u0000-\u001f\u2028\u2029]/);
    }
  });
});

describe("oversized and runaway input", () => {
  it(`a JSON body nested deeper than ${MAX_BODY_JSON_DEPTH} levels answers 400 before it is parsed`, () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(receiveWebhook(echo, request({ headers: { "content-type": "application/json" }, text: deep }), {})).toMatchObject({
      ok: false,
      status: 400,
    });
    const ok64 = "[".repeat(MAX_BODY_JSON_DEPTH) + "]".repeat(MAX_BODY_JSON_DEPTH);
    expect(
      receiveWebhook(echo, request({ headers: { "content-type": "application/json" }, text: `{"name":"n","d":${ok64.slice(1, -1)}}` }), {})
        .ok,
    ).toBe(true);
  });

  it("brackets inside JSON strings do not count as nesting", () => {
    const text = JSON.stringify({ name: "n", s: "[".repeat(1000) + '\\"{' });
    expect(receiveWebhook(echo, request({ headers: { "content-type": "application/json" }, text }), {}).ok).toBe(true);
  });

  it("a template that renders more than 64 KB fails with 400 and a failed event, not a crash", () => {
    const h = hook(
      `slug: s\ntemplate: '{"event": "a.b.c", "resource": {"prefect.resource.id": "x"}, "payload": {"s": "{% for i in range(100) %}{{ body.big }}{% endfor %}"}}'`,
    );
    const r = receiveWebhook(h, request({ json: { big: "y".repeat(10_000) } }), {});
    expect(r).toMatchObject({ ok: false, status: 400, code: "HOOKLINE_WEBHOOK_TEMPLATE_FAILED" });
    if (!r.ok) expect(r.failedEvent?.resource["hookline.webhook.error"]).toBe("HOOKLINE_WEBHOOK_TEMPLATE_FAILED");
  });

  it("a 1 MB pass-through body (under the 1.5 MB event limit) is taken whole", () => {
    const big = { event: "a.b.c", resource: { "prefect.resource.id": "x" }, payload: { s: "z".repeat(1_000_000) } };
    const r = receiveWebhook(passThrough, request({ json: big }), {});
    expect(r.ok).toBe(true); // 1 MB < 1.5 MB event limit: accepted whole
  });
});

describe("duplicated deliveries", () => {
  it("a redelivery with the same delivery key gives the same event id; the failed event of a request is stable too", () => {
    const h = hook(`
slug: s
template:
  id: "{{ headers['x-delivery'] }}"
  event: acme.delivery.received
  resource: { prefect.resource.id: "acme.delivery.{{ headers['x-delivery'] }}" }
`);
    const a = ok(receiveWebhook(h, request({ requestId: "r1", headers: { "x-delivery": "d-1" } }), {}));
    const b = ok(receiveWebhook(h, request({ requestId: "r2", headers: { "x-delivery": "d-1" } }), {}));
    expect(b).toEqual(a);
    const bad = hook(`slug: s\ntemplate: "{{ body }}"`);
    const f1 = receiveWebhook(bad, request({ requestId: "r1", json: { x: 1 } }), {});
    const f2 = receiveWebhook(bad, request({ requestId: "r1", json: { x: 1 } }), {});
    const f3 = receiveWebhook(bad, request({ requestId: "r3", json: { x: 1 } }), {});
    if (f1.ok || f2.ok || f3.ok) throw new Error("expected failures");
    expect(f2.failedEvent!.id).toBe(f1.failedEvent!.id);
    expect(f3.failedEvent!.id).not.toBe(f1.failedEvent!.id);
  });

  it("receivedAt that is not a time is a programming error (thrown), never an event with a bad time", () => {
    expect(() => receiveWebhook(echo, request({ receivedAt: Number.NaN }), {})).toThrow(TypeError);
  });
});
