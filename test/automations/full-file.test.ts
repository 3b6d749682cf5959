import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { automationsJsonSchemaText } from "../../src/automations/index.js";
import { closest, editDistance } from "../../src/automations/did-you-mean.js";
import { load, yaml } from "./helpers.js";

const REALISTIC = yaml`
  # yaml-language-server: $schema=../schema/automations.schema.json
  notifiers:
    ops: {type: slack, channel: "#ops", token_env: SLACK_BOT_TOKEN}
    oncall: {type: teams, webhook_url_env: TEAMS_ONCALL_WEBHOOK}
    release-mail: {type: email, to: [releases@example.com]}

  automations:
    - name: notify failed runs on main
      description: Tell #ops when a workflow run fails on main
      trigger:
        expect: github.workflow-run.Failed
        match: {github.branch: main}
        for_each: [related:workflow:prefect.resource.name]
      actions:
        - type: send-notification
          notifier: ops
          subject: "{{ event.resource['prefect.resource.name'] }} failed"
          body: |
            Run {{ workflow_run.html_url }} failed on main.
            Attempt {{ event.resource['github.attempt'] }}.
          only_states: [Failed, TimedOut]

    - name: retry flaky jobs once
      trigger:
        expect: github.workflow-run.Failed
        match_related: {prefect.resource.role: workflow, prefect.resource.name: [integration.yml, e2e.yml]}
      actions:
        - {type: rerun-workflow-run, failed_jobs_only: true, max_retries: 2, retry_interval: 30s}

    - name: no heartbeat from the nightly build
      trigger:
        posture: Proactive
        after: github.workflow-run.Running
        expect: github.workflow-run.Completed
        for_each: [related:workflow:prefect.resource.name]
        match_related: {prefect.resource.role: workflow, prefect.resource.name: nightly.yml}
        within: PT2H
        repeat: 6h
      actions:
        - {type: send-notification, notifier: oncall, body: "Nightly has not completed in 2 hours"}
      actions_on_resolve:
        - {type: send-notification, notifier: oncall, body: "Nightly completed again"}

    - name: release train
      trigger:
        type: sequence
        within: 1d
        triggers:
          - expect: github.pull-request.closed
            match: {github.base_branch: release}
          - type: compound
            require: any
            triggers:
              - {expect: github.release.published}
              - {expect: github.release.created, threshold: 2, within: 10m}
      actions:
        - type: repository-dispatch
          event_type: release-train
          client_payload: {tag: "{{ event.resource['github.tag'] }}"}
        - {type: send-notification, notifier: release-mail, body: "Release {{ labels['github.tag'] }} shipped"}
        - type: call-webhook
          url: https://status.example.com/api/releases
          method: PUT
          headers: {Content-Type: application/json}
          body: {version: "{{ event.resource['github.tag'] }}"}
          timeout: 10s

    - name: pause noisy alerts during incidents
      trigger: {expect: acme.incident.opened}
      actions:
        - {type: pause-automation, automation: notify failed runs on main}
        - {type: emit-event, event: acme.incident.paused, payload: {by: automation}}
        - {type: create-issue, title: "Incident {{ event.id }}", labels: [incident]}
        - {type: disable-workflow, workflow: nightly.yml}

  workflows:
    deploy.yml:
      triggers:
        - expect: github.workflow-run.Completed
          match_related: {prefect.resource.role: workflow, prefect.resource.name: build.yml}
          inputs: {environment: staging, sha: "{{ event.resource['github.head_sha'] }}"}
        - name: deploy on release
          expect: github.release.published
          inputs: {environment: production}
`;

describe("a realistic file", () => {
  it("loads with no problems into the normalized model", () => {
    const r = load(REALISTIC);
    expect(r.problems).toEqual([]);
    const c = r.config!;
    expect(c.automations.map((a) => a.name)).toEqual([
      "notify failed runs on main",
      "retry flaky jobs once",
      "no heartbeat from the nightly build",
      "release train",
      "pause noisy alerts during incidents",
      "deploy.yml#1",
      "deploy on release",
    ]);
    expect(Object.keys(c.notifiers)).toEqual(["ops", "oncall", "release-mail"]);
    expect(c.automations[2]!.trigger).toMatchObject({ posture: "Proactive", within: 7200, repeat: 21_600 });
    expect(c.automations[3]!.trigger).toMatchObject({ type: "sequence", within: 86_400 });
    expect(c.automations[3]!.actions.map((a) => a.type)).toEqual(["repository-dispatch", "send-notification", "call-webhook"]);
    expect(c.automations[1]!.actions[0]!.params).toEqual({ failed_jobs_only: true, source: "inferred" });
  });

  it("a real template problem in it is reported at its line and column in the block scalar", () => {
    const broken = REALISTIC.replace("Attempt {{ event.resource['github.attempt'] }}.", "Attempt {{ event.id | nope }}.");
    const r = load(broken);
    expect(r.config).toBeNull();
    const p = r.problems.find((x) => x.message.includes("nope"))!;
    expect(p.code).toMatch(/^HOOKLINE_TEMPLATE/);
    const lines = broken.split("\n");
    const line = lines.findIndex((l) => l.includes("| nope")) + 1;
    expect([p.line, p.col]).toEqual([line, lines[line - 1]!.indexOf("nope") + 1]);
  });
});

describe("JSON Schema", () => {
  it("schema/automations.schema.json is up to date with the zod schema (regenerate: npm run schema)", () => {
    const committed = readFileSync(new URL("../../schema/automations.schema.json", import.meta.url), "utf8");
    expect(committed === automationsJsonSchemaText()).toBe(true);
  });

  it("is draft 2020-12 and closes objects so editors flag unknown fields", () => {
    const schema = JSON.parse(automationsJsonSchemaText()) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).toBe(false);
    const defs = schema.$defs as Record<string, Record<string, unknown>>;
    expect(Object.keys(defs)).toEqual(expect.arrayContaining(["Automation", "Trigger", "Action", "Notifier", "Duration"]));
    expect(JSON.stringify(defs.Duration)).toContain("PT30M");
  });
});

describe("did-you-mean", () => {
  it("edit distance counts a transposition as one edit", () => {
    expect(editDistance("expect", "expcet")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests only plausible typos, ignoring case, - and _", () => {
    expect(closest("expct", ["expect", "after"])).toBe("expect");
    expect(closest("for-each", ["for_each", "match"])).toBe("for_each");
    expect(closest("zzzzzz", ["expect", "after"])).toBeUndefined();
    expect(closest("x".repeat(500), ["expect"])).toBeUndefined();
  });
});
