import { describe, expect, it } from "vitest";
import { uuidv5 } from "../../src/events/uuid.js";
import { translateWebhook } from "../../src/github/index.js";
import { example, roles, translateOne } from "./fixtures.js";

const repository = { id: 1, full_name: "octo/hello", name: "hello", owner: { login: "octo" }, html_url: "https://github.com/octo/hello" };

describe("Actions-only triggers", () => {
  it("schedule translates to github.schedule.triggered, dated by `received` (its payload has no time)", () => {
    const e = translateOne({
      name: "schedule",
      payload: { schedule: "*/5 * * * *", repository, workflow: ".github/workflows/cron.yml" },
      received: "2024-05-01T12:05:00Z",
    });
    expect(e.event).toBe("github.schedule.triggered");
    expect(e.occurred).toBe("2024-05-01T12:05:00.000Z");
    expect(e.resource["prefect.resource.id"]).toBe("github.schedule.octo/hello:*/5 * * * *");
    expect(e.resource["github.schedule"]).toBe("*/5 * * * *");
    expect(e.resource["github.workflow_path"]).toBe(".github/workflows/cron.yml");
    expect(roles(e)).toContain("repository");
  });

  it("workflow_dispatch translates to github.workflow-dispatch.dispatched with branch and workflow", () => {
    const payload = example("workflow_dispatch");
    const e = translateOne({ name: "workflow_dispatch", payload });
    expect(e.event).toBe("github.workflow-dispatch.dispatched");
    expect(e.resource["github.branch"]).toBe("main");
    expect(e.resource["github.workflow"]).toBe(payload.workflow);
    expect(roles(e)).toEqual(expect.arrayContaining(["repository", "workflow", "branch", "actor"]));
    expect(e.payload.inputs).toEqual(payload.inputs);
  });

  it("push (no action) is github.push.pushed, with ref, branch and after sha", () => {
    const payload = example("push", (p) => p.ref === "refs/heads/master");
    const e = translateOne({ name: "push", payload });
    expect(e.event).toBe("github.push.pushed");
    expect(e.resource["github.branch"]).toBe("master");
    expect(e.resource["github.sha"]).toBe(payload.after);
  });
});

describe("repository_dispatch", () => {
  const standard = {
    id: "0f9e1c1e-7d1a-4a5e-9d77-0a4b1b7f2c10",
    occurred: "2024-05-01T10:00:00Z",
    event: "acme.deploy.finished",
    resource: { "prefect.resource.id": "acme.deploy.42", "acme.env": "prod" },
    payload: { version: "1.2.3" },
  };

  it("a client_payload that is a standard event is taken as that event, its id kept", () => {
    const payload = { ...example("repository_dispatch"), client_payload: standard };
    const e = translateOne({ name: "repository_dispatch", delivery: "d1", payload });
    expect(e.id).toBe(standard.id);
    expect(e.event).toBe("acme.deploy.finished");
    expect(e.occurred).toBe("2024-05-01T10:00:00.000Z");
    expect(e.resource).toEqual(standard.resource);
    expect(e.related).toEqual([]);
    expect(e.payload).toEqual({ version: "1.2.3" });
  });

  it("a client_payload that is not a valid event gives a normal github.repository-dispatch.<event_type> event", () => {
    const bad = { ...standard, resource: { "acme.env": "prod" } }; // no prefect.resource.id
    const payload = { ...example("repository_dispatch"), client_payload: bad };
    const e = translateOne({ name: "repository_dispatch", delivery: "d2", payload });
    expect(e.event).toBe("github.repository-dispatch.on-demand-test");
    expect(e.id).toBe(uuidv5("github.delivery:d2"));
    expect(e.resource["github.event_type"]).toBe("on-demand-test");
    expect(e.payload.client_payload).toEqual(bad);
  });

  it("a plain client_payload translates normally, an event_type with spaces or dots becomes one name segment", () => {
    const payload = { ...example("repository_dispatch"), action: "deploy prod.eu", client_payload: { foo: 1 } };
    const e = translateOne({ name: "repository_dispatch", payload });
    expect(e.event).toBe("github.repository-dispatch.deploy_prod_eu");
    expect(e.resource["github.event_type"]).toBe("deploy prod.eu");
  });

  it("a repository_dispatch without action or event_type still translates (verb `dispatched`)", () => {
    const result = translateWebhook({ name: "repository_dispatch", payload: { repository, client_payload: null } });
    expect("events" in result && result.events[0]!.event).toBe("github.repository-dispatch.dispatched");
  });
});
