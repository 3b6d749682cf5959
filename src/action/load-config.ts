/**
 * The automations of the repository: from the checked-out workspace, or (no checkout) through the contents API
 * at the default branch with the job's token.
 */
import { loadAutomations, MAX_FILE_BYTES, type LoadOptions, type LoadResult } from "../automations/index.js";
import { ActionInputError, quote } from "./errors.js";
import type { OctokitLike } from "../adapters/git-ref-store.js";
import type { ActionIO } from "./io.js";

export interface ApiTarget {
  apiUrl: string;
  owner: string;
  repo: string;
  /** the Action's one GitHub client (github-client.ts) */
  octokit: OctokitLike;
}

export async function fetchRepositoryFile(target: ApiTarget, path: string): Promise<string | undefined> {
  let text: unknown;
  try {
    ({ data: text } = await target.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: target.owner,
      repo: target.repo,
      path,
      mediaType: { format: "raw" },
      request: { signal: AbortSignal.timeout(30_000) },
    }));
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    if (status === 404) return undefined;
    if (typeof status === "number" && (err as { response?: unknown }).response !== undefined) {
      const hint =
        status === 401 || status === 403
          ? "; give the job `permissions: contents: read` or pass a token with access as `github-token`"
          : "";
      throw new ActionInputError("HOOKLINE_ACTION_API", `reading ${path} through the API answered HTTP ${status}${hint}`);
    }
    throw new ActionInputError(
      "HOOKLINE_ACTION_API",
      `could not reach ${target.apiUrl} to read ${path}: ${err instanceof Error ? err.message : String(err)}; check GITHUB_API_URL or add actions/checkout before this step`,
    );
  }
  if (typeof text !== "string") return undefined; // a directory (the raw format answers a listing)
  if (Buffer.byteLength(text) > MAX_FILE_BYTES)
    throw new ActionInputError("HOOKLINE_ACTION_AUTOMATIONS_TOO_LARGE", `${path} is larger than ${MAX_FILE_BYTES} bytes`);
  return text;
}

export interface LoadedConfig {
  result: LoadResult;
  source: "workspace" | "api";
}

/** `options.templates: "lazy"` for the runtimes (templates checked at their first render); validate keeps full checks. */
export async function loadRepositoryAutomations(
  io: ActionIO,
  path: string,
  api: ApiTarget,
  options: LoadOptions = {},
): Promise<LoadedConfig> {
  const local = io.readWorkspaceFile(path);
  if (local !== undefined) return { result: loadAutomations(local, path, options), source: "workspace" };
  const remote = await fetchRepositoryFile(api, path);
  if (remote === undefined) {
    throw new ActionInputError(
      "HOOKLINE_ACTION_AUTOMATIONS_MISSING",
      `${quote(path)} is neither in the workspace nor on the default branch of ${api.owner}/${api.repo}; commit it or set the \`automations\` input`,
    );
  }
  return { result: loadAutomations(remote, path, options), source: "api" };
}
