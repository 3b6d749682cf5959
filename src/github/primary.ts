/**
 * The primary resource `github.<kind>.<stable id>` of a delivery, and the last part of its event name.
 *
 * Stable ids: the object's GitHub id when it has one (`github.workflow-run.1589141559`); else its advisory id
 * (`ghsa_id`); else `<repo>#<number>` (alerts); else its `node_id`. Webhooks about refs have no object id:
 * push → `<repo>@<ref>:<after sha>`, create / delete → `<repo>@<ref>`, merge_group → `<repo>@<head_sha>`,
 * workflow_dispatch → `<repo>:<workflow path>@<ref>`, schedule → `<repo>:<cron>`, repository_dispatch →
 * `<repo>:<event_type>`, page_build → its `id`. When nothing identifies the subject, the repository's full name
 * is used, and as a last resort the event's own stable key.
 */
import type { LabelCandidates } from "./labels.js";
import type { Facts } from "./facts.js";
import type { PrimaryObject } from "./kinds.js";
import { eventName, kebabKind, segment, verbFor } from "./event-name.js";
import { field, firstText, textAt, type JsonObject } from "./read.js";
import { deploymentState, isRunLike, runState, type StateName } from "./state.js";

export interface Primary {
  kind: string;
  idPart: string;
  name: string | undefined;
  labels: LabelCandidates;
  event: string;
  state: StateName | undefined;
}

export function buildPrimary(name: string, payload: JsonObject, found: PrimaryObject, facts: Facts, fallbackKey: string): Primary {
  const kind = kebabKind(name);
  const o = found.own ? found.object : undefined;
  const action = textAt(payload, "action");
  const state = stateOf(name, o);
  const last = state ?? segment(action) ?? segment(verbOf(name, payload)) ?? verbFor(name);
  return {
    kind,
    idPart: idPartOf(name, payload, o, facts) ?? facts.repo ?? fallbackKey,
    name: nameOf(name, payload, o, facts),
    labels: labelsOf(name, payload, o, facts, state),
    event: eventName(kind, last),
    state,
  };
}

function stateOf(name: string, o: JsonObject | undefined): StateName | undefined {
  if (!isRunLike(name) || o === undefined) return undefined;
  if (name === "deployment_status") return deploymentState(field(o, "state"));
  return runState(name, field(o, "status"), field(o, "conclusion"));
}

/** action-less webhooks that name their outcome: status → its state, repository_import → its status */
function verbOf(name: string, payload: JsonObject): string | undefined {
  if (name === "status") return textAt(payload, "state");
  if (name === "repository_import") return textAt(payload, "status");
  return undefined;
}

function idPartOf(name: string, p: JsonObject, o: JsonObject | undefined, f: Facts): string | undefined {
  const repo = f.repo;
  const within = (rest: string | undefined) => (repo !== undefined && rest !== undefined ? `${repo}${rest}` : undefined);
  switch (name) {
    case "push":
      return within(f.ref !== undefined ? `@${f.ref}:${textAt(p, "after") ?? ""}` : undefined);
    case "create":
    case "delete":
      return within(f.ref !== undefined ? `@${f.ref}` : undefined);
    case "merge_group":
      return within(f.sha !== undefined ? `@${f.sha}` : undefined);
    case "workflow_dispatch":
      return within(`:${f.workflowPath ?? ""}@${f.ref ?? ""}`);
    case "schedule":
      return within(`:${textAt(p, "schedule") ?? ""}`);
    case "repository_dispatch":
      return within(`:${textAt(p, "event_type") ?? textAt(p, "action") ?? ""}`);
    case "page_build":
      return textAt(p, "id");
    case "repository":
      return repo; // same id as the `repository` related resource of every other event
  }
  const number = textAt(o, "number");
  return firstText(textAt(o, "id"), textAt(o, "ghsa_id"), number !== undefined ? within(`#${number}`) : undefined, textAt(o, "node_id"));
}

function nameOf(name: string, p: JsonObject, o: JsonObject | undefined, f: Facts): string | undefined {
  switch (name) {
    case "push":
    case "create":
    case "delete":
      return f.branch ?? f.tag ?? f.ref;
    case "workflow_dispatch":
      return f.workflowName ?? f.workflowPath;
    case "schedule":
      return textAt(p, "schedule");
    case "repository_dispatch":
      return textAt(p, "event_type") ?? textAt(p, "action");
    case "status":
      return textAt(p, "context");
    case "check_suite":
      return textAt(o, "app", "name");
    case "workflow_run":
      return textAt(o, "name") ?? f.workflowName;
  }
  return firstText(
    textAt(o, "name"),
    textAt(o, "title"),
    textAt(o, "tag_name"),
    textAt(o, "login"),
    textAt(o, "full_name"),
    textAt(o, "summary"),
    textAt(o, "slug"),
    textAt(o, "environment"),
    o === undefined ? f.repo : undefined,
  );
}

function labelsOf(name: string, p: JsonObject, o: JsonObject | undefined, f: Facts, state: StateName | undefined): LabelCandidates {
  const runLike = isRunLike(name);
  return {
    "github.action": textAt(p, "action"),
    "github.state": state,
    // raw GitHub values; commit statuses (the `status` webhook) keep theirs in `state`
    "github.status": runLike || name === "page_build" ? textAt(o, "status") : name === "status" ? textAt(p, "state") : undefined,
    "github.conclusion": runLike ? textAt(o, "conclusion") : undefined,
    "github.deployment_state": name === "deployment_status" ? textAt(o, "state") : undefined,
    "github.repository": f.repo,
    "github.owner": textAt(p, "repository", "owner", "login"),
    "github.organization": textAt(p, "organization", "login"),
    "github.sender": textAt(p, "sender", "login"),
    "github.id": textAt(o, "id"),
    "github.number": textAt(o, "number") ?? textAt(p, "number"),
    "github.html_url": textAt(o, "html_url"),
    "github.ref": f.ref,
    "github.ref_type": textAt(p, "ref_type"),
    "github.branch": f.branch,
    "github.base_branch": f.baseBranch,
    "github.tag": f.tag,
    "github.sha": f.sha,
    "github.workflow": f.workflowName ?? (name === "workflow_dispatch" ? f.workflowPath : undefined),
    "github.workflow_path": f.workflowPath,
    "github.event": name === "workflow_run" ? textAt(o, "event") : undefined,
    "github.attempt": textAt(o, "run_attempt"),
    "github.run_number": textAt(o, "run_number"),
    "github.run_id": textAt(o, "run_id"),
    "github.environment": f.environment,
    "github.app": textAt(o, "app", "slug"),
    "github.draft": textAt(o, "draft"),
    "github.merged": textAt(o, "merged"),
    "github.prerelease": textAt(o, "prerelease"),
    "github.author_association": textAt(o, "author_association"),
    "github.head_repository": textAt(o, "head", "repo", "full_name"),
    "github.label": textAt(p, "label", "name"),
    "github.context": name === "status" ? textAt(p, "context") : undefined,
    "github.forced": name === "push" ? textAt(p, "forced") : undefined,
    "github.created": name === "push" ? textAt(p, "created") : undefined,
    "github.deleted": name === "push" ? textAt(p, "deleted") : undefined,
    "github.schedule": name === "schedule" ? textAt(p, "schedule") : undefined,
    "github.event_type": name === "repository_dispatch" ? (textAt(p, "event_type") ?? textAt(p, "action")) : undefined,
  };
}
