import { describe, expect, it } from "vitest";
import { EPOCH_FALLBACK } from "../../src/github/index.js";
import { example, translateOne } from "./fixtures.js";

describe("occurred", () => {
  it("comes from the resource's own timestamps: a completed job's completed_at", () => {
    const payload = example("workflow_job", (p) => p.action === "completed");
    const e = translateOne({ name: "workflow_job", payload, received: "2030-01-01T00:00:00Z" });
    expect(e.occurred).toBe(new Date((payload.workflow_job as { completed_at: string }).completed_at).toISOString());
  });

  it("a push uses the repository's pushed_at (Unix seconds) or head_commit.timestamp, the later of them", () => {
    const payload = example("push", (p) => p.ref === "refs/heads/master");
    (payload.repository as Record<string, unknown>).pushed_at = 1714557600; // 2024-05-01T10:00:00Z
    expect(translateOne({ name: "push", payload }).occurred).toBe("2024-05-01T10:00:00.000Z");
  });

  it("context timestamps (repository.updated_at of a star) do not date the event; received does", () => {
    const payload = example("watch");
    const e = translateOne({ name: "watch", payload, received: "2024-05-01T10:00:00+02:00" });
    expect(e.occurred).toBe("2024-05-01T08:00:00.000Z");
  });

  it("without own time and without received, the repository's latest time is used, deterministically", () => {
    const payload = example("watch");
    Object.assign(payload.repository as object, { updated_at: "2024-05-01T10:00:00Z", pushed_at: "2024-04-01T10:00:00Z" });
    const a = translateOne({ name: "watch", payload });
    expect(a.occurred).toBe("2024-05-01T10:00:00.000Z");
    expect(translateOne({ name: "watch", payload }).occurred).toBe(a.occurred);
  });

  it("with no time anywhere, occurred is the documented epoch fallback (never the wall clock)", () => {
    const e = translateOne({ name: "team", payload: { action: "created", team: { id: 3, name: "core" } } });
    expect(e.occurred).toBe(EPOCH_FALLBACK);
  });

  it("unparseable times are ignored rather than failing the event", () => {
    const e = translateOne({
      name: "issues",
      payload: { action: "opened", issue: { id: 1, updated_at: "yesterday", created_at: 12e99 } },
      received: "not a time",
    });
    expect(e.occurred).toBe(EPOCH_FALLBACK);
  });
});
