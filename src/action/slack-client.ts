/**
 * The Action's one Slack client: `@slack/web-api`'s WebClient (src/adapters/slack-port.ts: its retries off, the
 * executors' retry loop is the only one), made and loaded on the first Slack call, so a run that posts nothing
 * never loads it. Its requests go through `@actions/github`'s fetch: the undici the GitHub client already loaded
 * (not a second copy in Node) and the runner's proxy (HTTPS_PROXY, as chosen for GITHUB_API_URL).
 */
import type { SlackPort } from "../executors/types.js";

export function lazySlackPort(slackApiUrl: string, warn: (message: string) => void): SlackPort {
  let port: Promise<SlackPort> | undefined;
  const load = () =>
    (port ??= Promise.all([import("../adapters/slack-port.js"), import("@actions/github/lib/utils")]).then(([slack, github]) => {
      const fetch = github.defaults.request?.fetch as typeof globalThis.fetch | undefined;
      return slack.createSlackPort({ slackApiUrl, warn, ...(fetch ? { fetch } : {}) });
    }));
  return { call: async (method, token, args, signal) => (await load()).call(method, token, args, signal) };
}
