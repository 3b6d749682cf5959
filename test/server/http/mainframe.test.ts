/**
 * The mainframe → blob → summary → reconciliation example (examples/webhooks), end to end over HTTP: the
 * server runs the example's own webhooks.yaml and automations.yaml; GitHub and the alert receiver are local
 * fakes; the clock is real time plus a skew the test moves (the window stays the example's 15 minutes).
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_CONFIG_DIR } from "../../../bots/server/config.js";
import { boot, call, cleanupDirs, fakeTarget, skewClock, waitFor, type Booted } from "./helpers.js";

const SECRETS = {
  MAINFRAME_WEBHOOK_SECRET: "mainframe-secret",
  PIPELINE_WEBHOOK_SECRET: "pipeline-secret",
  BLOB_WEBHOOK_HMAC_KEY: "blob-hmac-key",
};
let fake: Awaited<ReturnType<typeof fakeTarget>>;
let s: Booted;
const clock = skewClock();

beforeAll(async () => {
  fake = await fakeTarget((r) => (r.url.includes("/dispatches") ? { status: 204 } : { status: 200, body: { ok: true } }));
  s = await boot({
    configDir: EXAMPLE_CONFIG_DIR,
    clock,
    env: { ...SECRETS, PIPELINE_ALERT_WEBHOOK_URL: `${fake.url}/alerts`, HOOKLINE_GITHUB_TOKEN: "ghs_test", GITHUB_API_URL: fake.url },
  });
});

afterAll(async () => {
  await s?.server.close();
  await fake?.close();
  cleanupDirs();
});

const hook = (slug: string, body: unknown, secret = SECRETS.PIPELINE_WEBHOOK_SECRET) =>
  call(`${s.url}/hooks/${slug}`, { json: body, headers: { "x-hookline-secret": secret } });
const alerts = () => fake.requests.filter((r) => r.url === "/alerts").map((r) => JSON.parse(r.body) as { subject: string; body: string });

describe("the mainframe pipeline example over HTTP", () => {
  it("kickoff dispatches process-file.yml with file_name and tracking_id", async () => {
    const r = await hook("mainframe-kickoff", { file_name: "DAILY.20300101.DAT", tracking_id: "T-1" }, SECRETS.MAINFRAME_WEBHOOK_SECRET);
    expect(r.status).toBe(202);
    const dispatch = await waitFor("the workflow dispatch", () => fake.requests.find((x) => x.url.includes("/dispatches")));
    expect(dispatch.method).toBe("POST");
    expect(dispatch.url).toBe("/repos/acme/data-pipeline/actions/workflows/process-file.yml/dispatches");
    expect(dispatch.headers.authorization).toMatch(/ghs_test/);
    expect(JSON.parse(dispatch.body)).toMatchObject({ ref: "main", inputs: { file_name: "DAILY.20300101.DAT", tracking_id: "T-1" } });
  });

  it("a stage calling twice is one event (the template's id)", async () => {
    const again = await hook(
      "mainframe-kickoff",
      { file_name: "DAILY.20300101.DAT", tracking_id: "T-1" },
      SECRETS.MAINFRAME_WEBHOOK_SECRET,
    );
    expect(again.json.duplicate).toBe(true);
    const body = JSON.stringify({ tracking_id: "T-1", container: "landing", blob: "DAILY.DAT", size: 10 });
    const signature = `sha256=${createHmac("sha256", SECRETS.BLOB_WEBHOOK_HMAC_KEY).update(body).digest("hex")}`;
    const landed = await call(`${s.url}/hooks/blob-landed`, {
      body,
      headers: { "content-type": "application/json", "x-pipeline-signature": signature },
    });
    expect(landed.status).toBe(202);
    const events = (await call(`${s.url}/api/events?name=pipeline.*`)).json.events as { event: string }[];
    expect(events.map((e) => e.event).sort()).toEqual(["pipeline.blob.landed", "pipeline.file.queued", "pipeline.mainframe.kickoff"]);
  });

  it("a summary without reconciliation alerts once after the window; the late reconciliation resolves it", async () => {
    expect((await hook("summary-ready", { tracking_id: "T-1", records: 1200, total: "1234.56" })).status).toBe(202);
    expect((await hook("summary-ready", { tracking_id: "T-2", records: 5, total: "1.00" })).status).toBe(202);
    // T-2 is reconciled in time: no alert for it
    expect((await hook("reconciliation-done", { tracking_id: "T-2", status: "balanced" })).status).toBe(202);
    await waitFor("T-2's reconciliation evaluated", async () => {
      const st = (await call(`${s.url}/api/automations`)).json.scopes[0].automations.find(
        (a: { name: string }) => a.name === "reconciliation-overdue",
      );
      return st.armed === 1 && st.buckets[0].labels["pipeline.tracking_id"] === "T-1";
    });
    expect(alerts()).toEqual([]);

    clock.advance(16 * 60_000);
    const first = await waitFor("the overdue alert", () => alerts()[0]);
    expect(first.subject).toBe("Reconciliation overdue for T-1");
    expect(first.body).toContain("1200 records");

    clock.advance(30 * 60_000);
    expect((await hook("reconciliation-done", { tracking_id: "T-1", status: "balanced", differences: 0 })).status).toBe(202);
    const resolved = await waitFor("the resolve message", () => alerts().find((a) => a.subject.includes("(late)")));
    expect(resolved.subject).toBe("Reconciliation done for T-1 (late)");
    expect(alerts().filter((a) => a.subject.startsWith("Reconciliation overdue"))).toHaveLength(1);
    expect(alerts().some((a) => a.subject.includes("T-2"))).toBe(false);

    const firings = (await call(`${s.url}/api/events?name=hookline.automation.*`)).json.events as { event: string }[];
    expect(firings.map((e) => e.event)).toEqual(expect.arrayContaining(["hookline.automation.triggered", "hookline.automation.resolved"]));
  });
});
