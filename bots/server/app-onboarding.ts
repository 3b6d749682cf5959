/**
 * What the server does about its GitHub App beyond serving it: while no App is configured, the manifest setup page
 * (github-app-setup.ts) with its key in the start log; once one is, the webhook proxy channel when
 * WEBHOOK_PROXY_URL is set (webhook-proxy.ts). Kept apart so main.ts only calls two functions.
 */
import type { Logger as PinoLogger } from "pino";
import type { ServerConfig } from "./config.js";
import { createGitHubAppSetup, type GitHubAppSetup } from "./github-app-setup.js";
import { GITHUB_WEBHOOKS_PATH } from "./http/github-route.js";
import { startWebhookProxy, type WebhookProxy } from "./webhook-proxy.js";

/** A URL this machine can reach the listener at (0.0.0.0 / :: are not addresses to connect to). */
export const localUrl = (url: string) => url.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:");

/** The webhook URL GitHub should deliver to: the proxy channel, else the public URL's webhook path, else unknown. */
export function webhookUrlOf(config: Pick<ServerConfig, "webhookProxyUrl" | "publicUrl">): string | null {
  return config.webhookProxyUrl ?? (config.publicUrl ? `${config.publicUrl}${GITHUB_WEBHOOKS_PATH}` : null);
}

export function openAppSetup(config: ServerConfig, listeningUrl: string, log: PinoLogger): GitHubAppSetup | null {
  if (config.githubApp) {
    log.info({ source: config.githubAppSource === "file" ? config.githubAppFile : "environment" }, "GitHub App configured");
    return null;
  }
  if (config.githubAppFile === null) {
    log.info(
      {},
      "GitHub App setup page: off with an in-memory database (run `hookline setup github-app`, or set HOOKLINE_GITHUB_APP_FILE)",
    );
    return null;
  }
  const setup = createGitHubAppSetup({
    githubUrl: config.githubUrl,
    githubApiUrl: config.githubApiUrl,
    webhookUrl: webhookUrlOf(config),
    origin: config.publicUrl ?? localUrl(listeningUrl),
    file: config.githubAppFile,
    restart: true,
    onCreated: (app) =>
      log.warn(
        { appId: app.id, slug: app.slug, file: config.githubAppFile, install: `${app.htmlUrl}/installations/new` },
        `GitHub App ${app.slug} created: restart the server to load it, then install it on repositories at ${app.htmlUrl}/installations/new`,
      ),
  });
  // the key is the page's only guard: shown here once, like the API token of an in-memory server
  log.info({ setupUrl: setup.pageUrl }, `GitHub App setup: open ${setup.pageUrl} in a browser to create the App (GitHub's manifest flow)`);
  return setup;
}

export async function startAppProxy(config: ServerConfig, listeningUrl: string, log: PinoLogger): Promise<WebhookProxy | null> {
  if (config.webhookProxyUrl === null) return null;
  if (!config.githubApp) {
    log.warn(
      { webhookProxy: config.webhookProxyUrl },
      "WEBHOOK_PROXY_URL is set but no GitHub App is configured: the proxy starts once the App is (set up, then restart)",
    );
    return null;
  }
  const target = `${localUrl(listeningUrl)}${GITHUB_WEBHOOKS_PATH}`;
  try {
    const proxy = await startWebhookProxy({ source: config.webhookProxyUrl, target, log });
    log.warn(
      { webhookProxy: config.webhookProxyUrl, target },
      "relaying GitHub deliveries from the webhook proxy channel (for development; in production GitHub delivers to HOOKLINE_PUBLIC_URL)",
    );
    return proxy;
  } catch (err) {
    log.error(
      { webhookProxy: config.webhookProxyUrl, err: (err as Error).message, code: "HOOKLINE_WEBHOOK_PROXY_UNREACHABLE" },
      "the webhook proxy channel cannot be reached: no deliveries are relayed (check WEBHOOK_PROXY_URL, or unset it)",
    );
    return null;
  }
}
