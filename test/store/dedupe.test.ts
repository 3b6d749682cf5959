import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { translateWebhook } from "../../src/github/index.js";
import { actionKey, emptyState, eventKey, isRecorded, recordKeys } from "../../src/store/index.js";

describe("dedupe keys", () => {
  it("recording keys adds them once; a key already recorded keeps its first time", () => {
    const s1 = recordKeys(emptyState(), [eventKey("e1"), actionKey("f1#0")], "2024-01-01T00:00:00.000Z");
    const s2 = recordKeys(s1, [eventKey("e1"), actionKey("f1#1")], "2024-01-02T00:00:00.000Z");
    expect(s2.dedupe).toEqual({
      "event:e1": "2024-01-01T00:00:00.000Z",
      "action:f1#0": "2024-01-01T00:00:00.000Z",
      "action:f1#1": "2024-01-02T00:00:00.000Z",
    });
    expect(recordKeys(s2, [eventKey("e1")], "2025-01-01T00:00:00.000Z")).toBe(s2);
  });

  it("event and action keys are namespaced: the same string as both never collides", () => {
    const s = recordKeys(emptyState(), [eventKey("x")], "2024-01-01T00:00:00.000Z");
    expect(isRecorded(s, eventKey("x"))).toBe(true);
    expect(isRecorded(s, actionKey("x"))).toBe(false);
  });

  it("an inherited name (constructor, __proto__) is not 'recorded'", () => {
    expect(isRecorded(emptyState(), "constructor")).toBe(false);
    expect(isRecorded(emptyState(), "__proto__")).toBe(false);
  });
});

describe("re-runs: the dedupe key is the translated event id", () => {
  const require = createRequire(import.meta.url);
  const defs = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
  const payload = structuredClone(defs.find((d) => d.name === "workflow_run")!.examples.find((p) => p.action === "completed")!);
  const idOf = (p: unknown) => {
    // inside Actions there is no X-GitHub-Delivery: the id comes from the payload
    const r = translateWebhook({ name: "workflow_run", payload: p });
    if ("skipped" in r) throw new Error(r.skipped);
    return r.events[0]!.id;
  };

  it("a re-run of the evaluator reads the same GITHUB_EVENT_PATH payload and gets the same key, so it is caught", () => {
    const first = recordKeys(emptyState(), [eventKey(idOf(payload))], "2024-01-01T00:00:00.000Z");
    expect(isRecorded(first, eventKey(idOf(structuredClone(payload))))).toBe(true);
  });

  it("a new attempt of the OBSERVED run (run_attempt + 1) is a different payload, so a new event that may fire", () => {
    const next = structuredClone(payload);
    const run = next.workflow_run as Record<string, unknown>;
    run.run_attempt = Number(run.run_attempt ?? 1) + 1;
    expect(idOf(next)).not.toBe(idOf(payload));
  });
});
