/**
 * examples/webhooks: the four requests of the mainframe → blob → summary → reconciliation pipeline go through
 * receiveWebhook (with their real authentication), and the events they make run through the engine as
 * `hookline simulate` would.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { Simulation, toContractRecord, type SimulationItem } from "../../src/cli/simulation.js";
import { validateEvent, type HooklineEvent } from "../../src/events/index.js";
import { loadWebhooks, receiveWebhook, type WebhookDef, type WebhookRequest } from "../../src/webhooks/index.js";

const DIR = fileURLToPath(new URL("../../examples/webhooks/", import.meta.url));
const read = (file: string) => readFileSync(DIR + file, "utf8");
const lines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const ENV = { MAINFRAME_WEBHOOK_SECRET: "mf-secret", BLOB_WEBHOOK_HMAC_KEY: "blob-key", PIPELINE_WEBHOOK_SECRET: "pipe-secret" };

interface ExampleRequest {
  received_at: string;
  slug: string;
  body: Record<string, unknown>;
}

function defs(): Map<string, WebhookDef> {
  const r = loadWebhooks(read("webhooks.yaml"), "examples/webhooks/webhooks.yaml");
  if (r.problems.length > 0) throw new Error(JSON.stringify(r.problems));
  return new Map(r.webhooks.map((w) => [w.slug, w]));
}

/** The HTTP request curl.sh sends, with the authentication its webhook wants. */
function httpRequest(def: WebhookDef, req: ExampleRequest, requestId: string): WebhookRequest {
  const text = JSON.stringify(req.body);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (def.auth.kind === "secret") headers["X-Hookline-Secret"] = ENV[def.auth.secretEnv as keyof typeof ENV];
  if (def.auth.kind === "signature") {
    headers[def.auth.header] =
      def.auth.prefix +
      createHmac(def.auth.algorithm, ENV[def.auth.secretEnv as keyof typeof ENV])
        .update(text)
        .digest("hex");
  }
  return { method: "POST", headers, body: new TextEncoder().encode(text), query: {}, receivedAt: Date.parse(req.received_at), requestId };
}

function receiveAll(requests: ExampleRequest[], prefix = "req"): HooklineEvent[] {
  const hooks = defs();
  return requests.map((req, i) => {
    const r = receiveWebhook(hooks.get(req.slug)!, httpRequest(hooks.get(req.slug)!, req, `${prefix}-${i + 1}`), ENV);
    if (!r.ok) throw new Error(`${req.slug}: ${r.status} ${r.reason}`);
    return r.event;
  });
}

const requests = lines(read("requests.jsonl")) as unknown as ExampleRequest[];
const recorded = lines(read("events.jsonl"));

function simulate(events: HooklineEvent[]) {
  const loaded = loadAutomations(read("automations.yaml"), "examples/webhooks/automations.yaml");
  if (loaded.config === null) throw new Error(JSON.stringify(loaded.problems));
  const sim = new Simulation(loaded.config);
  const items: SimulationItem[] = [];
  for (const e of events) items.push(...sim.event(e));
  // an hour later: nothing more fires (one alert per incident, no repeat)
  items.push(...sim.tick(Date.parse("2024-06-03T10:40:00.000Z")));
  return items.map((i) => toContractRecord(i) as Record<string, unknown> & { kind: string; automation: string });
}

describe("examples/webhooks", () => {
  it("webhooks.yaml loads with no problem: the four pipeline webhooks, each authenticated", () => {
    const hooks = [...defs().values()];
    expect(hooks.map((h) => h.slug)).toEqual(["mainframe-kickoff", "blob-landed", "summary-ready", "reconciliation-done"]);
    expect(hooks.map((h) => h.auth.kind)).toEqual(["secret", "signature", "secret", "secret"]);
  });

  it("automations.yaml loads with no error and no warning", () => {
    expect(loadAutomations(read("automations.yaml"), "automations.yaml").problems).toEqual([]);
  });

  it("each request makes the stage's event about pipeline.run.<tracking id>, labelled with the tracking id", () => {
    const events = receiveAll(requests);
    const stages: Record<string, string> = {
      "mainframe-kickoff": "pipeline.mainframe.kickoff",
      "blob-landed": "pipeline.blob.landed",
      "summary-ready": "pipeline.summary.ready",
      "reconciliation-done": "pipeline.reconciliation.done",
    };
    events.forEach((e, i) => {
      const req = requests[i]!;
      expect(e.event).toBe(stages[req.slug]);
      expect(e.resource["prefect.resource.id"]).toBe(`pipeline.run.${String(req.body.tracking_id)}`);
      expect(e.resource["pipeline.tracking_id"]).toBe(req.body.tracking_id);
      expect(e.occurred).toBe(req.received_at);
      expect(e.related).toContainEqual({
        "prefect.resource.id": `hookline.webhook.${req.slug}`,
        "prefect.resource.name": req.slug,
        "prefect.resource.role": "webhook",
      });
    });
    expect(events[0]!.payload).toEqual({ file_name: "GL.DAILY.20240603.T1001.dat", tracking_id: "T-1001" });
  });

  it("events.jsonl is exactly what the requests make (they cannot drift)", () => {
    const events = receiveAll(requests);
    expect(recorded).toEqual(JSON.parse(JSON.stringify(events)));
    for (const e of recorded) expect(validateEvent(e).ok).toBe(true);
  });

  it("a stage that calls twice (another request id) makes the same event id", () => {
    expect(receiveAll(requests, "retry").map((e) => e.id)).toEqual(receiveAll(requests).map((e) => e.id));
  });

  it("curl.sh sends exactly these bodies to these slugs", () => {
    const curl = read("curl.sh").split("\n");
    for (const req of requests) {
      const line = curl.filter((l) => l.includes(`'${JSON.stringify(req.body)}'`));
      expect(line, req.slug).toHaveLength(1);
      expect(line[0]!.trim().split(" ")[1], req.slug).toBe(req.slug);
    }
  });

  it("the kickoff records pipeline.file.queued and dispatches process-file.yml once per tracking id with file_name and tracking_id", () => {
    const records = simulate(receiveAll(requests));
    const actions = records.filter((r) => r.kind === "action" && r.automation === "process-file-on-kickoff");
    const dispatches = actions.filter((r) => (r.request as { workflow?: string }).workflow !== undefined);
    expect(actions).toHaveLength(2 * dispatches.length);
    expect(dispatches.map((d) => d.request)).toEqual(
      ["T-1001", "T-1002", "T-1003"].map((t) => ({
        repository: "acme/data-pipeline",
        workflow: "process-file.yml",
        ref: "main",
        inputs: { file_name: `GL.DAILY.20240603.T${t.slice(2)}.dat`, tracking_id: t },
      })),
    );
  });

  it("a missing reconciliation alerts exactly once per tracking id at summary + 15 min; the late one resolves", () => {
    const records = simulate(receiveAll(requests));
    const firings = records.filter((r) => r.kind === "firing" && r.automation === "reconciliation-overdue");
    expect(firings.map((f) => [f.state, f.at, (f.labels as Record<string, string>)["pipeline.tracking_id"]])).toEqual([
      ["Triggered", "2024-06-03T09:27:00.000Z", "T-1002"],
      ["Triggered", "2024-06-03T09:30:00.000Z", "T-1003"],
      ["Resolved", "2024-06-03T09:40:00.000Z", "T-1002"],
    ]);
    const notes = records.filter((r) => r.kind === "action" && r.automation === "reconciliation-overdue");
    expect(notes.map((n) => (n.request as { subject: string }).subject)).toEqual([
      "Reconciliation overdue for T-1002",
      "Reconciliation overdue for T-1003",
      "Reconciliation done for T-1002 (late)",
    ]);
    expect((notes[0]!.request as { body: string }).body).toContain("(1150 records, total 17001.10) was ready at 2024-06-03T09:12:00.000Z");
    expect(notes.every((n) => n.error === undefined)).toBe(true);
  });

  it("duplicated deliveries change nothing: same dispatches, same alerts", () => {
    const events = receiveAll(requests);
    const retried = receiveAll(requests, "retry");
    // every request delivered twice, the copy right after the original
    const doubled = events.flatMap((e, i) => [e, retried[i]!]);
    expect(simulate(doubled)).toEqual(simulate(events));
  });
});
