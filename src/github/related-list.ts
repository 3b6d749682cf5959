/**
 * All related resources of one delivery, in a fixed order: repository, organization, actor (the sender),
 * installation, workflow, workflow-run, check-suite, deployment, environment, pull-request(s), issue, branch,
 * commit, then one `label` per label. Duplicates (same id and role) are dropped; at most 100 are kept
 * (SEMANTICS.md §1), labels being the ones cut first.
 */
import { EVENT_LIMITS, type Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_ROLE } from "../events/labels.js";
import type { Facts } from "./facts.js";
import type { PrimaryObject } from "./kinds.js";
import { arrayAt, field, isObject, objectAt, type JsonObject } from "./read.js";
import {
  actorResource,
  branchResource,
  checkSuiteResource,
  commitResource,
  deploymentResource,
  environmentResource,
  installationResource,
  issueResource,
  labelResources,
  organizationResource,
  pullRequestResource,
  repositoryResource,
  workflowResource,
  workflowRunResource,
} from "./related.js";

export function relatedOf(name: string, p: JsonObject, found: PrimaryObject, f: Facts): Resource[] {
  const o = found.own ? found.object : undefined;
  const repo = f.repo;
  const all: (Resource | undefined)[] = [
    repositoryResource(objectAt(p, "repository")),
    organizationResource(objectAt(p, "organization")),
    actorResource(objectAt(p, "sender")),
    installationResource(objectAt(p, "installation")),
  ];
  if (f.workflowId !== undefined || f.workflowPath !== undefined) {
    all.push(workflowResource({ id: f.workflowId, name: f.workflowName, path: f.workflowPath, htmlUrl: f.workflowUrl }, repo));
  }
  if (name !== "workflow_run") all.push(workflowRunResource(objectAt(p, "workflow_run"), repo));
  if (name === "workflow_job" && o !== undefined) {
    all.push(
      workflowRunResource(
        {
          id: field(o, "run_id"),
          name: field(o, "workflow_name"),
          run_attempt: field(o, "run_attempt"),
          head_branch: field(o, "head_branch"),
        },
        repo,
      ),
    );
  }
  if (name === "check_run") all.push(checkSuiteResource(objectAt(o, "check_suite"), repo));
  if (name === "deployment_status") all.push(deploymentResource(objectAt(p, "deployment"), repo));
  all.push(environmentResource(repo, f.environment));
  if (name !== "pull_request") all.push(pullRequestResource(objectAt(p, "pull_request"), repo));
  for (const pr of arrayAt(o, "pull_requests").slice(0, EVENT_LIMITS.relatedMax)) {
    all.push(pullRequestResource(isObject(pr) ? pr : undefined, repo));
  }
  if (name !== "issues") all.push(issueResource(objectAt(p, "issue"), repo));
  all.push(branchResource(repo, f.branch));
  all.push(commitResource(repo, f.sha, objectAt(p, "head_commit") ?? objectAt(o, "head_commit")));
  all.push(...labelResources(p, o, repo));

  const out: Resource[] = [];
  const seen = new Set<string>();
  for (const r of all) {
    if (r === undefined) continue;
    const key = `${r[RESOURCE_ROLE]}\u0000${r[RESOURCE_ID]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
    if (out.length >= EVENT_LIMITS.relatedMax) break;
  }
  return out;
}
