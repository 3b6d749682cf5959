import { afterEach, describe, expect, it } from "vitest";
import { createFetchHttpPort } from "../../src/adapters/index.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { evaluateOnce, type ScopeRuntime } from "../../bots/server/work/index.js";
import { CONFIGS, startHarness, type Harness } from "./harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let n = 0;
function failedRun(): HooklineEvent {
  n++;
  return {
    id: `5e0c0d0e-0000-4000-8000-${String(n).padStart(12, "0")}`,
    occurred: new Date().toISOString(),
    event: "github.workflow-run.Failed",
    resource: { "prefect.resource.id": `github.workflow-run.${1000 + n}`, "github.repository": "acme/app", "github.state": "Failed" },
    related: [],
    payload: {},
    follows: null,
  };
}

describe("issue 5, done when: pause from Slack, see it stop firing, resume, both changes in the feed with who", () => {
  it("a paused automation does not fire on the server's evaluator; after resume it fires again; the feed has both changes with the Slack user", async () => {
    h = await startHarness({ sql: true });
    const store = h.store;
    const runtime: ScopeRuntime = {
      configOf: async (scope) => CONFIGS[scope] ?? null,
      portsOf: async () => ({ http: createFetchHttpPort(), env: {}, repository: { owner: "acme", repo: "app" } }),
    };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const evaluate = async (event: HooklineEvent) => {
      await store.ingest([{ event, scopes: ["server", "repo:acme/app"], origin: { kind: "api", name: "test" } }]);
      while ((await evaluateOnce({ store, runtime, clock: { now: () => Date.now() }, log })) > 0);
      return (await store.listFirings("repo:acme/app", "deploy-alerts", 100)).length;
    };
    expect(await evaluate(failedRun())).toBe(1);

    expect(String((await h.command("pause deploy-alerts", { user: "UOPS1", team: "TACME" })).answer?.text)).toContain("paused");
    expect(await evaluate(failedRun())).toBe(1);
    expect(await evaluate(failedRun())).toBe(1);

    expect(String((await h.command("resume deploy-alerts", { user: "UOPS1", team: "TACME" })).answer?.text)).toContain("resumed");
    expect(await evaluate(failedRun())).toBe(2);

    const feed = (await store.listEvents({ name: "hookline.automation.*", limit: 100 })).events.map((e) => e.event);
    const changes = feed.filter((e) => e.event === "hookline.automation.paused" || e.event === "hookline.automation.resumed");
    expect(
      changes.map((e) => [
        e.event,
        e.resource["prefect.resource.id"],
        e.related?.[0]?.["prefect.resource.id"],
        e.related?.[0]?.["slack.team"],
      ]),
    ).toEqual([
      ["hookline.automation.paused", "hookline.automation.deploy-alerts", "slack.user.UOPS1", "TACME"],
      ["hookline.automation.resumed", "hookline.automation.deploy-alerts", "slack.user.UOPS1", "TACME"],
    ]);
    const history = String((await h.command("history deploy-alerts")).answer?.text);
    expect(history).toContain("resumed by <@UOPS1>");
    expect(history).toContain("paused by <@UOPS1>");
    expect(history.match(/fired /g)).toHaveLength(2);
  });
});
