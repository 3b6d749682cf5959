/**
 * The facts of a delivery that labels and related resources are built from: repository, branch, commit, ...
 * Each is a string or undefined (then the label is omitted).
 */
import { branchOfRef, field, firstText, objectAt, tagOfRef, text, textAt, type JsonObject } from "./read.js";

export interface Facts {
  repo?: string;
  ref?: string;
  branch?: string;
  baseBranch?: string;
  tag?: string;
  sha?: string;
  environment?: string;
  workflowName?: string;
  workflowPath?: string;
  workflowId?: string;
  workflowUrl?: string;
}

export function factsOf(name: string, payload: JsonObject, object: JsonObject | undefined, own: boolean): Facts {
  const o = own ? object : undefined;
  const repo = textAt(payload, "repository", "full_name");
  const payloadRef = textAt(payload, "ref");
  const refType = textAt(payload, "ref_type");
  // create / delete carry a short ref name and its type
  const shortBranch = refType === "branch" ? payloadRef : undefined;
  const shortTag = refType === "tag" ? payloadRef : undefined;
  const deployment = objectAt(payload, "deployment");
  // a deployment's ref may be a branch, a tag or a sha: it is kept as `github.ref`, not guessed into a branch
  const ref = firstText(payloadRef, textAt(o, "ref"), textAt(o, "head_ref"), textAt(deployment, "ref"));
  const workflow = objectAt(payload, "workflow");
  return {
    repo,
    ref,
    branch: firstText(
      textAt(o, "head_branch"),
      textAt(o, "head", "ref"),
      textAt(o, "check_suite", "head_branch"),
      textAt(payload, "workflow_run", "head_branch"),
      textAt(payload, "pull_request", "head", "ref"),
      branchOfRef(textAt(o, "head_ref")),
      branchOfRef(payloadRef),
      shortBranch,
      textAt(payload, "branch"), // repository_dispatch
      branchOfRef(textAt(deployment, "ref")),
    ),
    baseBranch: firstText(
      textAt(o, "base", "ref"),
      textAt(payload, "pull_request", "base", "ref"),
      branchOfRef(textAt(o, "base_ref")),
      branchOfRef(textAt(payload, "base_ref")),
    ),
    tag: firstText(tagOfRef(payloadRef), shortTag, name === "release" ? textAt(o, "tag_name") : undefined),
    sha: realSha(
      firstText(
        textAt(o, "head_sha"),
        textAt(o, "head", "sha"),
        textAt(payload, "pull_request", "head", "sha"),
        name === "push" ? textAt(payload, "after") : undefined,
        textAt(o, "after"),
        textAt(payload, "sha"),
        textAt(o, "sha"),
        textAt(payload, "commit_oid"),
        textAt(deployment, "sha"),
        typeof field(o, "commit") === "string" ? text(field(o, "commit")) : undefined, // page_build
        textAt(payload, "workflow_run", "head_sha"),
      ),
    ),
    environment: firstText(
      textAt(o, "environment"),
      textAt(deployment, "environment"),
      textAt(payload, "environment"),
      textAt(payload, "environment", "name"),
    ),
    workflowName: firstText(textAt(workflow, "name"), textAt(o, "workflow_name"), name === "workflow_run" ? textAt(o, "name") : undefined),
    workflowPath: firstText(
      textAt(workflow, "path"),
      name === "workflow_run" ? textAt(o, "path") : undefined,
      typeof field(payload, "workflow") === "string" ? textAt(payload, "workflow") : undefined,
    ),
    workflowId: firstText(textAt(workflow, "id"), textAt(o, "workflow_id")),
    workflowUrl: textAt(workflow, "html_url"),
  };
}

/** the all-zero sha of a deleted ref names no commit */
function realSha(sha: string | undefined): string | undefined {
  return sha !== undefined && /^0+$/.test(sha) ? undefined : sha;
}
