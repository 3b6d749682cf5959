/**
 * A StateStore over the Git Data API: `refs/hookline/state` points at a commit whose tree holds `state.json`.
 * Read: GET ref -> GET contents at that commit (blob API when the file is over the contents API's 1 MB).
 * Write: POST tree (the file's content inline), POST commit (parent = the version read), then compare-and-swap
 * the ref: PATCH with `force: false` (GitHub answers 422 "Update is not a fast forward" when another run moved it) or
 * POST when it does not exist yet (422 "Reference already exists"). Both 422s are reported as `conflict`.
 */
import { randomUUID } from "node:crypto";
import { StateStoreError, RESET_HINT } from "../store/errors.js";
import { parseState, serializeState } from "../store/state-codec.js";
import { emptyState, type LoadedState, type SaveResult, type StateStore } from "../store/types.js";

/** The part of an Octokit this store and the executors' GitHub port use (`getOctokit(token, { baseUrl })`, `probot.auth(id)`). */
export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

export interface GitRefStoreOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** ref name without `refs/` (default `hookline/state`) */
  ref?: string;
  /** file in the commit's tree (default `state.json`) */
  path?: string;
  /**
   * what a state.json that cannot be read does: `error` (default) throws HOOKLINE_STATE_CORRUPT; `reset` warns
   * and starts from an empty state written on top of the bad commit (history keeps it). A state written by a
   * NEWER hookline is always an error, never reset.
   */
  onCorrupt?: "error" | "reset";
  warn?: (message: string) => void;
  /** commit message of each write (default `hookline state`) */
  message?: string;
  /**
   * a unique id written into each commit message (default randomUUID). Without it two runs that compute the
   * same next state over the same parent within one second get the SAME commit sha, and GitHub accepts the
   * second "update" to the sha the ref already has: one increment would be lost.
   */
  writeId?: () => string;
}

interface HttpError {
  status?: number;
  message?: string;
  response?: { data?: { message?: string } };
}

function statusOf(e: unknown): number | undefined {
  return typeof e === "object" && e !== null ? (e as HttpError).status : undefined;
}

function messageOf(e: unknown): string {
  const err = e as HttpError;
  return err?.response?.data?.message ?? err?.message ?? String(e);
}

export function createGitRefStore(opts: GitRefStoreOptions): StateStore {
  const { octokit, owner, repo } = opts;
  const ref = opts.ref ?? "hookline/state";
  const path = opts.path ?? "state.json";
  const where = `refs/${ref}:${path}`;
  const onCorrupt = opts.onCorrupt ?? "error";

  function fail(action: string, e: unknown): never {
    const status = statusOf(e);
    if (status === 401 || status === 403 || (status === 404 && action !== "read")) {
      throw new StateStoreError(
        "HOOKLINE_STATE_FORBIDDEN",
        `cannot ${action} ${where} in ${owner}/${repo} (HTTP ${status}: ${messageOf(e)}); ` +
          "give the workflow `permissions: contents: write` (hookline keeps its state in a git ref)",
        { cause: e },
      );
    }
    throw new StateStoreError(
      "HOOKLINE_STATE_API",
      `cannot ${action} ${where} in ${owner}/${repo}: ${status ? `HTTP ${status}: ` : ""}${messageOf(e)}`,
      { cause: e },
    );
  }

  async function call(action: string, route: string, params: Record<string, unknown>) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GitHub's answers, each field read is checked by the caller
      return (await octokit.request(route, { owner, repo, ...params })).data as Record<string, any>;
    } catch (e) {
      fail(action, e);
    }
  }

  async function readText(commitSha: string): Promise<string> {
    const file = await call("read", "GET /repos/{owner}/{repo}/contents/{path}", { path, ref: commitSha });
    if (typeof file.sha !== "string") throw new StateStoreError("HOOKLINE_STATE_CORRUPT", `${where}: not a file. ${RESET_HINT}`);
    let content = file.content;
    // over 1 MB the contents API answers with an empty `content` (encoding "none"): read the blob instead
    if (file.encoding !== "base64" || typeof content !== "string" || (content === "" && file.size > 0)) {
      const blob = await call("read", "GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { file_sha: file.sha });
      content = blob.content;
    }
    return Buffer.from(String(content), "base64").toString("utf8");
  }

  async function currentSha(): Promise<string | null> {
    try {
      const res = await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner, repo, ref });
      return (res.data as { object: { sha: string } }).object.sha;
    } catch (e) {
      if (statusOf(e) === 404) return null;
      fail("read", e);
    }
  }

  return {
    async load(): Promise<LoadedState> {
      const commitSha = await currentSha();
      if (commitSha === null) return { state: emptyState(), version: null };
      let text: string;
      try {
        text = await readText(commitSha);
      } catch (e) {
        // the ref exists but its commit has no state.json: as corrupt as unreadable JSON
        if (!(e instanceof StateStoreError) || statusOf(e.cause) !== 404) throw e;
        text = "";
      }
      try {
        return { state: parseState(text, where), version: commitSha };
      } catch (e) {
        if (onCorrupt !== "reset" || !(e instanceof StateStoreError) || e.code !== "HOOKLINE_STATE_CORRUPT") throw e;
        opts.warn?.(
          `${e.message.replace(` ${RESET_HINT}`, "")}; starting from an empty state (the bad one stays in the ref's history at ${commitSha})`,
        );
        return { state: emptyState(), version: commitSha };
      }
    },

    async save(state, expectedVersion): Promise<SaveResult> {
      const text = serializeState(state);
      // the tree entry carries the file's text: GitHub writes the blob itself (one request fewer per write,
      // and the Action writes before it runs an action: bench/README.md "bench/action")
      const tree = await call("write", "POST /repos/{owner}/{repo}/git/trees", {
        tree: [{ path, mode: "100644", type: "blob", content: text }],
      });
      const commit = await call("write", "POST /repos/{owner}/{repo}/git/commits", {
        message: `${opts.message ?? "hookline state"}\n\nhookline-write: ${(opts.writeId ?? randomUUID)()}`,
        tree: tree.sha,
        parents: expectedVersion === null ? [] : [expectedVersion],
      });
      const sha = commit.sha as string;
      try {
        if (expectedVersion === null) {
          await octokit.request("POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/${ref}`, sha });
        } else {
          await octokit.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref, sha, force: false });
        }
      } catch (e) {
        // 422: "Update is not a fast forward" / "Reference already exists" / "Reference does not exist"
        // (someone reset the state meanwhile): the ref is not where we read it, so re-read and retry
        if (statusOf(e) === 422 && /fast forward|already exists|does not exist/i.test(messageOf(e))) {
          // a retried request whose first try succeeded (lost response) also lands here: then the ref already
          // holds OUR commit, and calling it a conflict would make updateState apply fn twice
          return (await currentSha()) === sha ? { ok: true, version: sha } : { ok: false, conflict: true };
        }
        fail("write", e);
      }
      return { ok: true, version: sha };
    },
  };
}
