import { describe, expect, it } from "vitest";
import { translateWebhook, translateWebhookSerialized, type WebhookInput } from "../../src/github/index.js";
import { isParsedJson, toJsonValue } from "../../src/github/json-value.js";
import { fitPayload, fitSerialized, withPayloadText } from "../../src/github/payload-limit.js";
import { example, translateOne, webhookExamples } from "./fixtures.js";

const RECEIVED = "2024-05-01T12:00:00.000Z";

function both(input: WebhookInput) {
  const text = JSON.stringify(input.payload);
  return {
    copied: translateWebhook({ ...input, payload: JSON.parse(text) }),
    kept: translateWebhook({ ...input, payload: JSON.parse(text), parsedJson: true }),
  };
}

describe("parsedJson: a freshly parsed payload is kept without the deep copy, with the same result", () => {
  it("every example webhook translates to the same events with and without parsedJson", () => {
    let n = 0;
    for (const def of webhookExamples()) {
      for (const payload of def.examples) {
        const { copied, kept } = both({ name: def.name, delivery: `d-${n++}`, payload, received: RECEIVED });
        expect(kept).toEqual(copied);
        expect(JSON.stringify(kept)).toBe(JSON.stringify(copied));
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it("the event's payload is the caller's parsed object itself (no copy) when it is plain JSON", () => {
    const payload = JSON.parse(JSON.stringify(example("push", (p) => p.ref === "refs/heads/master")));
    const e = translateOne({ name: "push", delivery: "x", payload, parsedJson: true });
    expect(e.payload).toBe(payload);
    const copied = translateOne({ name: "push", delivery: "x", payload });
    expect(copied.payload).not.toBe(payload);
  });

  it("__proto__ keys from JSON.parse are still dropped with parsedJson (the payload is copied then)", () => {
    const payload = JSON.parse(
      '{"action":"opened","__proto__":{"polluted":"yes"},"issue":{"id":1,"title":"t","labels":[{"__proto__":{"x":1},"id":2}]}}',
    );
    const e = translateOne({ name: "issues", delivery: "x", payload, parsedJson: true });
    expect(e.payload).not.toBe(payload);
    expect(Object.keys(e.payload)).not.toContain("__proto__");
    expect(Object.keys((e.payload.issue as { labels: object[] }).labels[0]!)).not.toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a payload nested too deep is skipped with parsedJson exactly as without it", () => {
    const text = `{"action":"opened","deep":${"[".repeat(150)}${"]".repeat(150)}}`;
    const { copied, kept } = both({ name: "issues", payload: JSON.parse(text) });
    expect("skipped" in kept && kept.skipped).toMatch(/nested deeper/);
    expect(kept).toEqual(copied);
  });

  it("parsedJson on an object JSON.parse could not have made falls back to the copy (no cycle or class survives)", () => {
    const cyclic: Record<string, unknown> = { action: "opened" };
    cyclic.self = cyclic;
    const r = translateWebhook({ name: "issues", payload: cyclic, parsedJson: true });
    expect("skipped" in r && r.skipped).toMatch(/cycle/);
    const odd = { action: "opened", when: new Date(0), n: Number.NaN, big: 10n, nothing: undefined, list: [1, undefined] };
    const e = translateOne({ name: "issues", delivery: "x", payload: odd, parsedJson: true });
    expect(e.payload).toEqual(toJsonValue(odd));
    expect(e.payload).not.toBe(odd);
  });

  it("parsedJson other than true is ignored: the payload is copied", () => {
    const payload = JSON.parse(JSON.stringify(example("push")));
    const e = translateOne({ name: "push", delivery: "x", payload, parsedJson: "yes" as never });
    expect(e.payload).not.toBe(payload);
  });
});

describe("isParsedJson accepts only what toJsonValue would leave unchanged", () => {
  it("plain JSON data is accepted", () => {
    expect(isParsedJson(JSON.parse('{"a":[1,"x",true,null,{"b":-2.5e3}],"c":{}}'))).toBe(true);
  });

  it("anything toJsonValue would change is refused", () => {
    const hostile: unknown[] = [
      JSON.parse('{"__proto__":1}'),
      { d: new Date(0) },
      { n: Number.POSITIVE_INFINITY },
      { b: 1n },
      { u: undefined },
      { f: () => 1 },
      // eslint-disable-next-line no-sparse-arrays -- a hole is the point
      [1, , 3],
      Object.create({ inherited: 1 }),
      new (class Thing {})(),
      JSON.parse(`${"[".repeat(101)}${"]".repeat(101)}`),
    ];
    for (const value of hostile) expect(isParsedJson(value)).toBe(false);
  });
});

describe("fitSerialized serializes once and hands back the text of the event it returns", () => {
  it("a small event comes back as it is, with its JSON text", () => {
    const event = { id: "x", payload: { a: 1 } };
    const { event: out, text } = fitSerialized(event);
    expect(out).toBe(event);
    expect(text).toBe(JSON.stringify(event));
  });

  it("an oversized event comes back truncated, with the text of the truncated event, as fitPayload truncates it", () => {
    const event = { id: "x", payload: { small: 1, huge: "é".repeat(600_000) } };
    const { event: out, text } = fitSerialized(event, 1_000_000);
    expect(out).toEqual(fitPayload(event, 1_000_000));
    expect(text).toBe(JSON.stringify(out));
    expect((out.payload as Record<string, unknown>)._truncated).toEqual(["huge"]);
  });

  it("the size limit counts UTF-8 bytes, not characters", () => {
    // 400,000 two-byte characters: 800 KB of UTF-8 in 400,000 UTF-16 units
    const event = { id: "x", payload: { big: "é".repeat(400_000) } };
    expect((fitSerialized(event, 700_000).event.payload as Record<string, unknown>)._truncated).toEqual(["big"]);
    expect(fitSerialized(event, 900_000).event).toBe(event);
  });
});

describe("translateWebhookSerialized hands back each event's JSON text, exactly JSON.stringify(event) without payloadText", () => {
  it("for every example webhook: the same events as translateWebhook, and the text of each (or none)", () => {
    let n = 0;
    let withText = 0;
    for (const def of webhookExamples()) {
      for (const payload of def.examples) {
        const input = {
          name: def.name,
          delivery: `d-${n++}`,
          payload: JSON.parse(JSON.stringify(payload)),
          received: RECEIVED,
          parsedJson: true,
        };
        const r = translateWebhookSerialized(input);
        const plain = translateWebhook({ ...input, payload: JSON.parse(JSON.stringify(payload)) });
        if ("skipped" in r) {
          expect(plain).toEqual(r);
          continue;
        }
        expect({ events: r.events }).toEqual(plain);
        expect(r.json).toHaveLength(r.events.length);
        r.events.forEach((e, i) => {
          if (r.json[i] === undefined) return;
          withText++;
          expect(r.json[i]).toBe(JSON.stringify(e));
        });
      }
    }
    expect(withText).toBeGreaterThan(100);
  });

  it("a text handed back is always the returned event's own, never one of a draft validation changed", () => {
    const r = translateWebhookSerialized({
      name: "push",
      delivery: "D",
      payload: JSON.parse(JSON.stringify(example("push"))),
      received: "2024-05-01T12:00:00Z",
    });
    if ("skipped" in r) throw new Error(r.skipped);
    r.events.forEach((e, i) => expect(r.json[i] === undefined || r.json[i] === JSON.stringify(e)).toBe(true));
  });

  it("a skipped webhook has no texts", () => {
    expect(translateWebhookSerialized({ name: "ping", payload: {} })).toEqual(translateWebhook({ name: "ping", payload: {} }));
  });
});

describe("payloadText: the delivery's own text stands in for re-serializing its payload", () => {
  /** JSON.stringify(event) and the text handed back parse to the same value, with the same key order */
  const sameJson = (text: string, event: unknown) => {
    const parsed = JSON.parse(text);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(event)));
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(event));
  };

  it("for every example webhook, compact and pretty-printed: the text parses to exactly the event (same keys, same order)", () => {
    let n = 0;
    let embedded = 0;
    for (const def of webhookExamples()) {
      for (const payload of def.examples) {
        for (const payloadText of [JSON.stringify(payload), `\n${JSON.stringify(payload, null, 2)}\n`]) {
          const input = {
            name: def.name,
            delivery: `d-${n++}`,
            payload: JSON.parse(payloadText),
            payloadText,
            received: RECEIVED,
            parsedJson: true,
          };
          const r = translateWebhookSerialized(input);
          const plain = translateWebhook({ ...input, payload: JSON.parse(payloadText), payloadText: undefined, parsedJson: undefined });
          if ("skipped" in r) {
            expect(plain).toEqual(r);
            continue;
          }
          expect({ events: r.events }).toEqual(plain);
          r.events.forEach((e, i) => {
            if (r.json[i] === undefined) return;
            sameJson(r.json[i]!, e);
            if (r.json[i]!.includes(payloadText)) embedded++;
          });
        }
      }
    }
    expect(embedded).toBeGreaterThan(200);
  });

  it("is not used when the payload is copied (a __proto__ key) or truncated for size: the text is JSON.stringify's then", () => {
    const protoText = '{"action":"opened","__proto__":{"polluted":"yes"},"issue":{"id":1,"number":1,"title":"t"}}';
    const copied = translateWebhookSerialized({
      name: "issues",
      delivery: "p",
      payload: JSON.parse(protoText),
      payloadText: protoText,
      parsedJson: true,
    });
    if ("skipped" in copied) throw new Error(copied.skipped);
    expect(copied.json[0]).toBe(JSON.stringify(copied.events[0]));
    expect(copied.json[0]).not.toContain("polluted");

    const huge = { ...example("push"), commits: [{ message: "x".repeat(1_600_000) }] };
    const hugeText = JSON.stringify(huge);
    const shrunk = translateWebhookSerialized({
      name: "push",
      delivery: "h",
      payload: JSON.parse(hugeText),
      payloadText: hugeText,
      parsedJson: true,
    });
    if ("skipped" in shrunk) throw new Error(shrunk.skipped);
    expect((shrunk.events[0]!.payload as Record<string, unknown>)._truncated).toEqual(["commits"]);
    expect(shrunk.json[0]).toBe(JSON.stringify(shrunk.events[0]));
  });

  it("withPayloadText keeps JSON.stringify's key order and skips what it skips (undefined, functions)", () => {
    const event = { id: "x", a: undefined, payload: { z: 1, a: [2] }, f: () => 1, follows: null, n: 1.5 };
    expect(withPayloadText(event, ' { "z" : 1, "a":[2] } ')).toBe('{"id":"x","payload": { "z" : 1, "a":[2] } ,"follows":null,"n":1.5}');
    sameJson(withPayloadText(event, JSON.stringify(event.payload)), event);
  });
});
