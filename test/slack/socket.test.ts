import { describe, expect, it } from "vitest";
import { createSocketModeBot, runSocketMode } from "../../bots/slack/socket.js";
import { createFakeStore } from "../server/work/fake-store.js";
import { createPauseTargets } from "../../bots/slack/pause-targets.js";

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("Socket Mode (development)", () => {
  it("builds the same Bolt app around a SocketModeReceiver without connecting", () => {
    const store = createFakeStore();
    const bot = createSocketModeBot({
      appToken: "xapp-1-test",
      token: "xoxb-test",
      store,
      policy: { rules: [], file: null },
      targets: createPauseTargets({ store }),
      executeAction: async () => ({ status: "executed", attempts: 1 }),
      log,
    });
    expect(typeof bot.app.command).toBe("function");
  });

  it("says which variable to set when SLACK_APP_TOKEN or SLACK_BOT_TOKEN is missing, or the app token is not xapp-", async () => {
    await expect(runSocketMode({ SLACK_BOT_TOKEN: "xoxb" }, log)).rejects.toThrow(/SLACK_APP_TOKEN/);
    await expect(runSocketMode({ SLACK_APP_TOKEN: "xapp-1" }, log)).rejects.toThrow(/SLACK_BOT_TOKEN/);
    const store = createFakeStore();
    expect(() =>
      createSocketModeBot({
        appToken: "xoxb-wrong",
        token: "xoxb",
        store,
        policy: { rules: [], file: null },
        targets: createPauseTargets({ store }),
        executeAction: async () => ({ status: "executed", attempts: 1 }),
        log,
      }),
    ).toThrow(/app-level token/);
  });
});
