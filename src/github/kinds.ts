/**
 * Where the primary object of each webhook lives in its payload. Webhooks not listed use `payload[name]` when it
 * is an object (workflow_run, check_run, pull_request, release, deployment, ...), else the repository, the
 * organization, the sender or the installation, in that order; unknown webhooks get the same treatment.
 */
import { isObject, field, type JsonObject } from "./read.js";

const OBJECT_KEYS: Readonly<Record<string, string>> = {
  issues: "issue",
  issue_comment: "comment",
  commit_comment: "comment",
  discussion_comment: "comment",
  pull_request_review: "review",
  pull_request_review_comment: "comment",
  pull_request_review_thread: "thread",
  branch_protection_rule: "rule",
  code_scanning_alert: "alert",
  dependabot_alert: "alert",
  repository_vulnerability_alert: "alert",
  secret_scanning_alert: "alert",
  secret_scanning_alert_location: "alert",
  deploy_key: "key",
  meta: "hook",
  org_block: "blocked_user",
  team_add: "team",
  membership: "member",
  fork: "forkee",
  page_build: "build",
  installation_repositories: "installation",
  github_app_authorization: "sender",
};

/** The payload itself is the primary object (commit statuses carry their fields at the top level). */
const SELF_OBJECT = new Set(["status"]);

/**
 * Webhooks whose own object is context (an installation, a user, a team), not the thing that happened: its
 * timestamps do not date the event, so `occurred` comes from the payload's other time fields or the receive time.
 */
const CONTEXT_OBJECT = new Set(["installation_repositories", "github_app_authorization", "org_block", "membership", "member", "team_add"]);

const FALLBACK_KEYS = ["repository", "organization", "sender", "installation"];

export interface PrimaryObject {
  object: JsonObject | undefined;
  /** true when the object is the webhook's own subject (not a fallback such as the repository of a push) */
  own: boolean;
  /** true when the object's timestamps date the event */
  dates: boolean;
}

export function primaryObject(name: string, payload: JsonObject): PrimaryObject {
  if (SELF_OBJECT.has(name)) return { object: payload, own: true, dates: true };
  const key = Object.prototype.hasOwnProperty.call(OBJECT_KEYS, name) ? OBJECT_KEYS[name]! : name;
  const own = field(payload, key);
  if (isObject(own)) return { object: own, own: true, dates: !CONTEXT_OBJECT.has(name) };
  for (const k of FALLBACK_KEYS) {
    const v = field(payload, k);
    if (isObject(v)) return { object: v, own: false, dates: false };
  }
  return { object: undefined, own: false, dates: false };
}
