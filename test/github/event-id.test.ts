import { describe, expect, it } from "vitest";
import { uuidv5 } from "../../src/events/uuid.js";
import { example, translateOne } from "./fixtures.js";

describe("event ids", () => {
  const payload = example("pull_request", (p) => p.action === "opened");

  it("a redelivery (same delivery id) is the same event id", () => {
    const a = translateOne({ name: "pull_request", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", payload });
    const b = translateOne({ name: "pull_request", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", payload: structuredClone(payload) });
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(uuidv5("github.delivery:72d3162e-cc78-11e3-81ab-4c9367dc0958"));
  });

  it("different deliveries give different ids, even with an identical payload", () => {
    const a = translateOne({ name: "pull_request", delivery: "delivery-1", payload });
    const b = translateOne({ name: "pull_request", delivery: "delivery-2", payload });
    expect(a.id).not.toBe(b.id);
  });

  it("without a delivery id the id is stable: the same payload (in any key order) gives the same id", () => {
    const a = translateOne({ name: "pull_request", payload });
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    const b = translateOne({ name: "pull_request", payload: reordered });
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("without a delivery id a changed payload or another webhook name gives another id", () => {
    const a = translateOne({ name: "pull_request", payload });
    const changed = structuredClone(payload);
    (changed.pull_request as Record<string, unknown>).title = "other";
    expect(translateOne({ name: "pull_request", payload: changed }).id).not.toBe(a.id);
    expect(translateOne({ name: "pull_request_target", payload }).id).not.toBe(a.id);
  });

  it("an empty delivery id counts as none (stable payload id), not as a shared id", () => {
    const a = translateOne({ name: "pull_request", delivery: "", payload });
    expect(a.id).toBe(translateOne({ name: "pull_request", payload }).id);
  });
});
