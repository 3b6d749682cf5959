/**
 * The start log tells a newcomer what the first hour needs (README: "the log says which features wait for which
 * settings"): where the console is, and each notifier whose variable is unset, before its first alert fails.
 */
import { afterAll, describe, expect, it } from "vitest";
import { missingNotifierEnv } from "../../../bots/server/notifier-env.js";
import type { Notifier } from "../../../src/automations/index.js";
import { boot, cleanupDirs, configDir } from "./helpers.js";

afterAll(() => cleanupDirs());

const AUTOMATIONS = `notifiers:
  alerts: { type: webhook, url_env: ALERTS_URL }
  team: { type: teams, webhook_url_env: TEAMS_URL }
automations:
  - name: tell
    trigger: { expect: acme.thing.happened }
    actions:
      - { type: send-notification, notifier: alerts, body: "it happened" }
      - { type: send-notification, notifier: team, body: "it happened" }
`;

describe("the start log", () => {
  it("names the console's address after ready, and warns per notifier whose variable is unset (blank counts as unset)", async () => {
    const s = await boot({
      configDir: configDir({ automations: AUTOMATIONS }),
      env: { TEAMS_URL: "https://teams.invalid/hook", ALERTS_URL: " " },
    });
    try {
      const msgs = s.logs.map((l) => String(l.msg));
      const ready = msgs.findIndex((m) => m === `ready ${s.url}`);
      expect(ready).toBeGreaterThanOrEqual(0);
      expect(msgs.slice(ready)).toContain(`console: open ${s.url}/ in a browser and sign in with the API token`);
      const warned = s.logs.filter((l) => l.notifier !== undefined);
      expect(warned).toEqual([
        expect.objectContaining({
          level: 40,
          notifier: "alerts",
          env: "ALERTS_URL",
          msg: "notifier alerts needs ALERTS_URL: until it is set, its notifications fail",
        }),
      ]);
    } finally {
      await s.server.close();
    }
  });

  it("reads each notifier type's variable as the executor does: Slack falls back to the bot token, e-mail to HOOKLINE_SMTP_URL", () => {
    const notifiers = {
      s1: { type: "slack", channel: "#a" },
      s2: { type: "slack", channel: "#a", webhook_url_env: "S2_HOOK" },
      s3: { type: "slack", channel: "#a", token_env: "S3_TOKEN" },
      m1: { type: "email", to: ["a@example.com"] },
      m2: { type: "email", to: ["a@example.com"], smtp_url_env: "M2_SMTP" },
    } satisfies Record<string, Notifier>;
    expect(missingNotifierEnv(notifiers, {})).toEqual([
      { notifier: "s1", env: "SLACK_BOT_TOKEN" },
      { notifier: "s2", env: "S2_HOOK" },
      { notifier: "s3", env: "S3_TOKEN" },
      { notifier: "m1", env: "HOOKLINE_SMTP_URL" },
      { notifier: "m2", env: "M2_SMTP" },
    ]);
    const env = {
      SLACK_BOT_TOKEN: "xoxb-1",
      S2_HOOK: "https://hooks.slack.invalid/x",
      S3_TOKEN: "xoxb-3",
      HOOKLINE_SMTP_URL: "smtp://x",
      M2_SMTP: "smtp://y",
    };
    expect(missingNotifierEnv(notifiers, env)).toEqual([]);
  });
});
