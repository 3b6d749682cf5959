import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowSec, sign, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function helpForm(user = "UOPS1"): string {
  return new URLSearchParams({
    command: "/hookline",
    text: "pause deploy-alerts",
    user_id: user,
    team_id: "T1",
    channel_id: "C1",
    response_url: `${h.slack.url}/respond/sig`,
    trigger_id: "t",
  }).toString();
}

/** a refused request must not reach the command handler: no answer on response_url, no pause */
async function nothingHappened(): Promise<void> {
  expect(h.slack.requests.filter((r) => r.path === "/respond/sig")).toHaveLength(0);
  expect(await h.store.listPauses("repo:acme/app", Date.now())).toEqual([]);
}

describe("Slack request signatures (±5 minutes, both directions)", () => {
  it("a correctly signed, current request is accepted (200) and answered", async () => {
    const res = await h.command("help");
    expect(res.status).toBe(200);
    expect(String(res.answer?.text)).toContain("/hookline list");
  });

  it("a request signed 6 minutes in the past is refused with 401", async () => {
    const body = helpForm();
    const res = await h.post(body, { timestamp: nowSec() - 6 * 60 });
    expect(res.status).toBe(401);
    await nothingHappened();
    expect(h.logs.some((l) => l.level === "warn" && JSON.stringify(l.obj).includes("stale"))).toBe(true);
  });

  it("a request signed 6 minutes in the future is refused with 401 (Bolt alone would accept it)", async () => {
    const res = await h.post(helpForm(), { timestamp: nowSec() + 6 * 60 });
    expect(res.status).toBe(401);
    await nothingHappened();
    expect(h.logs.some((l) => JSON.stringify(l.obj).includes("from the future"))).toBe(true);
  });

  it("an unsigned request is refused with 401", async () => {
    expect((await h.post(helpForm(), { sign: false })).status).toBe(401);
    await nothingHappened();
  });

  it("a request without the timestamp header, or with a non-numeric one, is refused", async () => {
    const body = helpForm();
    const signed = sign(body, nowSec());
    expect((await h.post(body, { sign: false, headers: { "x-slack-signature": signed["x-slack-signature"]! } })).status).toBe(401);
    expect((await h.post(body, { sign: false, headers: { ...signed, "x-slack-request-timestamp": "12abc" } })).status).toBe(401);
    await nothingHappened();
  });

  it("a replayed body with one changed byte is refused (signature mismatch)", async () => {
    const ts = nowSec();
    const body = helpForm("UOTHER");
    const headers = sign(body, ts);
    const forged = body.replace("UOTHER", "UOPS1");
    expect(forged).not.toBe(body);
    expect((await h.post(forged, { sign: false, headers })).status).toBe(401);
    await nothingHappened();
  });

  it("a request signed with another secret is refused", async () => {
    const body = helpForm();
    expect((await h.post(body, { sign: false, headers: sign(body, nowSec(), "not-the-secret") })).status).toBe(401);
    await nothingHappened();
  });

  it("the exact same signed request sent twice is processed once: the replay gets 401", async () => {
    const body = new URLSearchParams({
      command: "/hookline",
      text: "help",
      user_id: "U9",
      team_id: "T1",
      channel_id: "C1",
      response_url: `${h.slack.url}/respond/replay`,
      trigger_id: "t",
    }).toString();
    const headers = sign(body, nowSec());
    expect((await h.post(body, { sign: false, headers })).status).toBe(200);
    expect((await h.post(body, { sign: false, headers })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.requests.filter((r) => r.path === "/respond/replay")).toHaveLength(1);
    expect(h.logs.some((l) => JSON.stringify(l.obj).includes("replayed"))).toBe(true);
  });

  it("a body over the limit is refused with 413 before it is verified", async () => {
    const body = `text=${"a".repeat(1024 * 1024 + 10)}`;
    const res = await h.post(body);
    expect(res.status).toBe(413);
  });

  it("other methods and paths are not Slack's: 405 / 404", async () => {
    expect((await fetch(`${h.url}/slack/events`)).status).toBe(405);
    expect((await fetch(`${h.url}/slack/other`, { method: "POST", body: "x" })).status).toBe(404);
  });

  it("Slack's unsigned ssl_check gets 200 and does nothing", async () => {
    expect((await h.post("ssl_check=1&token=x", { sign: false })).status).toBe(200);
  });

  it("what the headers decide is decided before the body: a stale or unsigned request with a 1 MB body that never comes is refused (401)", async () => {
    const stale = sign("x", nowSec() - 3600);
    for (const headers of [stale, {}]) {
      const status = await new Promise<number>((resolve, reject) => {
        const u = new URL(h.url);
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            method: "POST",
            path: "/slack/events",
            headers: { ...headers, "content-type": "application/x-www-form-urlencoded", "content-length": String(1024 * 1024) },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on("error", reject);
        // headers only: the body is never sent, so the answer cannot have waited for it
        req.flushHeaders();
      });
      expect(status, JSON.stringify(headers)).toBe(401);
    }
    await nothingHappened();
  });
});
