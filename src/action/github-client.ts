/**
 * The Action's one GitHub client: `@actions/github`'s Octokit at GITHUB_API_URL (GHES), through the runner's
 * proxy (HTTPS_PROXY / NO_PROXY, @actions/http-client), `authorization: token …`. It has no retry or throttling
 * plugin: the executors' retry loop is the only one. Config reads, notify's jobs list, the state ref and the
 * executors all share it. It is made (and its module loaded) on the first call: `validate` never needs it.
 */
import type { OctokitLike } from "../adapters/git-ref-store.js";

export interface GitHubClientOptions {
  token: string;
  apiUrl: string;
  /** Octokit's warnings (deprecations) go to the Action's log instead of the console */
  warn(message: string): void;
}

export function actionOctokit(o: GitHubClientOptions): OctokitLike {
  let client: Promise<OctokitLike> | undefined;
  const load = () =>
    (client ??= import("@actions/github/lib/utils").then(({ GitHub, getOctokitOptions }) => {
      const log = { debug: () => undefined, info: () => undefined, warn: o.warn, error: o.warn };
      const options = { baseUrl: o.apiUrl, log };
      // getOctokit(token) itself; without a token (the input emptied) anonymous calls, which public repositories answer
      return new GitHub(o.token ? getOctokitOptions(o.token, options) : options) as unknown as OctokitLike;
    }));
  return { request: async (route, params) => (await load()).request(route, params) };
}
