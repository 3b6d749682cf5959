import { describe, expect, it } from "vitest";
import { labelOf } from "../../src/events/labels.js";
import { translateWebhook } from "../../src/github/index.js";
import { example, roles, translateOne } from "./fixtures.js";

describe("primary and related resources", () => {
  it("a workflow_run has a github.workflow-run.<id> resource with matchable labels", () => {
    const payload = example("workflow_run", (p) => (p.workflow_run as { conclusion: unknown }).conclusion === "success");
    const e = translateOne({ name: "workflow_run", delivery: "d", payload });
    const run = payload.workflow_run as Record<string, unknown>;
    expect(e.resource["prefect.resource.id"]).toBe(`github.workflow-run.${run.id}`);
    expect(e.resource).toMatchObject({
      "github.action": "completed",
      "github.state": "Completed",
      "github.conclusion": "success",
      "github.status": "completed",
      "github.branch": run.head_branch,
      "github.sha": run.head_sha,
      "github.attempt": String(run.run_attempt),
      "github.html_url": run.html_url,
      "github.event": run.event,
      "github.repository": (payload.repository as { full_name: string }).full_name,
    });
  });

  it("a workflow_run relates repository, organization, actor, workflow, branch and commit", () => {
    const payload = example("workflow_run", (p) => (p.workflow_run as { pull_requests: unknown[] }).pull_requests.length > 0);
    const e = translateOne({ name: "workflow_run", payload });
    expect(roles(e)).toEqual(
      expect.arrayContaining(["repository", "organization", "actor", "workflow", "pull-request", "branch", "commit"]),
    );
    const repo = (payload.repository as { full_name: string }).full_name;
    expect(labelOf(e, "related:repository:prefect.resource.id")).toBe(`github.repository.${repo}`);
    expect(labelOf(e, "related:actor:github.login")).toBe((payload.sender as { login: string }).login);
    expect(labelOf(e, "related:workflow:prefect.resource.id")).toBe(`github.workflow.${(payload.workflow as { id: number }).id}`);
    expect(labelOf(e, "related:workflow:github.path")).toBe((payload.workflow as { path: string }).path);
    const run = payload.workflow_run as { head_branch: string; head_sha: string };
    expect(labelOf(e, "related:branch:prefect.resource.id")).toBe(`github.branch.${repo}@${run.head_branch}`);
    expect(labelOf(e, "related:commit:github.sha")).toBe(run.head_sha);
  });

  it("a workflow_job relates its workflow-run", () => {
    const payload = example("workflow_job");
    const e = translateOne({ name: "workflow_job", payload });
    const runId = (payload.workflow_job as { run_id: number }).run_id;
    expect(labelOf(e, "related:workflow-run:prefect.resource.id")).toBe(`github.workflow-run.${runId}`);
    expect(e.resource["github.run_id"]).toBe(String(runId));
  });

  it("a pull_request relates repository, actor, branch, commit and one label resource per PR label", () => {
    const payload = example("pull_request", (p) => ((p.pull_request as { labels: unknown[] }).labels ?? []).length > 0);
    const pr = payload.pull_request as {
      id: number;
      number: number;
      labels: { id: number; name: string }[];
      head: { ref: string };
      base: { ref: string };
    };
    pr.labels = [...pr.labels, { id: 1, name: "deploy" } as never, { id: 2, name: "urgent" } as never];
    const e = translateOne({ name: "pull_request", payload });
    expect(e.resource["prefect.resource.id"]).toBe(`github.pull-request.${pr.id}`);
    expect(e.resource["github.number"]).toBe(String(pr.number));
    expect(e.resource["github.branch"]).toBe(pr.head.ref);
    expect(e.resource["github.base_branch"]).toBe(pr.base.ref);
    expect(roles(e)).toEqual(expect.arrayContaining(["repository", "actor", "branch", "commit", "label"]));
    const labels = e.related.filter((r) => r["prefect.resource.role"] === "label");
    expect(labels.map((l) => l["prefect.resource.name"])).toEqual(pr.labels.map((l) => l.name));
    expect(labels.map((l) => l["prefect.resource.id"])).toEqual(pr.labels.map((l) => `github.label.${l.id}`));
  });

  it("on labeled, the label just added comes first so related:label:* reads it", () => {
    const payload = example("pull_request", (p) => p.action === "labeled");
    const pr = payload.pull_request as { labels: { id: number; name: string }[] };
    pr.labels = [{ id: 7, name: "old" } as never, ...pr.labels];
    const added = payload.label as { name: string };
    const e = translateOne({ name: "pull_request", payload });
    expect(labelOf(e, "related:label:github.name")).toBe(added.name);
    expect(e.resource["github.label"]).toBe(added.name);
    const names = e.related.filter((r) => r["prefect.resource.role"] === "label").map((r) => r["github.name"]);
    expect(new Set(names).size).toBe(names.length); // no duplicate for the added label
  });

  it("runner labels of a workflow_job (plain strings) are not issue labels", () => {
    const e = translateOne({ name: "workflow_job", payload: example("workflow_job") });
    expect(roles(e)).not.toContain("label");
  });

  it("a deployment_status relates its deployment and environment", () => {
    const e = translateOne({ name: "deployment_status", payload: example("deployment_status") });
    expect(roles(e)).toEqual(expect.arrayContaining(["deployment", "environment", "repository", "actor"]));
    expect(labelOf(e, "related:environment:github.environment")).toBe("production");
  });

  it("at most 100 related resources: a PR with 300 labels keeps the core roles and cuts labels", () => {
    const payload = example("pull_request", (p) => p.action === "opened");
    (payload.pull_request as Record<string, unknown>).labels = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, name: `l${i}` }));
    const e = translateOne({ name: "pull_request", payload });
    expect(e.related).toHaveLength(100);
    expect(roles(e).slice(0, 2)).toEqual(["repository", "actor"]);
  });

  it("the repository webhook and the repository related resource share one id", () => {
    const e = translateOne({ name: "repository", payload: example("repository") });
    expect(e.resource["prefect.resource.id"]).toBe(labelOf(e, "related:repository:prefect.resource.id"));
  });

  it("missing optional objects are simply absent: no sender, no repository → no actor, no repository role", () => {
    const result = translateWebhook({ name: "issues", payload: { action: "opened", issue: { id: 5, title: "t" } } });
    expect("events" in result && result.events[0]!.related).toEqual([]);
  });
});
