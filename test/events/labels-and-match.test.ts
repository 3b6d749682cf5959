import { describe, expect, it } from "vitest";
import { labelOf } from "../../src/events/labels.js";
import { matchesEventName, matchesRelated, matchesResource } from "../../src/events/match.js";
import { uuidv5 } from "../../src/events/uuid.js";

const event = {
  resource: { "prefect.resource.id": "github.workflow-run.1", "github.branch": "main" },
  related: [
    { "prefect.resource.id": "github.workflow.9", "prefect.resource.role": "workflow", "github.name": "CI" },
    { "prefect.resource.id": "github.label.bug", "prefect.resource.role": "label", "github.name": "bug" },
    { "prefect.resource.id": "github.label.ui", "prefect.resource.role": "label", "github.name": "ui" },
  ],
};

describe("label lookup (SEMANTICS §1)", () => {
  it("reads the primary resource for plain keys", () => {
    expect(labelOf(event, "github.branch")).toBe("main");
    expect(labelOf(event, "github.missing")).toBeUndefined();
  });

  it("related:<role>:<label> reads the FIRST related resource with that role", () => {
    expect(labelOf(event, "related:label:github.name")).toBe("bug");
    expect(labelOf(event, "related:workflow:github.name")).toBe("CI");
  });

  it("related:<role>:<label> with no such role or label is missing", () => {
    expect(labelOf(event, "related:actor:github.login")).toBeUndefined();
    expect(labelOf(event, "related:workflow:github.nope")).toBeUndefined();
    expect(labelOf(event, "related:workflow")).toBeUndefined();
  });

  it("never reads inherited properties as labels", () => {
    expect(labelOf(event, "constructor")).toBeUndefined();
    expect(labelOf(event, "__proto__")).toBeUndefined();
  });
});

describe("match and match_related (SEMANTICS §2)", () => {
  it("match requires every key (AND) and a list holds when any element holds (OR)", () => {
    expect(matchesResource(event.resource, { "github.branch": ["dev", "main"], "prefect.resource.id": "github.*" })).toBe(true);
    expect(matchesResource(event.resource, { "github.branch": "main", "prefect.resource.id": "x" })).toBe(false);
  });

  it("an empty match matches everything", () => {
    expect(matchesResource(event.resource, {})).toBe(true);
  });

  it("match checks the primary resource only, with literal label names", () => {
    expect(matchesResource(event.resource, { "related:workflow:github.name": "CI" })).toBe(false);
  });

  it("every match_related object must be satisfied by at least one (possibly different) related resource", () => {
    expect(matchesRelated(event.related, [{ "prefect.resource.role": "workflow" }, { "github.name": "ui" }])).toBe(true);
    expect(matchesRelated(event.related, [{ "prefect.resource.role": "workflow", "github.name": "ui" }])).toBe(false);
    expect(matchesRelated([], [{ "prefect.resource.role": "workflow" }])).toBe(false);
    expect(matchesRelated([], [])).toBe(true);
  });

  it("match_related has no implicit role filter", () => {
    expect(matchesRelated(event.related, [{ "github.name": "CI" }])).toBe(true);
  });

  it("event-name patterns use globs with negation and an empty list means any event", () => {
    expect(matchesEventName("github.workflow-run.Failed", ["github.workflow-run.*"])).toBe(true);
    expect(matchesEventName("github.workflow-run.Failed", ["!github.workflow-run.Completed"])).toBe(true);
    expect(matchesEventName("github.push.pushed", [])).toBe(true);
  });
});

describe("deterministic ids", () => {
  it("uuidv5 is stable for the same name and differs across names", () => {
    expect(uuidv5("delivery-1")).toBe(uuidv5("delivery-1"));
    expect(uuidv5("delivery-1")).not.toBe(uuidv5("delivery-2"));
    expect(uuidv5("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("matches the RFC 4122 reference vector for the DNS namespace", () => {
    expect(uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
});
