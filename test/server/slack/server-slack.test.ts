/**
 * The Slack bot mounted in the running server (POST /slack/events): PGlite in memory, a fake Slack Web API on
 * 127.0.0.1 (SLACK_API_URL, also the commands' response_url), signed requests like Slack sends them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readServerConfig } from "../../../bots/server/config.js";
import { startServer } from "../../../bots/server/main.js";
import { nowSec, sign, startRecorder, type Recorder } from "../../slack/harness.js";
import { boot, call, cleanupDirs, configDir, waitFor, type Booted } from "../http/helpers.js";

const SECRET = "server-slack-signing-secret-0001";
const TOKEN = "xoxb-server-test";

const AUTOMATIONS = `notifiers:
  ops:
    type: slack
    channel: C0ALERTS
    token_env: SLACK_BOT_TOKEN
automations:
  - name: nightly
    trigger: {expect: [mainframe.job.done]}
    actions: [{type: do-nothing}]
  - name: tell-ops
    trigger: {expect: [mainframe.job.failed]}
    actions: [{type: send-notification, notifier: ops, body: "mainframe failed: {{ event.resource['prefect.resource.id'] }}"}]
`;
const POLICY = `rules:
  - allow: [pause, resume]
    scopes: [server]
    users: [UOPS1]
`;

let slack: Recorder;
let s: Booted;
let seq = 0;

function slackConfigDir(policy: string | null): string {
  const dir = configDir({ automations: AUTOMATIONS });
  if (policy !== null) writeFileSync(join(dir, "slack.yaml"), policy);
  return dir;
}

beforeAll(async () => {
  slack = await startRecorder((req) => {
    if (req.path === "/api/auth.test") return { body: { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" } };
    if (req.path === "/api/chat.postMessage")
      return { body: { ok: true, channel: "C0ALERTS", ts: `1714560000.${String(++seq).padStart(6, "0")}` } };
    if (req.path === "/api/chat.update") return { body: { ok: true, channel: req.args.channel, ts: req.args.ts } };
    if (req.path.startsWith("/respond/")) return { body: { ok: true } };
    return { body: { ok: false, error: "unknown_method" } };
  });
  s = await boot({
    configDir: slackConfigDir(POLICY),
    env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: `${slack.url}/api/` },
  });
});

afterAll(async () => {
  await s?.server.close();
  await slack?.close();
  cleanupDirs();
});

async function postSlack(body: string, signed = true) {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    ...(signed ? sign(body, nowSec(), SECRET) : {}),
  };
  return call(`${s.url}/slack/events`, { method: "POST", headers, body });
}

let commands = 0;
/** a signed `/hookline <text>`; resolves with the answer posted to its response_url (or the HTTP status alone) */
async function command(text: string, user = "UOPS1", signed = true) {
  const path = `/respond/cmd-${++commands}`;
  const form = new URLSearchParams({
    token: "legacy",
    team_id: "TACME",
    team_domain: "acme",
    channel_id: "C0GENERAL",
    channel_name: "general",
    user_id: user,
    user_name: "someone",
    command: "/hookline",
    text,
    api_app_id: "A1",
    response_url: `${slack.url}${path}`,
    trigger_id: `trigger-${commands}`,
  }).toString();
  const res = await postSlack(form, signed);
  if (res.status !== 200) return { status: res.status, answer: undefined };
  const answer = await waitFor(`the answer to /hookline ${text}`, () => slack.requests.find((r) => r.path === path));
  return { status: res.status, answer: String(answer.args.text) };
}

async function automation(name: string) {
  const status = (await call(`${s.url}/api/automations?scope=server`)).json;
  return status.scopes[0].automations.find((a: { name: string }) => a.name === name) as { paused: boolean; paused_by: string | null };
}

type Ev = { event: string; resource: Record<string, string>; related: Record<string, string>[] };
const feed = async (name: string): Promise<Ev[]> => (await call(`${s.url}/api/events?name=${name}`)).json.events;

describe("the Slack bot in the server, at POST /slack/events", () => {
  it("says at start what Slack features are on", () => {
    const line = s.logs.find((l) => l.slack === "on");
    expect(line).toMatchObject({ rules: 1 });
    expect(String(line?.msg)).toContain("POST /slack/events");
  });

  it("an unsigned /hookline pause is refused and changes nothing", async () => {
    const r = await command("pause nightly", "UOPS1", false);
    expect(r.status).toBe(401);
    expect((await automation("nightly")).paused).toBe(false);
    expect(await feed("hookline.automation.*")).toEqual([]);
  });

  it("a request signed with another secret is refused too", async () => {
    const body = new URLSearchParams({
      command: "/hookline",
      text: "pause nightly",
      user_id: "UOPS1",
      response_url: `${slack.url}/respond/x`,
    }).toString();
    const r = await call(`${s.url}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...sign(body, nowSec(), "another-secret") },
      body,
    });
    expect(r.status).toBe(401);
    expect((await automation("nightly")).paused).toBe(false);
  });

  it("a user no rule names is denied and nothing changes", async () => {
    const r = await command("pause nightly", "UINTRUDER");
    expect(r.answer).toContain("you may not pause");
    expect((await automation("nightly")).paused).toBe(false);
    expect(await feed("hookline.automation.*")).toEqual([]);
  });

  it("a signed /hookline pause by an allowed user pauses the automation; the feed has the change with the actor", async () => {
    const r = await command("pause nightly");
    expect(r.status).toBe(200);
    expect(r.answer).toContain("paused");
    expect(await automation("nightly")).toMatchObject({ paused: true, paused_by: "slack:UOPS1" });
    const [paused] = await feed("hookline.automation.paused");
    expect(paused).toMatchObject({
      event: "hookline.automation.paused",
      resource: { "prefect.resource.id": "hookline.automation.nightly" },
    });
    expect(paused!.related).toContainEqual(
      expect.objectContaining({ "prefect.resource.id": "slack.user.UOPS1", "prefect.resource.role": "actor", "slack.team": "TACME" }),
    );
  });

  it("resume works and is recorded with the actor", async () => {
    const r = await command("resume nightly");
    expect(r.answer).toContain("resumed");
    expect((await automation("nightly")).paused).toBe(false);
    const [resumed] = await feed("hookline.automation.resumed");
    expect(resumed!.related).toContainEqual(expect.objectContaining({ "prefect.resource.id": "slack.user.UOPS1" }));
  });

  it("a notification from a firing carries its scope in the button values, and its Pause button works", async () => {
    const ingest = await call(`${s.url}/api/events`, {
      json: {
        id: crypto.randomUUID(),
        occurred: new Date().toISOString(),
        event: "mainframe.job.failed",
        resource: { "prefect.resource.id": "mainframe.job.7" },
      },
    });
    expect(ingest.status, ingest.text).toBe(202);
    const post = await waitFor("the notification", () => slack.requests.find((r) => r.path === "/api/chat.postMessage"));
    expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const blocks = (typeof post.args.blocks === "string" ? JSON.parse(post.args.blocks) : post.args.blocks) as {
      elements?: { action_id: string; value?: string; text: { text: string } }[];
    }[];
    const buttons = blocks.flatMap((b) => b.elements ?? []);
    const pause = buttons.find((b) => b.action_id === "hookline_pause_automation")!;
    expect(JSON.parse(pause.value!)).toEqual({ automation: "tell-ops", scope: "server" });

    const payload = {
      type: "block_actions",
      user: { id: "UOPS1", username: "someone", team_id: "TACME" },
      api_app_id: "A1",
      token: "legacy",
      container: { type: "message", message_ts: "1714560000.000001", channel_id: "C0ALERTS", is_ephemeral: false },
      trigger_id: "trigger-click-1",
      team: { id: "TACME", domain: "acme" },
      channel: { id: "C0ALERTS", name: "alerts" },
      message: { type: "message", user: "UBOT", bot_id: "BBOT", text: String(post.args.text), ts: "1714560000.000001", blocks },
      response_url: `${slack.url}/respond/click-1`,
      actions: [
        {
          action_id: pause.action_id,
          block_id: "hookline_buttons",
          text: { type: "plain_text", text: pause.text.text },
          value: pause.value,
          type: "button",
          action_ts: "1714560100.1",
        },
      ],
    };
    const click = await postSlack(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(click.status).toBe(200);
    await waitFor("tell-ops paused", async () => (await automation("tell-ops")).paused);
    expect((await automation("tell-ops")).paused_by).toBe("slack:UOPS1");
  });
});

describe("the server without the Slack bot", () => {
  it("answers /slack/events with 503 naming the missing variables", async () => {
    const b = await boot({ configDir: slackConfigDir(null), env: { SLACK_BOT_TOKEN: TOKEN } });
    try {
      const r = await call(`${b.url}/slack/events`, { method: "POST", body: "command=/hookline" });
      expect(r.status).toBe(503);
      expect(r.json.error).toMatchObject({ code: "HOOKLINE_SLACK_NOT_CONFIGURED", missing: ["SLACK_SIGNING_SECRET"] });
      expect(b.logs.find((l) => l.slack === "off")).toBeDefined();
    } finally {
      await b.server.close();
    }
  });

  it("without slack.yaml the bot answers reads and denies changes", async () => {
    const b = await boot({
      configDir: slackConfigDir(null),
      env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: `${slack.url}/api/` },
    });
    try {
      expect(String(b.logs.find((l) => l.slack === "on")?.msg)).toContain("reads only");
      const form = new URLSearchParams({
        command: "/hookline",
        text: "pause nightly",
        user_id: "UOPS1",
        team_id: "TACME",
        channel_id: "C0GENERAL",
        response_url: `${slack.url}/respond/nopolicy`,
        trigger_id: "t-nopolicy",
        api_app_id: "A1",
        token: "legacy",
      }).toString();
      const r = await call(`${b.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...sign(form, nowSec(), SECRET) },
        body: form,
      });
      expect(r.status).toBe(200);
      const answer = await waitFor("the answer", () => slack.requests.find((x) => x.path === "/respond/nopolicy"));
      expect(String(answer.args.text)).toContain("no slack.yaml");
      const status = (await call(`${b.url}/api/automations?scope=server`)).json;
      expect(status.scopes[0].automations.every((a: { paused: boolean }) => !a.paused)).toBe(true);
    } finally {
      await b.server.close();
    }
  });

  it("a bad slack.yaml stops the start with its positions (exit 2 in hookline serve)", async () => {
    const dir = slackConfigDir("rules:\n  - allow: [pause]\n    users: [bob]\n");
    const config = readServerConfig({ PORT: "0", HOOKLINE_CONFIG_DIR: dir, HOOKLINE_DATA_DIR: "memory://", LOG_LEVEL: "silent" });
    await expect(startServer(config)).rejects.toMatchObject({
      code: "HOOKLINE_SLACK_POLICY_INVALID",
      problems: [expect.stringMatching(/slack\.yaml:3:\d+/)],
    });
  });

  it("SLACK_BOT_TOKEN that is not a Slack token is a configuration error", () => {
    expect(() =>
      readServerConfig({ PORT: "0", HOOKLINE_DATA_DIR: "memory://", SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "ghp_wrongtoken" }),
    ).toThrow(expect.objectContaining({ code: "HOOKLINE_CONFIG_BAD_SLACK_TOKEN" }));
  });
});
