import { describe, expect, it } from "vitest";
import { uuidv5 } from "../../src/events/index.js";
import { receiveWebhook, type WebhookResult, callerId } from "../../src/webhooks/index.js";
import { T0, bytes, hook, request } from "./helpers.js";

const ce = hook(`slug: events\ncloudevents: true`);
const REL = { "prefect.resource.id": "hookline.webhook.events", "prefect.resource.name": "events", "prefect.resource.role": "webhook" };

function ok(r: WebhookResult) {
  if (!r.ok) throw new Error(`${r.status} ${r.code}: ${r.reason}`);
  return r.event;
}

const binaryHeaders = {
  "ce-specversion": "1.0",
  "ce-id": "A234-1234-1234",
  "ce-source": "/mycontext/subcontext",
  "ce-type": "com.example.someevent",
  "ce-time": "2018-04-05T17:31:00Z",
  "ce-subject": "files%2Fa b.txt",
  "ce-comexampleextension1": "value",
  "content-type": "application/json",
};

describe("CloudEvents, binary mode", () => {
  it("ce-* headers become the event (name = type, resource = source) and the body its payload", () => {
    const e = ok(receiveWebhook(ce, request({ headers: binaryHeaders, text: '{"appinfoA": "abc", "appinfoB": 123}' }), {}));
    expect(e).toEqual({
      id: callerId("events", uuidv5("/mycontext/subcontext\nA234-1234-1234")),
      occurred: "2018-04-05T17:31:00.000Z",
      event: "com.example.someevent",
      resource: {
        "prefect.resource.id": "cloudevents.source./mycontext/subcontext",
        "cloudevents.comexampleextension1": "value",
        "cloudevents.datacontenttype": "application/json",
        "cloudevents.id": "A234-1234-1234",
        "cloudevents.source": "/mycontext/subcontext",
        "cloudevents.specversion": "1.0",
        "cloudevents.subject": "files/a b.txt",
        "cloudevents.time": "2018-04-05T17:31:00Z",
        "cloudevents.type": "com.example.someevent",
      },
      related: [REL],
      payload: { appinfoA: "abc", appinfoB: 123 },
      follows: null,
    });
  });

  it("the same CloudEvent delivered twice (other request ids) is the same event id; another id is not", () => {
    const a = ok(receiveWebhook(ce, request({ requestId: "r1", headers: binaryHeaders, text: "{}" }), {}));
    const b = ok(receiveWebhook(ce, request({ requestId: "r2", headers: binaryHeaders, text: "{}" }), {}));
    const c = ok(receiveWebhook(ce, request({ requestId: "r3", headers: { ...binaryHeaders, "ce-id": "other" }, text: "{}" }), {}));
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it("without ce-time the event occurred when it was received; text data and no data", () => {
    const { "ce-time": _, ...noTime } = binaryHeaders;
    const text = ok(receiveWebhook(ce, request({ headers: { ...noTime, "content-type": "text/plain" }, text: "hello" }), {}));
    expect(text.occurred).toBe(new Date(T0).toISOString());
    expect(text.payload).toEqual({ data: "hello" });
    const { "content-type": __, ...bare } = noTime;
    expect(ok(receiveWebhook(ce, request({ headers: bare }), {})).payload).toEqual({});
  });

  it("a missing required attribute or another specversion answers 400", () => {
    for (const drop of ["ce-id", "ce-source", "ce-type"]) {
      const headers: Record<string, string> = { ...binaryHeaders };
      delete headers[drop];
      const r = receiveWebhook(ce, request({ headers, text: "{}" }), {});
      expect(r, drop).toMatchObject({ ok: false, status: 400, code: "HOOKLINE_WEBHOOK_BAD_BODY" });
    }
    expect(receiveWebhook(ce, request({ headers: { ...binaryHeaders, "ce-specversion": "0.3" }, text: "{}" }), {})).toMatchObject({
      status: 400,
    });
  });

  it("a request without ce- headers or a CloudEvents content type is not a CloudEvent (400)", () => {
    const r = receiveWebhook(ce, request({ json: { a: 1 } }), {});
    expect(r).toMatchObject({ ok: false, status: 400, code: "HOOKLINE_WEBHOOK_NOT_A_CLOUDEVENT" });
  });

  it("data of an unsupported content type answers 415; batches are not supported (415)", () => {
    expect(
      receiveWebhook(ce, request({ headers: { ...binaryHeaders, "content-type": "application/octet-stream" }, text: "x" }), {}),
    ).toMatchObject({ status: 415 });
    expect(
      receiveWebhook(ce, request({ headers: { "content-type": "application/cloudevents-batch+json" }, text: "[]" }), {}),
    ).toMatchObject({ status: 415 });
  });

  it("a type that is not a valid event name (over 1024 characters) answers 400 with the validation message and a failed event", () => {
    const r = receiveWebhook(ce, request({ headers: { ...binaryHeaders, "ce-type": "c".repeat(1025) }, text: "{}" }), {});
    if (r.ok) throw new Error("expected a failure");
    expect(r.code).toBe("HOOKLINE_WEBHOOK_INVALID_EVENT");
    expect(r.reason).toContain("event: must be at most 1024 characters");
    expect(r.failedEvent?.event).toBe("hookline.webhook.failed");
  });
});

describe("CloudEvents, structured mode", () => {
  const event = {
    specversion: "1.0",
    type: "com.github.pull_request.opened",
    source: "https://github.com/cloudevents/spec/pull",
    subject: "123",
    id: "A234-1234-1234",
    time: "2018-04-05T17:31:00Z",
    comexampleextension1: "value",
    comexampleothervalue: 5,
    datacontenttype: "application/json",
    data: { appinfoA: "abc" },
  };

  it("application/cloudevents+json carries the whole event; attributes become labels, data the payload", () => {
    const e = ok(
      receiveWebhook(
        ce,
        request({ headers: { "content-type": "application/cloudevents+json; charset=utf-8" }, text: JSON.stringify(event) }),
        {},
      ),
    );
    expect(e.id).toBe(callerId("events", uuidv5("https://github.com/cloudevents/spec/pull\nA234-1234-1234")));
    expect(e.event).toBe("com.github.pull_request.opened");
    expect(e.resource["prefect.resource.id"]).toBe("cloudevents.source.https://github.com/cloudevents/spec/pull");
    expect(e.resource["cloudevents.comexampleothervalue"]).toBe("5");
    expect(e.payload).toEqual({ appinfoA: "abc" });
  });

  it("the same event in binary and structured mode is the same event id (dedupe on source + id)", () => {
    const s = ok(
      receiveWebhook(ce, request({ headers: { "content-type": "application/cloudevents+json" }, text: JSON.stringify(event) }), {}),
    );
    const b = ok(
      receiveWebhook(
        ce,
        request({
          headers: {
            "ce-specversion": "1.0",
            "ce-id": event.id,
            "ce-source": event.source,
            "ce-type": event.type,
            "content-type": "application/json",
          },
          text: "{}",
        }),
        {},
      ),
    );
    expect(b.id).toBe(s.id);
  });

  it("data_base64, JSON data sent as a string, and non-object data are kept in the payload", () => {
    const { data: _, ...attrs } = event;
    const b64 = ok(
      receiveWebhook(
        ce,
        request({ headers: { "content-type": "application/cloudevents+json" }, text: JSON.stringify({ ...attrs, data_base64: "aGk=" }) }),
        {},
      ),
    );
    expect(b64.payload).toEqual({ data_base64: "aGk=" });
    const str = ok(
      receiveWebhook(
        ce,
        request({ headers: { "content-type": "application/cloudevents+json" }, text: JSON.stringify({ ...attrs, data: '{"x":1}' }) }),
        {},
      ),
    );
    expect(str.payload).toEqual({ x: 1 });
    const list = ok(
      receiveWebhook(
        ce,
        request({ headers: { "content-type": "application/cloudevents+json" }, text: JSON.stringify({ ...attrs, data: [1, 2] }) }),
        {},
      ),
    );
    expect(list.payload).toEqual({ data: [1, 2] });
  });

  it("malformed structured events answer 400: not JSON, not an object, bad attribute names or values", () => {
    const bad = [
      "{",
      "[]",
      JSON.stringify({ ...event, "Bad-Name": "x" }),
      JSON.stringify({ ...event, comexampleobj: { a: 1 } }),
      JSON.stringify({ ...event, data_base64: "aGk=" }),
      JSON.stringify({ ...event, time: "not a time" }),
    ];
    for (const text of bad) {
      const r = receiveWebhook(ce, request({ headers: { "content-type": "application/cloudevents+json" }, body: bytes(text) }), {});
      expect(r, text).toMatchObject({ ok: false, status: 400 });
    }
  });
});
