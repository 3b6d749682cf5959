/**
 * GitHubPort on `@actions/github`'s Octokit (`getOctokit(token, {baseUrl})`, baseUrl = GITHUB_API_URL so GHES
 * and local test servers work). Octokit's own retry and throttling plugins are NOT added: the executor's retry
 * loop already retries (per `max_retries`, honouring Retry-After), and stacking both would multiply attempts.
 */
import { getOctokit } from "@actions/github";
import { ACTION_CODES, ActionError, statusError } from "./errors.js";
import type { GitHubPort } from "./types.js";

export interface GitHubPortOptions {
  token: string;
  /** e.g. process.env.GITHUB_API_URL; default https://api.github.com */
  baseUrl?: string;
  now?: () => number;
}

interface OctokitLike {
  request(route: string, params: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

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

/** Wraps any Octokit-like `request` (tests and other runtimes may bring their own). */
export function gitHubPortFrom(octokit: OctokitLike, now: () => number = Date.now): GitHubPort {
  return {
    async request(route, params, signal) {
      try {
        return await octokit.request(route, { ...params, request: { signal } });
      } catch (err) {
        const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown>; data?: unknown } };
        if (signal.aborted && signal.reason instanceof ActionError) throw signal.reason;
        // Octokit reports network failures as status 500 without a response: those are network errors
        if (typeof e?.status === "number" && e.status >= 300 && e.response !== undefined) {
          throw statusError(e.status, e.response?.headers, `GitHub ${route.split(" ")[0]} ${route.split(" ")[1] ?? ""}`.trim(), errorDetail(e), now());
        }
        throw new ActionError(ACTION_CODES.network, `GitHub request failed: ${typeof e?.message === "string" ? e.message : String(err)}`, true);
      }
    },
  };
}

export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const octokit = getOctokit(options.token, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {});
  return gitHubPortFrom(octokit as unknown as OctokitLike, options.now);
}
