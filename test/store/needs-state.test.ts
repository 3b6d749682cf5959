import { describe, expect, it } from "vitest";
import type { ActionSpec, Automation, AutomationsConfig, EventTriggerSpec, Notifier, TriggerSpec } from "../../src/automations/types.js";
import { isStatelessTrigger, needsState, stateUse } from "../../src/store/index.js";

function ev(over: Partial<EventTriggerSpec> = {}): EventTriggerSpec {
  return {
    type: "event",
    match: { "prefect.resource.id": ["github.workflow-run.*"] },
    match_related: [],
    after: [],
    expect: ["github.workflow-run.Failed"],
    for_each: [],
    posture: "Reactive",
    threshold: 1,
    within: 0,
    repeat: null,
    ...over,
  } as EventTriggerSpec;
}

function act(type: ActionSpec["type"], params: Record<string, unknown> = {}): ActionSpec {
  return { type, params, only_states: null, ignore_states: null, max_retries: 3, retry_interval: 10, timeout: 30 };
}

function auto(trigger: TriggerSpec, actions: ActionSpec[] = [act("do-nothing")], over: Partial<Automation> = {}): Automation {
  return { name: "a", description: "", enabled: true, trigger, actions, actions_on_trigger: [], actions_on_resolve: [], ...over };
}

const config = (automations: Automation[], notifiers: Record<string, Notifier> = {}): AutomationsConfig => ({ automations, notifiers });

describe("needsState: triggers", () => {
  it.each<[string, TriggerSpec, boolean]>([
    ["reactive, threshold 1, within 0", ev(), false],
    ["reactive, threshold 0 (acts as 1)", ev({ threshold: 0 }), false],
    ["reactive with for_each (labels only)", ev({ for_each: ["github.repository"] }), false],
    ["reactive, threshold 2 (counts)", ev({ threshold: 2 }), true],
    ["reactive, threshold 1 within 1h (the window rate-limits)", ev({ within: 3600 }), true],
    ["reactive with after (a bucket must be armed)", ev({ after: ["github.workflow-run.Running"] }), true],
    ["proactive (absence)", ev({ posture: "Proactive", within: 600 }), true],
    ["compound any of stateless children", { type: "compound", triggers: [ev(), ev()], require: "any", within: null }, false],
    ["compound require 1 of stateless children", { type: "compound", triggers: [ev(), ev()], require: 1, within: 60 }, false],
    [
      "compound any with a counting child",
      { type: "compound", triggers: [ev(), ev({ threshold: 3 })], require: "any", within: null },
      true,
    ],
    ["compound all (stores child firings)", { type: "compound", triggers: [ev(), ev()], require: "all", within: null }, true],
    ["compound require 2", { type: "compound", triggers: [ev(), ev()], require: 2, within: null }, true],
    ["sequence", { type: "sequence", triggers: [ev(), ev()], within: null }, true],
  ])("%s -> %s", (_, trigger, expected) => {
    expect(isStatelessTrigger(trigger)).toBe(!expected);
    expect(needsState(config([auto(trigger)]))).toBe(expected);
  });

  it("one stateful automation among stateless ones makes the whole configuration stateful", () => {
    expect(needsState(config([auto(ev()), auto(ev({ threshold: 5 }), undefined, { name: "b" }), auto(ev())]))).toBe(true);
  });

  it("a disabled stateful automation needs no state (it evaluates nothing)", () => {
    expect(needsState(config([auto(ev({ threshold: 5 }), undefined, { enabled: false })]))).toBe(false);
  });

  it("an empty configuration needs no state", () => {
    expect(needsState(config([]))).toBe(false);
    expect(stateUse(config([]))).toBe("lazy");
  });
});

describe("needsState: actions", () => {
  const slackBot: Notifier = { type: "slack", channel: "#ci" };
  const slackToken: Notifier = { type: "slack", channel: "#ci", token_env: "SLACK_TOKEN" };
  const slackBoth: Notifier = { type: "slack", channel: "#ci", token_env: "T", webhook_url_env: "W" };
  const slackHook: Notifier = { type: "slack", channel: "#ci", webhook_url_env: "SLACK_WEBHOOK" };
  const teams: Notifier = { type: "teams", webhook_url_env: "TEAMS" };
  const email: Notifier = { type: "email", to: ["a@example.com"] };

  it.each<[string, Notifier, boolean]>([
    ["slack bot (the action's slack-token)", slackBot, true],
    ["slack bot with token_env", slackToken, true],
    ["slack with a token and a webhook (the bot is used)", slackBoth, true],
    ["slack incoming webhook only (cannot thread)", slackHook, false],
    ["teams", teams, false],
    ["email", email, false],
  ])("send-notification to %s -> %s", (_, notifier, expected) => {
    const c = config([auto(ev(), [act("send-notification", { notifier: "n", body: "x" })])], { n: notifier });
    expect(needsState(c)).toBe(expected);
    expect(stateUse(c)).toBe(expected ? "full" : "lazy");
  });

  it("threading counts in actions_on_resolve too", () => {
    const a = auto(ev(), [], { actions_on_resolve: [act("send-notification", { notifier: "n", body: "x" })] });
    expect(needsState(config([a], { n: slackBot }))).toBe(true);
  });

  it("an unknown or templated notifier name is assumed to thread", () => {
    expect(needsState(config([auto(ev(), [act("send-notification", { notifier: "{{ labels.team }}", body: "x" })])], { n: teams }))).toBe(
      true,
    );
    expect(needsState(config([auto(ev(), [act("send-notification", { notifier: "constructor", body: "x" })])], {}))).toBe(true);
  });

  it.each(["pause-automation", "resume-automation"] as const)("%s needs state (pause flags), even in a disabled automation", (type) => {
    expect(needsState(config([auto(ev(), [act(type, { automation: "b" })], { enabled: false })]))).toBe(true);
  });

  it.each(["run-workflow", "repository-dispatch", "call-webhook", "comment", "create-issue", "emit-event", "do-nothing"] as const)(
    "%s alone needs no state",
    (type) => {
      expect(needsState(config([auto(ev(), [act(type)])]))).toBe(false);
    },
  );
});
