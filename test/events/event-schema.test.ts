import { describe, expect, it } from "vitest";
import { EVENT_LIMITS, parseIsoTime, validateEvent, validateSlowly } from "../../src/events/event-schema.js";

const base = () => ({
  id: "0b9a1c7e-1f2d-4c3b-8a5e-6d7f8a9b0c1d",
  occurred: "2024-05-01T12:00:00Z",
  event: "github.workflow-run.Failed",
  resource: { "prefect.resource.id": "github.workflow-run.1" },
});

function errors(input: unknown): string[] {
  const r = validateEvent(input);
  return r.ok ? [] : r.errors;
}

describe("standard event schema (SEMANTICS §1)", () => {
  it("accepts a minimal event and fills related, payload and follows defaults", () => {
    const r = validateEvent(base());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.event.related).toEqual([]);
      expect(r.event.payload).toEqual({});
      expect(r.event.follows).toBeNull();
    }
  });

  it("requires a UUID id", () => {
    expect(errors({ ...base(), id: "nope" })[0]).toMatch(/^id: must be a UUID/);
    expect(errors({ ...base(), id: undefined }).join()).toMatch(/id/);
  });

  it("reads naive times as UTC and normalizes occurred to canonical UTC", () => {
    const r = validateEvent({ ...base(), occurred: "2024-05-01T12:00:00" });
    expect(r.ok && r.event.occurred).toBe("2024-05-01T12:00:00.000Z");
    const z = validateEvent({ ...base(), occurred: "2024-05-01T14:00:00+02:00" });
    expect(z.ok && z.event.occurred).toBe("2024-05-01T12:00:00.000Z");
  });

  it("rejects times that are not ISO-8601", () => {
    for (const occurred of ["yesterday", "2024-13-01T00:00:00Z", "2024-05-01", 12345, null]) {
      expect(errors({ ...base(), occurred }).join()).toMatch(/occurred/);
    }
  });

  it("an event name is any text of 1..1024 characters, as in Prefect (SEMANTICS §1)", () => {
    expect(errors({ ...base(), event: "" }).join()).toMatch(/event: must not be empty/);
    expect(errors({ ...base(), event: `a.b.${"c".repeat(1100)}` }).join()).toMatch(/at most 1024/);
    for (const event of ["kickoff", "Summary", "Reconciliation", "Microsoft.Storage.BlobCreated", "a.b", "a.b c.d", "x".repeat(1024)]) {
      expect(validateEvent({ ...base(), event }), event).toMatchObject({ ok: true, event: { event } });
    }
  });

  it("requires a non-empty prefect.resource.id on the resource", () => {
    expect(errors({ ...base(), resource: {} }).join()).toMatch(/prefect\.resource\.id/);
    expect(errors({ ...base(), resource: { "prefect.resource.id": "" } }).join()).toMatch(/prefect\.resource\.id/);
  });

  it("rejects null label values with a message that says so", () => {
    const e = errors({ ...base(), resource: { "prefect.resource.id": "x", "a.b": null } });
    expect(e.join()).toMatch(/not null/);
  });

  it("caps a resource at 500 labels", () => {
    const resource: Record<string, string> = { "prefect.resource.id": "x" };
    for (let i = 0; i < EVENT_LIMITS.resourceMaxLabels; i++) resource[`l${i}`] = "v";
    expect(errors({ ...base(), resource }).join()).toMatch(/more than 500 labels/);
  });

  it("requires id and role on every related resource and caps related at 100", () => {
    expect(errors({ ...base(), related: [{ "prefect.resource.id": "x" }] }).join()).toMatch(/prefect\.resource\.role/);
    expect(errors({ ...base(), related: [{ "prefect.resource.role": "r" }] }).join()).toMatch(/prefect\.resource\.id/);
    const related = Array.from({ length: 101 }, (_, i) => ({ "prefect.resource.id": `r${i}`, "prefect.resource.role": "x" }));
    expect(errors({ ...base(), related }).join()).toMatch(/at most 100/);
  });

  it("rejects an event larger than 1.5 MB with a clear error instead of dropping it", () => {
    const e = errors({ ...base(), payload: { blob: "x".repeat(1_600_000) } });
    expect(e[0]).toMatch(/limit is 1500000/);
  });

  it("accepts follows as a UUID or null", () => {
    expect(validateEvent({ ...base(), follows: null }).ok).toBe(true);
    expect(validateEvent({ ...base(), follows: "0b9a1c7e-1f2d-4c3b-8a5e-6d7f8a9b0c1e" }).ok).toBe(true);
    expect(errors({ ...base(), follows: "x" }).join()).toMatch(/follows/);
  });

  it("never throws on hostile input", () => {
    const cyclic: Record<string, unknown> = { ...base() };
    cyclic.payload = cyclic;
    for (const input of [null, undefined, 1, "x", [], cyclic, JSON.parse('{"__proto__": {"polluted": 1}}')]) {
      expect(validateEvent(input).ok).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("parses times with offsets without colons and fractional seconds", () => {
    expect(parseIsoTime("2024-05-01T12:00:00.123456+0000")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
  });
});

describe("the fast path of validateEvent agrees with the full zod check", () => {
  const valid = base();
  const variants: unknown[] = [
    valid,
    { ...valid, id: valid.id.toUpperCase() },
    { ...valid, occurred: "2024-05-01T12:00:00.000Z" },
    { ...valid, occurred: "2024-05-01 12:00:00" },
    { ...valid, occurred: "2024-02-30T12:00:00.000Z" },
    { ...valid, occurred: "2024-05-01T24:00:00.000Z" },
    { ...valid, related: [{ "prefect.resource.id": "a", "prefect.resource.role": "r", x: "y" }] },
    { ...valid, related: [{ "prefect.resource.id": "a", "prefect.resource.role": "" }] },
    { ...valid, related: null },
    { ...valid, related: {} },
    { ...valid, payload: [] },
    { ...valid, payload: null },
    { ...valid, payload: { a: { b: [1, 2] } } },
    { ...valid, follows: valid.id.toUpperCase() },
    { ...valid, follows: 5 },
    { ...valid, received: "2024-05-01T12:00:01Z" },
    { ...valid, received: 5 },
    { ...valid, extra: "field" },
    { ...valid, resource: { "prefect.resource.id": "x", n: 1 } },
    { ...valid, resource: [] },
    { ...valid, event: "a.b." },
    { ...valid, event: ".a.b" },
    { ...valid, event: "a..b" },
    // ids checked by character: a non-hex digit, a misplaced dash, one character short or long
    { ...valid, id: `${valid.id.slice(0, 35)}g` },
    { ...valid, id: `${valid.id.slice(0, 8)}0${valid.id.slice(9)}` },
    { ...valid, id: valid.id.slice(1) },
    { ...valid, id: `${valid.id}0` },
    { ...valid, follows: `${valid.id.slice(0, 13)}x${valid.id.slice(14)}` },
    // the digit reader's 24 characters stand for the canonical form; anything else goes the general way
    { ...valid, occurred: "0099-05-01T12:00:00.000Z" },
    { ...valid, occurred: "2024-05-01T12:00:00,000Z" },
    { ...valid, occurred: "2024-05-01T12:00:00.5Z" },
    { ...valid, occurred: "2024-04-31T12:00:00.000Z" },
    { ...valid, occurred: "2023-02-29T12:00:00.000Z" },
    { ...valid, occurred: "2000-02-29T12:00:00.000Z" },
    { ...valid, occurred: "1900-02-29T12:00:00.000Z" },
    { ...valid, occurred: "2024-11-30T23:59:59.999Z" },
    JSON.parse(
      `{"id":"${valid.id}","occurred":"2024-05-01T12:00:00Z","event":"a.b.c","resource":{"prefect.resource.id":"x","__proto__":"p"}}`,
    ),
    JSON.parse(
      `{"id":"${valid.id}","occurred":"2024-05-01T12:00:00Z","event":"a.b.c","resource":{"prefect.resource.id":"x"},"payload":{"__proto__":{"polluted":1}}}`,
    ),
  ];

  it("accepts and normalizes exactly what zod accepts", () => {
    for (const v of variants) {
      const fast = validateEvent(v);
      const slow = validateSlowly(v);
      expect({ input: v, ok: fast.ok }).toEqual({ input: v, ok: slow.ok });
      if (fast.ok && slow.ok) expect(fast.event).toEqual(slow.event);
    }
  });
});

describe("impossible calendar dates", () => {
  it("are rejected rather than rolled over to the next month", () => {
    for (const t of ["2024-02-30T12:00:00.000Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00", "2024-00-10T00:00:00Z"]) {
      expect(Number.isNaN(parseIsoTime(t))).toBe(true);
    }
    expect(parseIsoTime("2024-02-29T00:00:00.000Z")).toBe(Date.UTC(2024, 1, 29));
  });
});

describe("parseIsoTime's digit-by-digit reading of `…SSZ` and `…SS.sssZ` agrees with its general reader", () => {
  // the same instant written with `+00:00` instead of `Z` takes the general (regular expression) reader
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  function* cases(): Generator<string> {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 3000; i++) {
      // years around the edges Date.UTC treats specially, days and times past their limits, odd digits
      const year = [100, 1969, 1970, 2000, 2024, 2100, 9999][rnd(7)]!;
      const base = `${pad(year, 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}T${pad(rnd(26), 2)}:${pad(rnd(62), 2)}:${pad(rnd(62), 2)}`;
      yield base;
      yield `${base}.${pad(rnd(1000), 3)}`;
    }
    yield* ["2024-02-29T23:59:59", "2023-02-29T00:00:00", "2024-12-31T23:59:59.999", "0099-01-01T00:00:00", "0000-01-01T00:00:00.000"];
  }

  it("gives the same epoch ms, or NaN, as the same time written with +00:00", () => {
    let valid = 0;
    for (const t of cases()) {
      const fast = parseIsoTime(`${t}Z`);
      const general = parseIsoTime(`${t}+00:00`);
      expect(Object.is(fast, general), `${t}Z: ${fast} vs ${general}`).toBe(true);
      if (!Number.isNaN(fast)) valid++;
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it("leaves other forms to the general reader", () => {
    expect(parseIsoTime("2024-05-01T12:00:00z")).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseIsoTime("2024-05-01 12:00:00Z")).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseIsoTime("2024-05-01T12:00:00.5Z")).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
    expect(Number.isNaN(parseIsoTime("2024-05-01T12:00:0xZ"))).toBe(true);
    expect(Number.isNaN(parseIsoTime("2024-05-01T12:00:00.1x3Z"))).toBe(true);
    expect(Number.isNaN(parseIsoTime("+24-05-01T12:00:00Z"))).toBe(true);
  });
});
