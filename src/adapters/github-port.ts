/**
 * GitHubPort over an Octokit: the Action's is `@actions/github`'s `getOctokit(token, { baseUrl: GITHUB_API_URL })`
 * (GHES and the runner's proxy included), the server's is Probot's (its installation auth and token cache). Neither
 * carries Octokit's retry or throttling plugins (the server switches them off): the executors' retry loop
 * (src/executors/retry.ts) already retries, honouring Retry-After, and stacking both would multiply attempts.
 * The port classifies Octokit's rejections (`status`, `response.headers`) for that loop.
 */
import { ACTION_CODES, ActionError, statusError } from "../executors/errors.js";
import type { GitHubPort } from "../executors/types.js";
import type { OctokitLike } from "./git-ref-store.js";

export type { OctokitLike };

function errorDetail(err: { message?: unknown; response?: { data?: unknown } }): string {
  const data = err.response?.data as { message?: unknown; errors?: unknown } | string | undefined;
  if (data && typeof data === "object") {
    const parts = [typeof data.message === "string" ? data.message : ""];
    if (data.errors !== undefined) parts.push(JSON.stringify(data.errors).slice(0, 300));
    return parts.filter(Boolean).join(" ");
  }
  if (typeof data === "string") return data.slice(0, 300);
  return typeof err.message === "string" ? err.message : "";
}

/** The executors' GitHubPort on an Octokit; `now` reads Retry-After dates. */
export function gitHubPortFrom(octokit: OctokitLike, now: () => number): GitHubPort {
  // an Octokit's request carries its defaults (the baseUrl it was made with); a stand-in may not
  const apiUrl = (octokit.request as { endpoint?: { DEFAULTS?: { baseUrl?: unknown } } }).endpoint?.DEFAULTS?.baseUrl;
  return {
    ...(typeof apiUrl === "string" ? { apiUrl } : {}),
    async request(route, params, signal) {
      try {
        return await octokit.request(route, { ...params, request: { signal } });
      } catch (err) {
        const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown>; data?: unknown } };
        if (signal.aborted && signal.reason instanceof ActionError) throw signal.reason;
        // Octokit reports network failures as status 500 without a response: those are network errors
        if (typeof e?.status === "number" && e.status >= 300 && e.response !== undefined) {
          throw statusError(
            e.status,
            e.response?.headers,
            `GitHub ${route.split(" ")[0]} ${route.split(" ")[1] ?? ""}`.trim(),
            errorDetail(e),
            now(),
          );
        }
        throw new ActionError(
          ACTION_CODES.network,
          `GitHub request failed: ${typeof e?.message === "string" ? e.message : String(err)}`,
          true,
        );
      }
    },
  };
}
