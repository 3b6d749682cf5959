import { describe, expect, it } from "vitest";
import { uuidv5 } from "../../src/events/index.js";
import { TemplateError, renderValue } from "../../src/templates/index.js";
import { MAX_WEBHOOK_BODY_BYTES, callerId, receiveWebhook, receiveWebhookWith, type WebhookResult } from "../../src/webhooks/index.js";
import { T0, bytes, hook, request } from "./helpers.js";

const WEBHOOK_REL = {
  "prefect.resource.id": "hookline.webhook.orders",
  "prefect.resource.name": "orders",
  "prefect.resource.role": "webhook",
};

function ok(r: WebhookResult) {
  if (!r.ok) throw new Error(`${r.status} ${r.code}: ${r.reason}`);
  return r.event;
}
function bad(r: WebhookResult) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.event)}`);
  return r;
}

const dynamic = hook(`
slug: orders
template:
  event: "acme.order.{{ body.action }}"
  resource:
    prefect.resource.id: "acme.order.{{ body.order.id }}"
    acme.customer: "{{ body.order.customer | upper }}"
  payload:
    order: "{{ body.order }}"
    total: "{{ body.order.total }}"
`);

describe("static templates", () => {
  const ping = hook(`
slug: orders
methods: [GET, POST]
template: '{"event": "acme.heartbeat.received", "resource": {"prefect.resource.id": "acme.heartbeat"}}'
`);

  it("a static template is the same event for any request; id and occurred are filled from the request", () => {
    expect(ping.isStatic).toBe(true);
    expect(ping.usesBody).toBe(false);
    const e = ok(receiveWebhook(ping, request({ method: "GET" }), {}));
    expect(e).toEqual({
      id: uuidv5("webhook-request\norders\nreq-1"),
      occurred: new Date(T0).toISOString(),
      event: "acme.heartbeat.received",
      resource: { "prefect.resource.id": "acme.heartbeat" },
      related: [WEBHOOK_REL],
      payload: {},
      follows: null,
    });
  });

  it("a template that does not read the body accepts any content type and never parses it", () => {
    const r = receiveWebhook(
      ping,
      request({ headers: { "content-type": "application/octet-stream" }, body: bytes("\u0000\u0001not json") }),
      {},
    );
    expect(ok(r).event).toBe("acme.heartbeat.received");
    const broken = receiveWebhook(ping, request({ headers: { "content-type": "application/json" }, body: bytes("{oops") }), {});
    expect(broken.ok).toBe(true);
  });

  it("each request id gives its own event id; the same request id gives the same id", () => {
    const a = ok(receiveWebhook(ping, request({ requestId: "a" }), {}));
    const b = ok(receiveWebhook(ping, request({ requestId: "b" }), {}));
    const a2 = ok(receiveWebhook(ping, request({ requestId: "a" }), {}));
    expect(a.id).not.toBe(b.id);
    expect(a2.id).toBe(a.id);
  });
});

describe("dynamic templates (YAML mapping)", () => {
  it("renders method, headers, body and query into the event; a single {{ expr }} keeps its JSON type", () => {
    const e = ok(
      receiveWebhook(dynamic, request({ json: { action: "created", order: { id: "A-7", customer: "globex", total: 42.5 } } }), {}),
    );
    expect(e.event).toBe("acme.order.created");
    expect(e.resource).toEqual({ "prefect.resource.id": "acme.order.A-7", "acme.customer": "GLOBEX" });
    expect(e.payload).toEqual({ order: { id: "A-7", customer: "globex", total: 42.5 }, total: 42.5 });
    expect(e.related).toEqual([WEBHOOK_REL]);
  });

  it("the template sees the method, lower-cased headers, the query and the webhook slug", () => {
    const h = hook(`
slug: orders
template:
  event: "acme.ping.{{ method | lower }}"
  resource:
    prefect.resource.id: "acme.ping.{{ query.env }}"
    acme.agent: "{{ headers['user-agent'] }}"
    acme.slug: "{{ webhook.slug }}"
`);
    const e = ok(receiveWebhook(h, request({ method: "put", headers: { "User-Agent": "curl/8" }, query: { env: "prod" } }), {}));
    expect(e.event).toBe("acme.ping.put");
    expect(e.resource).toEqual({ "prefect.resource.id": "acme.ping.prod", "acme.agent": "curl/8", "acme.slug": "orders" });
  });

  it("a form body is a mapping (repeated keys become a list) and a text/* body is a string", () => {
    const h = hook(`
slug: orders
template:
  event: acme.form.posted
  resource: { prefect.resource.id: "acme.form.{{ body.name }}" }
  payload: { tags: "{{ body.tag }}", raw: "{{ body }}" }
`);
    const form = ok(
      receiveWebhook(h, request({ headers: { "content-type": "application/x-www-form-urlencoded" }, text: "name=a+b&tag=x&tag=y%21" }), {}),
    );
    expect(form.resource["prefect.resource.id"]).toBe("acme.form.a b");
    expect(form.payload.tags).toEqual(["x", "y!"]);
    const t = hook(`
slug: orders
template:
  event: acme.text.posted
  resource: { prefect.resource.id: acme.text }
  payload: { line: "{{ body | trim }}" }
`);
    const text = ok(receiveWebhook(t, request({ headers: { "content-type": "text/plain; charset=utf-8" }, text: "  hello  " }), {}));
    expect(text.payload).toEqual({ line: "hello" });
  });

  it("a missing single-expression value fails with 400 and a hookline.webhook.failed event", () => {
    const r = bad(receiveWebhook(dynamic, request({ json: { action: "created", order: { id: "A-7", customer: "x" } } }), {}));
    expect(r.status).toBe(400);
    expect(r.code).toBe("HOOKLINE_WEBHOOK_TEMPLATE_FAILED");
    expect(r.reason).toContain("HOOKLINE_TEMPLATE_MISSING_VALUE");
    expect(r.failedEvent?.event).toBe("hookline.webhook.failed");
    expect(r.failedEvent?.resource["prefect.resource.id"]).toBe("hookline.webhook.orders");
    expect(r.failedEvent?.resource["hookline.webhook.error"]).toBe("HOOKLINE_WEBHOOK_TEMPLATE_FAILED");
  });

  it("an id given by the template is a delivery key in the webhook's namespace: same key, same id; a UUID in any case is one key", () => {
    const h = hook(`
slug: orders
template:
  id: "{{ body.id }}"
  event: acme.order.created
  resource: { prefect.resource.id: acme.order }
`);
    const uuid = "0b6c9a3e-6a54-4d3b-9f3e-1a2b3c4d5e6f";
    expect(ok(receiveWebhook(h, request({ json: { id: uuid.toUpperCase() } }), {})).id).toBe(callerId("orders", uuid));
    const first = ok(receiveWebhook(h, request({ requestId: "r1", json: { id: "delivery-77" } }), {}));
    const again = ok(receiveWebhook(h, request({ requestId: "r2", json: { id: "delivery-77" } }), {}));
    expect(first.id).toBe(callerId("orders", "delivery-77"));
    expect(first.id).toBe(uuidv5("hookline.origin.webhook.orders\ndelivery-77"));
    expect(again.id).toBe(first.id);
  });

  it("an occurred given by the template is kept (canonical UTC); an invalid one answers 400", () => {
    const h = hook(`
slug: orders
template:
  occurred: "{{ body.at }}"
  event: acme.order.created
  resource: { prefect.resource.id: acme.order }
`);
    expect(ok(receiveWebhook(h, request({ json: { at: "2024-06-01T10:00:00+02:00" } }), {})).occurred).toBe("2024-06-01T08:00:00.000Z");
    const r = bad(receiveWebhook(h, request({ json: { at: "yesterday" } }), {}));
    expect(r.status).toBe(400);
    expect(r.code).toBe("HOOKLINE_WEBHOOK_INVALID_EVENT");
    expect(r.reason).toContain("occurred: must be an ISO-8601 date-time");
  });

  it("related resources of the template are kept and the webhook is added once", () => {
    const h = hook(`
slug: orders
template:
  event: acme.order.created
  resource: { prefect.resource.id: acme.order }
  related:
    - { prefect.resource.id: acme.customer.1, prefect.resource.role: customer }
    - { prefect.resource.id: hookline.webhook.orders, prefect.resource.role: webhook }
`);
    const e = ok(receiveWebhook(h, request(), {}));
    expect(e.related).toEqual([
      { "prefect.resource.id": "acme.customer.1", "prefect.resource.role": "customer" },
      { "prefect.resource.id": "hookline.webhook.orders", "prefect.resource.role": "webhook" },
    ]);
  });
});

describe("string templates and pass-through", () => {
  it("a Jinja string producing JSON is parsed after rendering (tojson quotes values)", () => {
    const h = hook(`
slug: orders
template: |
  {"event": "acme.order.shipped", "resource": {"prefect.resource.id": "acme.order.{{ body.id }}", "acme.note": {{ body.note | tojson }}}, "payload": {"n": {{ body.n }}}}
`);
    const e = ok(receiveWebhook(h, request({ json: { id: 9, note: 'say "hi"\n', n: 3 } }), {}));
    expect(e.resource).toEqual({ "prefect.resource.id": "acme.order.9", "acme.note": 'say "hi"\n' });
    expect(e.payload).toEqual({ n: 3 });
  });

  it("output that is not JSON answers 400 with the parser's reason and a failed event", () => {
    const h = hook(`
slug: orders
template: '{"event": "acme.order.shipped", "resource": {"prefect.resource.id": "{{ body.id }}"}'
`);
    const r = bad(receiveWebhook(h, request({ json: { id: "x" } }), {}));
    expect(r.status).toBe(400);
    expect(r.code).toBe("HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON");
    expect(r.reason).toMatch(/^the template output is not JSON: /);
    expect(r.failedEvent?.payload.code).toBe("HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON");
  });

  it("pass-through: {{ body }} (or {{ body | tojson }}) takes a body that is already a standard event", () => {
    const standard = {
      id: "5f0c2d1e-8b7a-4c3d-9e2f-112233445566",
      occurred: "2024-06-01T12:00:00Z",
      event: "mainframe.job.completed",
      resource: { "prefect.resource.id": "mainframe.job.J1" },
      payload: { rc: 0 },
    };
    for (const template of ["'{{ body }}'", "'{{ body | tojson }}'"]) {
      const h = hook(`slug: orders\ntemplate: ${template}`);
      expect(h.usesBody).toBe(true);
      const e = ok(receiveWebhook(h, request({ json: standard }), {}));
      // the id the body carries is a key in the webhook's namespace: a sender cannot choose a stored id
      expect(e).toEqual({
        ...standard,
        id: callerId("orders", standard.id),
        occurred: "2024-06-01T12:00:00.000Z",
        related: [WEBHOOK_REL],
        follows: null,
      });
    }
  });

  it("pass-through of a body that is not an event answers 400 with the validation message", () => {
    const h = hook(`slug: orders\ntemplate: '{{ body }}'`);
    const r = bad(receiveWebhook(h, request({ json: { event: "", resource: {} } }), {}));
    expect(r.code).toBe("HOOKLINE_WEBHOOK_INVALID_EVENT");
    expect(r.reason).toContain("event: must not be empty");
    expect(r.reason).toContain('resource: must hold a non-empty "prefect.resource.id"');
    const list = bad(receiveWebhook(h, request({ json: [1, 2] }), {}));
    expect(list.reason).toContain("not a list");
    expect(list.failedEvent).toBeDefined();
  });
});

describe("request checks and their status codes", () => {
  it("a method the webhook does not accept answers 405 with the allowed methods", () => {
    const h = hook(`slug: orders\nmethods: [POST]\ntemplate: '{"event": "a.b.c", "resource": {"prefect.resource.id": "x"}}'`);
    const r = bad(receiveWebhook(h, request({ method: "GET" }), {}));
    expect(r).toMatchObject({ status: 405, code: "HOOKLINE_WEBHOOK_METHOD_NOT_ALLOWED", allow: ["POST"] });
    expect(bad(receiveWebhook(h, request({ method: "HEAD" }), {})).status).toBe(405);
    expect(receiveWebhook(h, request({ method: "post" }), {}).ok).toBe(true);
  });

  it("methods default to all five", () => {
    expect(dynamic.methods).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE"]);
  });

  it(`a body over ${MAX_WEBHOOK_BODY_BYTES} bytes answers 413 before it is parsed; exactly the limit is accepted`, () => {
    const h = hook(
      `slug: orders\ntemplate:\n  event: acme.text.posted\n  resource: { prefect.resource.id: x }\n  payload: { n: "{{ body | length }}" }`,
    );
    const over = bad(
      receiveWebhook(
        h,
        request({ headers: { "content-type": "text/plain" }, body: new Uint8Array(MAX_WEBHOOK_BODY_BYTES + 1).fill(0x61) }),
        {},
      ),
    );
    expect(over).toMatchObject({ status: 413, code: "HOOKLINE_WEBHOOK_BODY_TOO_LARGE" });
    expect(over.failedEvent).toBeUndefined();
    const at = receiveWebhook(
      h,
      request({ headers: { "content-type": "text/plain" }, body: new Uint8Array(MAX_WEBHOOK_BODY_BYTES).fill(0x61) }),
      {},
    );
    expect(ok(at).payload).toEqual({ n: MAX_WEBHOOK_BODY_BYTES });
  });

  it("a body of another content type answers 415 when the template reads the body", () => {
    for (const ct of ["application/octet-stream", "multipart/form-data; boundary=x", "application/xml", undefined]) {
      const r = bad(receiveWebhook(dynamic, request({ headers: ct ? { "content-type": ct } : {}, text: "<a/>" }), {}));
      expect(r.status, String(ct)).toBe(415);
      expect(r.code).toBe("HOOKLINE_WEBHOOK_UNSUPPORTED_CONTENT_TYPE");
    }
    expect(
      bad(receiveWebhook(dynamic, request({ headers: { "content-type": "application/json; charset=latin1" }, text: "{}" }), {})).status,
    ).toBe(415);
  });

  it("JSON media types are recognised by suffix (+json) and parameters are ignored", () => {
    const e = ok(
      receiveWebhook(
        dynamic,
        request({
          headers: { "Content-Type": "application/vnd.acme+json; charset=UTF-8" },
          text: '{"action":"x","order":{"id":"1","customer":"c","total":1}}',
        }),
        {},
      ),
    );
    expect(e.event).toBe("acme.order.x");
  });

  it("malformed JSON answers 400 with the parser's reason and no failed event (the sender's error)", () => {
    const r = bad(receiveWebhook(dynamic, request({ headers: { "content-type": "application/json" }, text: '{"action": ' }), {}));
    expect(r.status).toBe(400);
    expect(r.code).toBe("HOOKLINE_WEBHOOK_BAD_BODY");
    expect(r.reason).toMatch(/^the body is not valid JSON: .+/);
    expect(r.failedEvent).toBeUndefined();
  });

  it("a body that is not UTF-8 answers 400", () => {
    const r = bad(
      receiveWebhook(
        dynamic,
        request({ headers: { "content-type": "application/json" }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
        {},
      ),
    );
    expect(r).toMatchObject({ status: 400, reason: "the body is not valid UTF-8" });
  });

  it("an empty body is null for the template, whatever the content type", () => {
    const h = hook(
      `slug: orders\ntemplate:\n  event: acme.empty.posted\n  resource: { prefect.resource.id: x }\n  payload: { none: "{{ body is none }}" }`,
    );
    expect(ok(receiveWebhook(h, request({ headers: { "content-type": "application/json" } }), {})).payload).toEqual({ none: true });
  });
});

describe("receiveWebhookWith: the template rendered by the host (the server's worker pool)", () => {
  const req = () => request({ json: { action: "created", order: { id: "A-1", customer: "acme", total: 12 } } });

  it("gives the same event as receiveWebhook when the renderer renders the same way", async () => {
    const inline = ok(receiveWebhook(dynamic, req(), {}));
    const hosted = ok(await receiveWebhookWith(dynamic, req(), {}, async (t, c) => renderValue(t, c)));
    expect(hosted).toEqual(inline);
  });

  it("a template stopped by the host's deadline is 400 with the code in the reason and a hookline.webhook.failed event", async () => {
    const r = bad(
      await receiveWebhookWith(dynamic, req(), {}, () =>
        Promise.reject(new TemplateError("HOOKLINE_TEMPLATE_TIMEOUT", "ran longer than 250 ms")),
      ),
    );
    expect(r).toMatchObject({ status: 400, code: "HOOKLINE_WEBHOOK_TEMPLATE_FAILED" });
    expect(r.reason).toContain("HOOKLINE_TEMPLATE_TIMEOUT");
    expect(r.failedEvent?.event).toBe("hookline.webhook.failed");
  });

  it("a full render queue is 503 HOOKLINE_TEMPLATE_BUSY (retry later), with no failure event", async () => {
    const r = bad(
      await receiveWebhookWith(dynamic, req(), {}, () => Promise.reject(new TemplateError("HOOKLINE_TEMPLATE_BUSY", "256 waiting"))),
    );
    expect(r).toMatchObject({ status: 503, code: "HOOKLINE_TEMPLATE_BUSY" });
    expect(r.failedEvent).toBeUndefined();
  });
});
