/**
 * Prefect's webhook recipe verbatim (examples/prefect-recipe): free-text event names (`kickoff`, `Summary`,
 * `Reconciliation`, `Microsoft.Storage.BlobCreated` from Event Grid's array body) through the real webhook
 * templates, then the recipe's proactive automation on the engine.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { createEngine } from "../../src/engine/index.js";
import type { HooklineEvent } from "../../src/events/index.js";
import { loadWebhooks, receiveWebhook } from "../../src/webhooks/index.js";

const dir = new URL("../../examples/prefect-recipe/", import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), "utf8");
const ENV = { RECIPE_WEBHOOK_SECRET: "recipe-secret" };

function received(): HooklineEvent[] {
  const loaded = loadWebhooks(read("webhooks.yaml"), "webhooks.yaml");
  expect(loaded.problems).toEqual([]);
  const hooks = new Map(loaded.webhooks.map((w) => [w.slug, w]));
  return read("requests.jsonl")
    .trim()
    .split("\n")
    .map((line, i) => {
      const req = JSON.parse(line) as { received_at: string; slug: string; body: unknown };
      const r = receiveWebhook(
        hooks.get(req.slug)!,
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-hookline-secret": ENV.RECIPE_WEBHOOK_SECRET },
          body: new TextEncoder().encode(JSON.stringify(req.body)),
          query: {},
          receivedAt: Date.parse(req.received_at),
          requestId: `req-${i + 1}`,
        },
        ENV,
      );
      if (!r.ok) throw new Error(`requests.jsonl:${i + 1}: ${r.status} ${r.reason}`);
      return r.event;
    });
}

describe("Prefect's webhook recipe, verbatim", () => {
  it("the four templates give Prefect's free-text event names, the Azure one read from Event Grid's array body", () => {
    const events = received();
    expect(events.map((e) => e.event)).toEqual(["kickoff", "Microsoft.Storage.BlobCreated", "Summary", "Summary", "Reconciliation"]);
    expect(events[1]!.resource).toMatchObject({
      "prefect.resource.id": "prefect.webhook.azure-blob",
      url: "https://acme.blob.core.windows.net/landing/GL.DAILY.T1001.dat",
    });
    expect(events[2]!.resource).toMatchObject({
      "prefect.resource.id": "prefect.webhook.summary",
      totalRecordsSent: "4200",
      trackingId: "T-1001",
    });
  });

  it("a Summary without its Reconciliation within 15 minutes fires once, for that tracking id only", () => {
    const loaded = loadAutomations(read("automations.yaml"), "automations.yaml");
    expect(loaded.problems).toEqual([]);
    const engine = createEngine(loaded.config!);
    const out = received().flatMap((e) => engine.ingest(e));
    out.push(...engine.advanceTo(Date.parse("2024-06-03T09:30:00Z")));
    const firings = out.filter((o) => o.kind === "firing");
    expect(firings).toHaveLength(1);
    expect(JSON.stringify(firings[0])).toContain("T-1002");
    expect(JSON.stringify(firings[0])).not.toContain("T-1001");
  });
});
