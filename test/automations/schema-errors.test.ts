import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/automations/index.js";
import { codes, errors, load, notifiers, only, yaml } from "./helpers.js";

const wrap = (actions: string) => `${notifiers}automations:\n  - name: a\n    trigger: {expect: a.b.c}\n    actions:\n${actions}`;

describe("unknown fields and types", () => {
  it("a misspelt field is an error at its key with a did-you-mean hint", () => {
    const r = load(yaml`
      automations:
        - name: a
          trigger:
            expct: github.workflow-run.Failed
    `);
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD")).toMatchObject({
      line: 4,
      col: 7,
      message: "unknown field `expct`",
      hint: "did you mean `expect`?",
    });
  });

  it("an unknown field with no close match lists the allowed fields", () => {
    const r = load(wrap("      - {type: comment, body: hi, colour: red}\n"));
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD").hint).toMatch(/^allowed fields: type, only_states, .*body$/);
  });

  it("fields of one action type are unknown on another", () => {
    const r = load(wrap("      - {type: comment, body: hi, workflow: ci.yml}\n"));
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD").message).toBe("unknown field `workflow`");
  });

  it("a misspelt action type gets a did-you-mean hint at the type value", () => {
    const r = load(wrap("      - type: send-notifcation\n"));
    expect(only(r, "HOOKLINE_UNKNOWN_TYPE")).toMatchObject({
      line: 7,
      col: 15,
      message: "unknown action type `send-notifcation`",
      hint: "did you mean `send-notification`?",
    });
  });

  it("an action without a type lists the types", () => {
    const r = load(wrap("      - workflow: ci.yml\n"));
    const p = only(r, "HOOKLINE_MISSING_FIELD");
    expect(p.message).toBe("action needs a `type`");
    expect(p.hint).toContain("run-workflow");
  });

  it("a misspelt trigger type gets a did-you-mean hint", () => {
    const r = load("automations:\n  - name: a\n    trigger: {type: compund, triggers: []}\n");
    expect(only(r, "HOOKLINE_UNKNOWN_TYPE").hint).toBe("did you mean `compound`?");
  });

  it("`triggers` on a trigger without a type suggests `type: compound`", () => {
    const r = load("automations:\n  - name: a\n    trigger: {triggers: [{expect: a.b.c}]}\n");
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD").hint).toContain("type: compound");
  });

  it("a misspelt notifier type gets a did-you-mean hint", () => {
    const r = load('notifiers:\n  ops: {type: slak, channel: "#ops"}\nautomations: []\n');
    expect(only(r, "HOOKLINE_UNKNOWN_TYPE")).toMatchObject({ line: 2, col: 15, hint: "did you mean `slack`?" });
  });
});

describe("required fields per action type", () => {
  const cases: [string, string][] = [
    ["run-workflow", "workflow"],
    ["repository-dispatch", "event_type"],
    ["enable-workflow", "workflow"],
    ["disable-workflow", "workflow"],
    ["send-notification", "notifier"],
    ["call-webhook", "url"],
    ["emit-event", "event"],
    ["create-issue", "title"],
    ["comment", "body"],
  ];
  it.each(cases)("%s needs %s", (type, field) => {
    const r = load(wrap(`      - type: ${type}\n`));
    const missing = r.problems.filter((p) => p.code === "HOOKLINE_MISSING_FIELD");
    expect(missing.map((p) => p.message)).toContain(`missing required field \`${field}\` for \`${type}\``);
    expect(missing[0]).toMatchObject({ line: 7, col: 9 });
  });

  it("types without required fields load with only their type", () => {
    for (const type of ["do-nothing", "cancel-workflow-run", "rerun-workflow-run", "pause-automation", "resume-automation"]) {
      expect(load(wrap(`      - type: ${type}\n`)).problems).toEqual([]);
    }
  });

  it("an empty required string is an error", () => {
    const r = load(wrap('      - {type: run-workflow, workflow: ""}\n'));
    expect(only(r, "HOOKLINE_INVALID_VALUE").message).toBe("workflow must not be empty");
  });
});

describe("wrong values", () => {
  it("an unknown state name in only_states / ignore_states gets a did-you-mean hint", () => {
    const r = load(wrap("      - {type: do-nothing, only_states: [Failed, Runing], ignore_states: Canceled}\n"));
    expect(r.problems.filter((p) => p.code === "HOOKLINE_UNKNOWN_STATE").map((p) => [p.message, p.hint, p.col])).toEqual([
      ["unknown state `Runing`", "did you mean `Running`?", 50],
      ["unknown state `Canceled`", "did you mean `Cancelled`?", 74],
    ]);
  });

  it("a wrong scalar type names the field, the expected and the received type", () => {
    const r = load("automations:\n  - name: a\n    enabled: yes please\n    trigger: {expect: a.b.c}\n");
    expect(only(r, "HOOKLINE_INVALID_TYPE")).toMatchObject({
      line: 3,
      col: 14,
      message: "enabled must be a boolean, not string `yes please`",
    });
  });

  it("negative or malformed durations are errors at the value", () => {
    const r = load(wrap("      - {type: do-nothing, timeout: -5, retry_interval: 5 minutes}\n"));
    expect(r.problems.map((p) => [p.code, p.col])).toEqual([
      ["HOOKLINE_INVALID_VALUE", 37],
      ["HOOKLINE_INVALID_VALUE", 57],
    ]);
    expect(r.problems[0]!.message).toContain("negative durations are not allowed");
  });

  it("an empty pattern list in match is an error (it would match nothing)", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expect: a.b.c, match: {x: []}}\n");
    expect(only(r, "HOOKLINE_INVALID_VALUE").message).toContain("matches nothing");
  });

  it("a non-mapping inside a match_related list is an error at that item", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expect: a.b.c, match_related: [{x: y}, 5]}\n");
    expect(only(r, "HOOKLINE_INVALID_TYPE")).toMatchObject({ line: 3, col: 54 });
  });

  it("a missing trigger is reported at the automation", () => {
    const r = load("automations:\n  - name: a\n");
    expect(only(r, "HOOKLINE_MISSING_FIELD")).toMatchObject({ line: 2, col: 5, message: "missing required field `trigger`" });
  });

  it("max_retries must be a whole number from 0 to 100", () => {
    expect(codes(load(wrap("      - {type: do-nothing, max_retries: 1.5}\n")))).toEqual(["HOOKLINE_INVALID_TYPE"]);
    expect(codes(load(wrap("      - {type: do-nothing, max_retries: -1}\n")))).toEqual(["HOOKLINE_INVALID_VALUE"]);
    expect(codes(load(wrap("      - {type: do-nothing, max_retries: 1000}\n")))).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });
});

describe("notifiers", () => {
  it("the four notifier types load", () => {
    const r = load(yaml`
      notifiers:
        ops: {type: slack, channel: "#ops", token_env: SLACK_BOT_TOKEN}
        hook: {type: slack, channel: "#ci", webhook_url_env: SLACK_WEBHOOK_URL, mention_on_failure: ["@alice"]}
        teams: {type: teams, webhook_url_env: TEAMS_WEBHOOK}
        mail: {type: email, to: [ops@example.com], from: ci@example.com, smtp_url_env: SMTP_URL}
        hooks: {type: webhook, url_env: MY_HOOK}
      automations: []
    `);
    expect(errors(r)).toEqual([]);
    expect(r.config!.notifiers.teams).toEqual({ type: "teams", webhook_url_env: "TEAMS_WEBHOOK" });
    expect(Object.keys(r.config!.notifiers)).toEqual(["ops", "hook", "teams", "mail", "hooks"]);
  });

  it("an inline secret is an error whose hint names the *_env field", () => {
    const r = load(yaml`
      notifiers:
        ops: {type: slack, channel: "#ops", webhook_url: "https://hooks.slack.com/services/T/B/X"}
        bot: {type: slack, channel: "#ops", token: xoxb-123}
        hook: {type: webhook, url: "https://example.com/x", url_env: HOOK}
        mail: {type: email, to: [a@b.c], password: hunter2}
      automations: []
    `);
    const secrets = r.problems.filter((p) => p.code === "HOOKLINE_INLINE_SECRET");
    expect(secrets.map((p) => [p.line, p.col, p.hint])).toEqual([
      [2, 39, "use `webhook_url_env: NAME_OF_ENV_VAR`"],
      [3, 39, "use `token_env: NAME_OF_ENV_VAR`"],
      [4, 25, "use `url_env: NAME_OF_ENV_VAR`"],
      [5, 36, "use `smtp_url_env: NAME_OF_ENV_VAR`"],
    ]);
    expect(r.config).toBeNull();
  });

  it("an *_env field must hold a variable NAME, not a value", () => {
    const r = load('notifiers:\n  t: {type: teams, webhook_url_env: "https://outlook.office.com/x"}\nautomations: []\n');
    expect(only(r, "HOOKLINE_INVALID_VALUE").message).toContain("NAME of an environment variable");
  });

  it("an email notifier needs addresses", () => {
    const r = load("notifiers:\n  m: {type: email, to: [not-an-address]}\nautomations: []\n");
    expect(only(r, "HOOKLINE_INVALID_VALUE").message).toContain("email address");
  });
});

describe("formatProblem", () => {
  it("prints file:line:col: severity: message (hint)", () => {
    const r = load("automations:\n  - name: a\n    trigger: {expct: a.b.c}\n");
    expect(formatProblem(r.problems[0]!)).toBe("automations.yaml:3:15: error: unknown field `expct` (did you mean `expect`?)");
    expect(formatProblem({ severity: "warning", code: "HOOKLINE_YAML_WARNING", message: "m", file: "f.yaml", line: 2, col: 3 })).toBe(
      "f.yaml:2:3: warning: m",
    );
  });

  it("problems come errors first, then warnings, each by position", () => {
    const r = load(yaml`
      automations:
        - name: a
          trigger: {expect: [a.b.c, "!a.b.d"], match: {prefect.resource.id: "x.*"}}
        - name: b
          trigger: {expect: [a.b.c, "!a.b.d"], match: {prefect.resource.id: "x.*"}}
          actions: [{type: do-nothing, timeout: 0}]
        - name: a
          trigger: {expect: a.b.c}
    `);
    expect(r.problems.map((p) => [p.severity, p.line])).toEqual([
      ["error", 6],
      ["error", 7],
      ["warning", 3],
      ["warning", 5],
    ]);
  });
});
