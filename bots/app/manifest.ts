/**
 * The GitHub App manifest (GitHub's "register an App from a manifest" flow): the permissions and events the App
 * uses, each for a feature of bots/app, in one place. app.yml at the repository root is the same manifest for
 * people who register the App by hand; a test keeps the two equal. The setup page and `hookline setup
 * github-app` POST this manifest to `<GITHUB_URL>[/organizations/<org>]/settings/apps/new?state=…`.
 */

/** The least the App needs (app.yml says which feature needs each one). */
export const APP_PERMISSIONS = {
  metadata: "read",
  actions: "write",
  checks: "write",
  contents: "read",
  pull_requests: "read",
  issues: "write",
  deployments: "read",
} as const;

/** The deliveries it subscribes to (installation and installation_repositories come to every App unasked). */
export const APP_EVENTS = [
  "workflow_run",
  "workflow_job",
  "check_run",
  "check_suite",
  "push",
  "create",
  "delete",
  "pull_request",
  "pull_request_review",
  "deployment_status",
  "release",
  "issues",
  "issue_comment",
  "repository",
] as const;

export const APP_HOMEPAGE = "https://github.com/hookline/hookline";
export const APP_DESCRIPTION =
  "Event-driven automations for GitHub and Slack, kept in each repository's .github/automations.yaml (or the organisation's .github repository).";

export interface AppManifest {
  name: string;
  url: string;
  description: string;
  hook_attributes: { url: string; active: boolean };
  redirect_url: string;
  public: false;
  default_permissions: Record<string, string>;
  default_events: string[];
}

export function appManifest(o: { name: string; webhookUrl: string; redirectUrl: string }): AppManifest {
  return {
    name: o.name,
    url: APP_HOMEPAGE,
    description: APP_DESCRIPTION,
    hook_attributes: { url: o.webhookUrl, active: true },
    redirect_url: o.redirectUrl,
    // an App for your own server: only its owner (the account or organisation) can install it
    public: false,
    default_permissions: { ...APP_PERMISSIONS },
    default_events: [...APP_EVENTS],
  };
}

/** GitHub's "new App from a manifest" page: the account's, or an organisation's when `org` is given. */
export function newAppUrl(githubUrl: string, org: string | null, state: string): string {
  const base = githubUrl.replace(/\/+$/, "");
  const path = org ? `/organizations/${encodeURIComponent(org)}/settings/apps/new` : "/settings/apps/new";
  return `${base}${path}?state=${encodeURIComponent(state)}`;
}

/** An organisation login: letters, digits and single hyphens, at most 39 characters (GitHub's rule). */
export const ORG_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
