import { describe, expect, it } from "vitest";
import { EVENT_LIMITS, validateEvent } from "../../src/events/event-schema.js";
import { TRUNCATED_KEY, translateWebhook } from "../../src/github/index.js";
import { example, translateOne } from "./fixtures.js";

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");

describe("the whole event stays under 1.5 MB", () => {
  it("a huge PR body is dropped and recorded in payload._truncated; the rest of pull_request stays", () => {
    const payload = example("pull_request", (p) => p.action === "opened");
    (payload.pull_request as Record<string, unknown>).body = "a".repeat(3_000_000);
    const e = translateOne({ name: "pull_request", payload });
    expect(size(e)).toBeLessThanOrEqual(EVENT_LIMITS.serializedMaxBytes);
    expect(validateEvent(e).ok).toBe(true);
    expect(e.payload[TRUNCATED_KEY]).toEqual(["pull_request.body"]);
    const pr = e.payload.pull_request as Record<string, unknown>;
    expect(pr.body).toBeUndefined();
    expect(pr.title).toBe((payload.pull_request as Record<string, unknown>).title);
    expect(e.payload.repository).toEqual(payload.repository);
  });

  it("a push with a huge commits list drops the commits, biggest fields first, and keeps small fields", () => {
    const payload = example("push", (p) => p.ref === "refs/heads/master");
    const commit = (payload.commits as unknown[])[0];
    payload.commits = Array.from({ length: 8000 }, () => commit);
    const e = translateOne({ name: "push", payload });
    expect(size(e)).toBeLessThanOrEqual(EVENT_LIMITS.serializedMaxBytes);
    expect(e.payload[TRUNCATED_KEY]).toEqual(["commits"]);
    expect(e.payload.ref).toBe("refs/heads/master");
    expect(e.payload.head_commit).toEqual(payload.head_commit);
  });

  it("sizes are counted in UTF-8 bytes: 600k three-byte characters (1.8 MB) are truncated", () => {
    const payload = example("issues", (p) => p.action === "opened");
    (payload.issue as Record<string, unknown>).body = "€".repeat(600_000);
    const e = translateOne({ name: "issues", payload });
    expect(size(e)).toBeLessThanOrEqual(EVENT_LIMITS.serializedMaxBytes);
    expect(e.payload[TRUNCATED_KEY]).toEqual(["issue.body"]);
  });

  it("several big fields are all dropped until the event fits", () => {
    const payload = example("issues", (p) => p.action === "opened");
    for (const k of ["a", "b", "c", "d"]) payload[k] = k.repeat(600_000); // 2.4 MB: two must go
    const e = translateOne({ name: "issues", payload });
    expect(size(e)).toBeLessThanOrEqual(EVENT_LIMITS.serializedMaxBytes);
    expect((e.payload[TRUNCATED_KEY] as string[]).length).toBe(2);
    expect(e.payload.issue).toEqual(payload.issue);
  });

  it("a payload under the limit is untouched: no _truncated key", () => {
    const e = translateOne({ name: "issues", payload: example("issues") });
    expect(e.payload[TRUNCATED_KEY]).toBeUndefined();
  });

  it("a huge client_payload of a repository_dispatch is truncated too", () => {
    const payload = { ...example("repository_dispatch"), client_payload: { blob: "q".repeat(2_000_000) } };
    const e = translateOne({ name: "repository_dispatch", payload });
    expect(e.payload[TRUNCATED_KEY]).toEqual(["client_payload.blob"]);
  });

  it("a payload of many small fields too big in total gives a valid truncated event or a stated skip, never a throw", () => {
    const payload: Record<string, unknown> = { action: "opened", issue: { id: 1 } };
    for (let i = 0; i < 120_000; i++) payload[`k${i}`] = "v".repeat(12);
    const result = translateWebhook({ name: "issues", payload });
    if ("skipped" in result) expect(result.skipped).toMatch(/1\.5 MB/);
    else expect(size(result.events[0])).toBeLessThanOrEqual(EVENT_LIMITS.serializedMaxBytes);
  });
});
