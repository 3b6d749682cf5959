/**
 * Related resources of a GitHub event, each with a `prefect.resource.role`.
 *
 * Ids (the part after `github.<kind>.`): objects with a GitHub numeric id use it (`github.workflow.16340987`,
 * `github.pull-request.279147437`, `github.label.1362934389`); the repository, actor and organization use their
 * human names, which are what GitHub's own URLs use (`github.repository.octo-org/octo-repo`,
 * `github.actor.octocat`, `github.organization.octo-org`); branches and commits are `<repo>@<branch>` /
 * `<repo>@<sha>` (the `uses: owner/repo@ref` notation), environments `<repo>:<environment>`.
 */
import type { Resource } from "../events/event-schema.js";
import { EVENT_LIMITS } from "../events/event-schema.js";
import { makeResource } from "./labels.js";
import { arrayAt, field, isObject, textAt, type JsonObject } from "./read.js";

export function repositoryResource(repo: JsonObject | undefined, role = "repository"): Resource | undefined {
  const fullName = textAt(repo, "full_name");
  return makeResource(
    "repository",
    fullName,
    fullName,
    {
      "github.repository": fullName,
      "github.owner": textAt(repo, "owner", "login"),
      "github.id": textAt(repo, "id"),
      "github.html_url": textAt(repo, "html_url"),
      "github.private": textAt(repo, "private"),
      "github.visibility": textAt(repo, "visibility"),
      "github.default_branch": textAt(repo, "default_branch"),
      "github.fork": textAt(repo, "fork"),
    },
    role,
  );
}

export function actorResource(user: JsonObject | undefined, role = "actor"): Resource | undefined {
  const login = textAt(user, "login");
  return makeResource(
    "actor",
    login,
    login,
    {
      "github.login": login,
      "github.id": textAt(user, "id"),
      "github.type": textAt(user, "type"),
      "github.html_url": textAt(user, "html_url"),
    },
    role,
  );
}

export function organizationResource(org: JsonObject | undefined): Resource | undefined {
  const login = textAt(org, "login");
  return makeResource(
    "organization",
    login,
    login,
    {
      "github.login": login,
      "github.id": textAt(org, "id"),
    },
    "organization",
  );
}

export function installationResource(inst: JsonObject | undefined): Resource | undefined {
  const id = textAt(inst, "id");
  return makeResource(
    "installation",
    id,
    textAt(inst, "account", "login"),
    {
      "github.id": id,
      "github.account": textAt(inst, "account", "login"),
      "github.app_id": textAt(inst, "app_id"),
    },
    "installation",
  );
}

export interface WorkflowRef {
  id?: string;
  name?: string;
  path?: string;
  htmlUrl?: string;
}

/** workflows by numeric id; a workflow_dispatch payload only names the file: `<repo>:<path>` */
export function workflowResource(w: WorkflowRef, repo: string | undefined): Resource | undefined {
  const idPart = w.id ?? (w.path !== undefined && repo !== undefined ? `${repo}:${w.path}` : undefined);
  return makeResource(
    "workflow",
    idPart,
    w.name ?? w.path,
    {
      "github.id": w.id,
      "github.name": w.name,
      "github.path": w.path,
      "github.html_url": w.htmlUrl,
      "github.repository": repo,
    },
    "workflow",
  );
}

export function workflowRunResource(run: JsonObject | undefined, repo: string | undefined): Resource | undefined {
  const id = textAt(run, "id");
  return makeResource(
    "workflow-run",
    id,
    textAt(run, "name"),
    {
      "github.id": id,
      "github.status": textAt(run, "status"),
      "github.conclusion": textAt(run, "conclusion"),
      "github.attempt": textAt(run, "run_attempt"),
      "github.run_number": textAt(run, "run_number"),
      "github.html_url": textAt(run, "html_url"),
      "github.branch": textAt(run, "head_branch"),
      "github.repository": repo,
    },
    "workflow-run",
  );
}

export function branchResource(repo: string | undefined, branch: string | undefined): Resource | undefined {
  if (repo === undefined || branch === undefined) return undefined;
  return makeResource(
    "branch",
    `${repo}@${branch}`,
    branch,
    {
      "github.branch": branch,
      "github.repository": repo,
    },
    "branch",
  );
}

export function commitResource(repo: string | undefined, sha: string | undefined, commit: JsonObject | undefined): Resource | undefined {
  if (repo === undefined || sha === undefined) return undefined;
  const message = textAt(commit, "message");
  return makeResource(
    "commit",
    `${repo}@${sha}`,
    sha.slice(0, 7),
    {
      "github.sha": sha,
      "github.repository": repo,
      "github.message": message?.split("\n", 1)[0],
      "github.author": textAt(commit, "author", "username") ?? textAt(commit, "author", "name"),
    },
    "commit",
  );
}

export function pullRequestResource(pr: JsonObject | undefined, repo: string | undefined): Resource | undefined {
  const id = textAt(pr, "id");
  return makeResource(
    "pull-request",
    id,
    textAt(pr, "title"),
    {
      "github.id": id,
      "github.number": textAt(pr, "number"),
      "github.html_url": textAt(pr, "html_url"),
      "github.branch": textAt(pr, "head", "ref"),
      "github.base_branch": textAt(pr, "base", "ref"),
      "github.sha": textAt(pr, "head", "sha"),
      "github.draft": textAt(pr, "draft"),
      "github.merged": textAt(pr, "merged"),
      "github.repository": repo ?? textAt(pr, "base", "repo", "full_name"),
    },
    "pull-request",
  );
}

export function issueResource(issue: JsonObject | undefined, repo: string | undefined): Resource | undefined {
  const id = textAt(issue, "id");
  return makeResource(
    "issue",
    id,
    textAt(issue, "title"),
    {
      "github.id": id,
      "github.number": textAt(issue, "number"),
      "github.html_url": textAt(issue, "html_url"),
      "github.is_pull_request": isObject(field(issue, "pull_request")) ? "true" : "false",
      "github.repository": repo,
    },
    "issue",
  );
}

export function labelResource(label: unknown, repo: string | undefined): Resource | undefined {
  if (!isObject(label)) return undefined; // e.g. workflow_job.labels are runner labels (strings), not issue labels
  const name = textAt(label, "name");
  const id = textAt(label, "id") ?? (name !== undefined && repo !== undefined ? `${repo}:${name}` : undefined);
  return makeResource(
    "label",
    id,
    name,
    {
      "github.name": name,
      "github.color": textAt(label, "color"),
      "github.repository": repo,
    },
    "label",
  );
}

export function environmentResource(repo: string | undefined, env: string | undefined): Resource | undefined {
  if (repo === undefined || env === undefined) return undefined;
  return makeResource(
    "environment",
    `${repo}:${env}`,
    env,
    {
      "github.environment": env,
      "github.repository": repo,
    },
    "environment",
  );
}

export function deploymentResource(dep: JsonObject | undefined, repo: string | undefined): Resource | undefined {
  const id = textAt(dep, "id");
  return makeResource(
    "deployment",
    id,
    textAt(dep, "environment"),
    {
      "github.id": id,
      "github.environment": textAt(dep, "environment"),
      "github.ref": textAt(dep, "ref"),
      "github.sha": textAt(dep, "sha"),
      "github.task": textAt(dep, "task"),
      "github.repository": repo,
    },
    "deployment",
  );
}

export function checkSuiteResource(suite: JsonObject | undefined, repo: string | undefined): Resource | undefined {
  const id = textAt(suite, "id");
  return makeResource(
    "check-suite",
    id,
    textAt(suite, "app", "name"),
    {
      "github.id": id,
      "github.status": textAt(suite, "status"),
      "github.conclusion": textAt(suite, "conclusion"),
      "github.branch": textAt(suite, "head_branch"),
      "github.sha": textAt(suite, "head_sha"),
      "github.repository": repo,
    },
    "check-suite",
  );
}

/** Labels of the primary object (its `labels` list) and of the payload's `label` (labeled/unlabeled), the changed
 * label first so `related:label:...` reads it; one resource per label, duplicates by id dropped. */
export function labelResources(payload: JsonObject, object: JsonObject | undefined, repo: string | undefined): Resource[] {
  const out: Resource[] = [];
  const seen = new Set<string>();
  const add = (l: unknown) => {
    const r = labelResource(l, repo);
    if (r && !seen.has(r["prefect.resource.id"]!)) {
      seen.add(r["prefect.resource.id"]!);
      out.push(r);
    }
  };
  add(field(payload, "label"));
  for (const l of arrayAt(object, "labels")) {
    if (out.length >= EVENT_LIMITS.relatedMax) break;
    add(l);
  }
  return out;
}
