/**
 * The server's one kind of GitHub client: Probot's Octokit (`probot.auth(installationId)` gives an installation
 * Octokit from Probot's own token cache; a personal token gives a token Octokit the same way), with its retry and
 * throttling plugins switched off: the executors' retry loop (src/executors/retry.ts, capped Retry-After and
 * full-jitter backoff) is the only one, so attempts never multiply. `baseUrl` is GITHUB_API_URL (GHES).
 */
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";

export const HooklineOctokit = ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } });

/** What the App's helpers call of an installation Octokit (config reads, the PR check). */
export interface GitHubClient {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

export interface ProbotOptions {
  baseUrl: string;
  /** the App's credentials ... */
  appId?: string;
  privateKey?: string;
  secret?: string;
  /** ... or a personal / installation token (HOOKLINE_GITHUB_TOKEN, the Slack bot's GITHUB_TOKEN) */
  githubToken?: string;
  log?: NonNullable<ConstructorParameters<typeof Probot>[0]>["log"];
}

export function createProbot(o: ProbotOptions): Probot {
  return new Probot({
    ...(o.githubToken ? { githubToken: o.githubToken } : { appId: o.appId!, privateKey: o.privateKey! }),
    ...(o.secret ? { secret: o.secret } : {}),
    baseUrl: o.baseUrl,
    log: o.log ?? pino({ level: "silent" }),
    Octokit: HooklineOctokit,
  });
}

/** A token-authenticated client (Probot's Octokit), made on its first request. */
export function tokenOctokit(token: string, baseUrl: string): GitHubClient {
  const probot = createProbot({ githubToken: token, baseUrl });
  let client: Promise<GitHubClient> | undefined;
  return { request: async (route, params) => (await (client ??= probot.auth() as Promise<GitHubClient>)).request(route, params) };
}
