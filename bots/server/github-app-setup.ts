/**
 * GitHub's App manifest flow, as Probot offers it when no App is configured (issue 13 item 4), shared by the
 * server (while it runs without an App) and `hookline setup github-app` (a page on 127.0.0.1 of its own):
 *
 *   GET /setup/github-app?key=K[&org=O]  a form that POSTs the manifest to <GITHUB_URL>/settings/apps/new?state=S
 *   GET /setup/github-app/callback?code=C&state=S   GitHub sent the browser back: S must be one this page issued
 *        (single use, one hour), C is exchanged through Octokit, the credentials are written (github-app-file.ts)
 *
 * Who may use it: only someone holding the setup key K, a random value made at start and printed once (the start
 * log, or the CLI's output), compared in constant time. Being on loopback is not trusted (a repository's
 * call-webhook reaches 127.0.0.1 too). Once an App was created the setup closes (404) for good.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { appManifest, convertManifestCode, newAppUrl, ManifestConversionError, ORG_LOGIN } from "../app/index.js";
import { ServerConfigError } from "./errors.js";
import { writeGitHubAppFile, type CreatedApp } from "./github-app-file.js";
import { createdPage, manifestForm, problemPage, sendPage } from "./setup-page.js";

export const SETUP_PATH = "/setup/github-app";
export const CALLBACK_PATH = `${SETUP_PATH}/callback`;
const STATE_TTL_MS = 60 * 60 * 1000;
const MAX_STATES = 100;

export interface GitHubAppSetupOptions {
  githubUrl: string;
  githubApiUrl: string;
  /** where GitHub delivers webhooks; null: unknown, the page says how to set one */
  webhookUrl: string | null;
  /** the origin the browser reaches this page at (redirect_url = <it>/setup/github-app/callback) */
  origin: string;
  /** the env file the credentials go to */
  file: string;
  /** the App's name GitHub proposes (the user may change it on GitHub's page) */
  name?: string;
  /** default organisation (`--org`); the page's `?org=` wins */
  org?: string | null;
  /** the server reads the file on its next start: the last page says to restart it */
  restart: boolean;
  now?: () => number;
  onCreated?(app: CreatedApp): void;
}

export interface GitHubAppSetup {
  /** the setup key (print it once, as part of `pageUrl`) */
  readonly key: string;
  /** the page's URL with the key */
  readonly pageUrl: string;
  /** false once an App was created */
  readonly open: boolean;
  /** answers SETUP_PATH and CALLBACK_PATH (GET); false for any other path */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export function createGitHubAppSetup(o: GitHubAppSetupOptions): GitHubAppSetup {
  const now = o.now ?? Date.now;
  const key = randomBytes(24).toString("base64url");
  const states = new Map<string, { expires: number; org: string | null }>();
  let open = true;
  const origin = o.origin.replace(/\/+$/, "");

  const issueState = (org: string | null) => {
    for (const [s, v] of states) if (v.expires <= now() || states.size >= MAX_STATES) states.delete(s);
    const state = randomBytes(24).toString("base64url");
    states.set(state, { expires: now() + STATE_TTL_MS, org });
    return state;
  };

  function page(res: ServerResponse, url: URL): void {
    const given = url.searchParams.get("key") ?? "";
    if (!timingSafeEqual(digest(given), digest(key)))
      return sendPage(
        res,
        403,
        "GitHub App setup",
        problemPage(
          "HOOKLINE_APP_SETUP_KEY",
          "this page needs the setup key: open the full URL the server printed when it started (`GitHub App setup: open …`), or run `hookline setup github-app`",
        ),
      );
    const org = url.searchParams.get("org") ?? o.org ?? null;
    if (org !== null && !ORG_LOGIN.test(org))
      return sendPage(
        res,
        400,
        "GitHub App setup",
        problemPage("HOOKLINE_APP_SETUP_BAD_ORG", "org must be an organisation's login (letters, digits, hyphens)"),
      );
    if (o.webhookUrl === null)
      return sendPage(
        res,
        409,
        "GitHub App setup",
        problemPage(
          "HOOKLINE_APP_SETUP_NO_WEBHOOK_URL",
          "GitHub needs a URL to deliver webhooks to: set HOOKLINE_PUBLIC_URL to this server's public address (deliveries go to <it>/api/github/webhooks), or WEBHOOK_PROXY_URL to a webhook proxy channel (https://smee.io/new), then restart the server",
        ),
      );
    const action = newAppUrl(o.githubUrl, org, issueState(org));
    const manifest = appManifest({ name: o.name ?? "hookline", webhookUrl: o.webhookUrl, redirectUrl: `${origin}${CALLBACK_PATH}` });
    sendPage(res, 200, "Create the hookline GitHub App", manifestForm({ action, manifest, webhookUrl: o.webhookUrl, org }), action);
  }

  async function callback(res: ServerResponse, url: URL): Promise<void> {
    const state = url.searchParams.get("state") ?? "";
    const issued = states.get(state);
    if (!issued || issued.expires <= now()) {
      return sendPage(
        res,
        400,
        "GitHub App setup",
        problemPage(
          "HOOKLINE_APP_SETUP_BAD_STATE",
          "this answer does not carry a state this setup page issued in the last hour: start again from the setup page (nothing was written)",
        ),
      );
    }
    states.delete(state);
    try {
      const app = await convertManifestCode(url.searchParams.get("code") ?? "", o.githubApiUrl);
      const created: CreatedApp = {
        id: app.id,
        slug: app.slug,
        htmlUrl: app.html_url,
        pem: app.pem,
        webhookSecret: app.webhook_secret,
        clientId: app.client_id,
        clientSecret: app.client_secret,
      };
      writeGitHubAppFile(o.file, created, new Date(now()));
      open = false;
      states.clear();
      sendPage(res, 201, "GitHub App created", createdPage({ slug: app.slug, htmlUrl: app.html_url, file: o.file, restart: o.restart }));
      o.onCreated?.(created);
    } catch (err) {
      if (!(err instanceof ManifestConversionError || err instanceof ServerConfigError)) throw err;
      sendPage(res, 502, "GitHub App setup failed", problemPage(err.code, err.message));
    }
  }

  return {
    key,
    pageUrl: `${origin}${SETUP_PATH}?key=${key}`,
    get open() {
      return open;
    },
    async handle(req, res) {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname.replace(/\/+$/, "");
      if (path !== SETUP_PATH && path !== CALLBACK_PATH) return false;
      if (!open)
        sendPage(
          res,
          404,
          "GitHub App setup",
          problemPage(
            "HOOKLINE_APP_SETUP_CLOSED",
            "the GitHub App is configured: the setup page is gone (delete the App's env file and restart to set up another)",
          ),
        );
      else if (req.method !== "GET") sendPage(res, 405, "GitHub App setup", problemPage("HOOKLINE_METHOD_NOT_ALLOWED", "use GET"));
      else if (path === SETUP_PATH) page(res, url);
      else await callback(res, url);
      return true;
    },
  };
}
