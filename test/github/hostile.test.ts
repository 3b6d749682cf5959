import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/event-schema.js";
import { translateWebhook, type TranslateResult } from "../../src/github/index.js";
import { example, translateOne } from "./fixtures.js";

function skipped(result: TranslateResult): string {
  if (!("skipped" in result)) throw new Error(`expected a skip, got ${JSON.stringify(result.events[0]?.event)}`);
  return result.skipped;
}

describe("malformed and hostile input never throws", () => {
  it("an input that is not an object is skipped with a reason", () => {
    for (const input of [null, undefined, "push", 42, [], true]) {
      expect(skipped(translateWebhook(input as never))).toMatch(/must be an object/);
    }
  });

  it("a missing, empty or non-string webhook name is skipped naming the X-GitHub-Event header", () => {
    for (const name of [undefined, null, "", "   ", 7, {}]) {
      expect(skipped(translateWebhook({ name, payload: {} } as never))).toMatch(/X-GitHub-Event/);
    }
    expect(skipped(translateWebhook({ name: "___", payload: {} }))).toMatch(/no letters or digits/);
  });

  it("a payload that is not a JSON object is skipped saying what it got", () => {
    expect(skipped(translateWebhook({ name: "push", payload: null }))).toMatch(/must be a JSON object, got null/);
    expect(skipped(translateWebhook({ name: "push", payload: "{}" }))).toMatch(/got a string/);
    expect(skipped(translateWebhook({ name: "push", payload: [1, 2] }))).toMatch(/got an array/);
  });

  it("a delivery id that is not a string is skipped", () => {
    expect(skipped(translateWebhook({ name: "push", delivery: 5 as never, payload: {} }))).toMatch(/X-GitHub-Delivery/);
  });

  it("wrong types and nulls where objects are expected give a valid event without those labels", () => {
    const e = translateOne({
      name: "workflow_run",
      payload: { action: {}, workflow_run: [], repository: "octo/hello", sender: 5, organization: null, installation: { id: null } },
    });
    expect(validateEvent(e).ok).toBe(true);
    expect(e.event).toBe("github.workflow-run.received");
    expect(e.related).toEqual([]);
    for (const v of Object.values(e.resource)) expect(typeof v).toBe("string");
  });

  it("null, numeric and malformed PR labels are ignored; well-formed ones still become label resources", () => {
    const payload = example("pull_request", (p) => p.action === "opened");
    (payload.pull_request as Record<string, unknown>).labels = [null, 5, "bug", { id: null, name: null }, { id: 9, name: "ok" }];
    const e = translateOne({ name: "pull_request", payload });
    const labels = e.related.filter((r) => r["prefect.resource.role"] === "label");
    expect(labels.map((l) => l["prefect.resource.id"])).toEqual(["github.label.9"]);
  });

  it("__proto__ keys are dropped: no prototype pollution, no re-parented payload objects", () => {
    const text =
      '{"action":"opened","__proto__":{"polluted":"yes"},"issue":{"id":1,"title":"t","__proto__":{"admin":true},"labels":[{"__proto__":{"x":1},"id":2,"name":"l"}]}}';
    const e = translateOne({ name: "issues", payload: JSON.parse(text) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(e.payload)).toBe(Object.prototype);
    expect(Object.keys(e.payload)).not.toContain("__proto__");
    expect(Object.keys(e.payload.issue as object)).not.toContain("__proto__");
    expect((e.payload.issue as Record<string, unknown>).admin).toBeUndefined();
    expect(e.resource["prefect.resource.id"]).toBe("github.issues.1");
  });

  it("keys such as constructor, toString and hasOwnProperty are plain data", () => {
    const e = translateOne({
      name: "constructor",
      payload: { action: "toString", constructor: { id: "hasOwnProperty" }, hasOwnProperty: 1 },
    });
    expect(e.event).toBe("github.constructor.toString");
    expect(e.resource["prefect.resource.id"]).toBe("github.constructor.hasOwnProperty");
  });

  it("a payload with a reference cycle is skipped saying so", () => {
    const payload: Record<string, unknown> = { action: "opened" };
    payload.self = payload;
    expect(skipped(translateWebhook({ name: "issues", payload }))).toMatch(/cycle/);
  });

  it("a payload nested absurdly deep is skipped, not a stack overflow", () => {
    let deep: Record<string, unknown> = { id: 1 };
    for (let i = 0; i < 50_000; i++) deep = { deep };
    expect(skipped(translateWebhook({ name: "issues", payload: { action: "opened", deep } }))).toMatch(/nested deeper/);
  });

  it("a getter that throws is reported as a skip with its message, not thrown", () => {
    const payload = {};
    Object.defineProperty(payload, "action", {
      enumerable: true,
      get: () => {
        throw new TypeError("boom");
      },
    });
    expect(skipped(translateWebhook({ name: "issues", payload }))).toMatch(/could not translate webhook "issues": boom/);
  });

  it("non-JSON values are converted like JSON.stringify does (undefined dropped, NaN → null, bigint → string)", () => {
    const e = translateOne({ name: "issues", payload: { action: "opened", issue: { id: 10n, n: Number.NaN, f: () => 1, u: undefined } } });
    expect(e.payload.issue).toEqual({ id: "10", n: null });
    expect(e.resource["prefect.resource.id"]).toBe("github.issues.10");
  });

  it("an unknown webhook translates generically: kind from the name, resource from the id the payload has", () => {
    const e = translateOne({ name: "brand_new_thing", payload: { action: "happened", brand_new_thing: { id: 9, name: "n" } } });
    expect(e.event).toBe("github.brand-new-thing.happened");
    expect(e.resource["prefect.resource.id"]).toBe("github.brand-new-thing.9");
    expect(e.resource["prefect.resource.name"]).toBe("n");
  });

  it("an unknown webhook with nothing identifying still gets a resource id and a `received` verb", () => {
    const e = translateOne({ name: "Odd Name.v2", payload: { foo: 1 } });
    expect(e.event).toBe("github.odd-name-v2.received");
    expect(e.resource["prefect.resource.id"]).toBe(`github.odd-name-v2.${e.id}`);
  });

  it("whitespace and dots in an action cannot break the dotted event-name grammar", () => {
    const e = translateOne({ name: "issues", payload: { action: "re opened.now", issue: { id: 1 } } });
    expect(e.event).toBe("github.issues.re_opened_now");
  });

  it("over-long label values are cut to 1024 characters instead of invalidating the event", () => {
    const payload = example("pull_request", (p) => p.action === "opened");
    (payload.repository as Record<string, unknown>).full_name = "x".repeat(5000);
    const e = translateOne({ name: "pull_request", payload });
    expect(e.resource["github.repository"]).toHaveLength(1024);
  });

  it("the same delivery translated twice (duplicate) gives the identical event", () => {
    const payload = example("issues");
    expect(translateWebhook({ name: "issues", delivery: "dup", payload })).toEqual(
      translateWebhook({ name: "issues", delivery: "dup", payload }),
    );
  });
});
