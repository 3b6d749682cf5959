import type { Firing } from "../../src/engine/types.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { buildTemplateContext, type TemplateContext } from "../../src/templates/index.js";

export function githubEvent(overrides: Partial<HooklineEvent> = {}): HooklineEvent {
  return {
    id: "3f1c2b9e-5d4a-4c3b-9a8f-0e1d2c3b4a59",
    occurred: "2024-05-01T12:00:00.000Z",
    event: "github.workflow-run.Failed",
    resource: {
      "prefect.resource.id": "github.workflow-run.123",
      "prefect.resource.name": "CI",
      "github.html_url": "https://github.com/acme/app/actions/runs/123",
      "github.branch": "main",
    },
    related: [{ "prefect.resource.id": "github.repository.acme/app", "prefect.resource.role": "repository" }],
    payload: {
      action: "completed",
      n: 42,
      flag: true,
      nothing: null,
      list: [1, 2, 3],
      workflow_run: { id: 123, name: "CI", html_url: "https://github.com/acme/app/actions/runs/123", conclusion: "failure" },
      repository: { full_name: "acme/app", html_url: "https://github.com/acme/app" },
      sender: { login: "octocat" },
      // payload objects never override the reserved names
      event: { spoofed: true },
      labels: { spoofed: true },
    },
    follows: null,
    ...overrides,
  };
}

export function firingFor(event: HooklineEvent | null, overrides: Partial<Firing> = {}): Firing {
  return {
    id: "firing-1",
    automation: "notify",
    state: "Triggered",
    at: "2024-05-01T12:00:00.000Z",
    triggering_event: event,
    labels: { "github.branch": "main", "github.repository": "acme/app", "prefect.resource.id": "github.workflow-run.123" },
    child_firings: [],
    events: event ? [event] : [],
    ...overrides,
  };
}

export function sampleContext(): TemplateContext {
  const event = githubEvent();
  return buildTemplateContext({
    event,
    automation: { name: "notify", description: "tell the team" },
    firing: firingFor(event),
  });
}
