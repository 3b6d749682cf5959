/**
 * Where a pause or resume from Slack takes effect: always the server's store (the pause record and its
 * `hookline.automation.paused|resumed` event, one transaction, through the workers' `pauseAutomation`), and,
 * for a `repo:<owner>/<name>` scope whose repository runs the hookline Action, that repository's state ref
 * (`refs/hookline/state`, the `paused` map the Action reads), written with the git-ref store's compare-and-swap.
 *
 * A repository uses the Action when it is listed in `actionRepositories` or, with `detect` (the default), when
 * `refs/hookline/state` exists in it. The store is written first: it is the audit log. A failure to write the
 * ref is reported in the outcome (the server pause still holds), never hidden.
 */
import { isoOf } from "../../src/events/event-schema.js";
import { compactState } from "../../src/store/compact-state.js";
import { createGitRefStore, type OctokitLike } from "../../src/adapters/git-ref-store.js";
import type { ServerStore } from "../../src/store/server-types.js";
import { updateState, type UpdateOptions } from "../../src/store/update-state.js";
import { pauseAutomation, type PauseArgs } from "../../src/scopes/pause.js";

/** a pause or resume to apply: the same fields as the server's `pauseAutomation` */
export type PauseChange = PauseArgs;

export type RepositoryOutcome =
  { repository: string; status: "updated" | "unchanged" | "not-using-action" } | { repository: string; status: "failed"; error: string };

export interface PauseOutcome {
  /** the repository state ref, for `repo:` scopes; null for the server scope */
  repository: RepositoryOutcome | null;
}

export interface PauseTargets {
  apply(change: PauseChange): Promise<PauseOutcome>;
}

export interface PauseTargetsOptions {
  store: ServerStore;
  /** `owner/name` of repositories that use the Action (their state ref is written without looking) */
  actionRepositories?: readonly string[];
  /** an Octokit-like client for the repository (the GitHub App's installation), null when it cannot be reached */
  gitHubFor?(fullName: string): Promise<OctokitLike | null>;
  /** look for `refs/hookline/state` in repositories not listed (default true) */
  detect?: boolean;
  /** updateState options (tests: sleep/random) */
  update?: UpdateOptions;
}

const REPO_SCOPE = /^repo:([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/;

async function usesAction(octokit: OctokitLike, owner: string, repo: string): Promise<boolean> {
  try {
    await octokit.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner, repo, ref: "hookline/state" });
    return true;
  } catch (err) {
    if ((err as { status?: unknown })?.status === 404) return false;
    throw err;
  }
}

function messageOf(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown };
  return typeof e?.message === "string" ? e.message : String(err);
}

export function createPauseTargets(opts: PauseTargetsOptions): PauseTargets {
  const listed = new Set((opts.actionRepositories ?? []).map((r) => r.toLowerCase()));
  const detect = opts.detect ?? true;

  async function writeRef(change: PauseChange, owner: string, repo: string): Promise<RepositoryOutcome> {
    const repository = `${owner}/${repo}`;
    const isListed = listed.has(repository.toLowerCase());
    if (!isListed && !detect) return { repository, status: "not-using-action" };
    const octokit = opts.gitHubFor ? await opts.gitHubFor(repository) : null;
    if (!octokit) {
      return isListed
        ? { repository, status: "failed", error: `no GitHub access to ${repository} (is the GitHub App installed there?)` }
        : { repository, status: "not-using-action" };
    }
    if (!isListed && !(await usesAction(octokit, owner, repo))) return { repository, status: "not-using-action" };
    const verb = change.paused ? "pause" : "resume";
    const store = createGitRefStore({ octokit, owner, repo, message: `hookline: ${verb} ${change.automation} (${change.by})` });
    const result = await updateState(
      store,
      (s) => {
        const paused = { ...s.paused };
        if (change.paused)
          paused[change.automation] = {
            by: change.by,
            at: isoOf(change.now),
            ...(change.until !== null ? { until: isoOf(change.until) } : {}),
          };
        else delete paused[change.automation];
        return compactState({ ...s, paused }, { now: change.now });
      },
      opts.update,
    );
    return { repository, status: result.written ? "updated" : "unchanged" };
  }

  return {
    async apply(change) {
      await pauseAutomation(opts.store, change);
      const m = REPO_SCOPE.exec(change.scope);
      if (!m) return { repository: null };
      try {
        return { repository: await writeRef(change, m[1]!, m[2]!) };
      } catch (err) {
        return { repository: { repository: `${m[1]}/${m[2]}`, status: "failed", error: messageOf(err) } };
      }
    },
  };
}
