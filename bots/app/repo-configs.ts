/**
 * `configOf` for `repo:<owner>/<name>` scopes: `.github/automations.yaml` from the default branch, else the
 * organisation's fallback in `<owner>/.github` (same path). Config version = the blob sha.
 *
 * Stored per repository (repositories table, shared by every instance):
 *   configPath null                          → not read yet, or stale (push to the default branch): read again
 *   configPath AUTOMATIONS_PATH, sha set     → the repository's own file
 *   configPath `<owner>/.github:<path>`      → the organisation's fallback (sha = that blob)
 *   configPath AUTOMATIONS_PATH, sha null    → looked, none (own or fallback)
 * A repository without its own file is read again when the stored `<owner>/.github` record disagrees with
 * the fallback sha it used (so a push to the org's `.github` repository reaches every repository, on every
 * instance). Parsed configs are cached in memory by blob sha; a file with errors gives null (no automations)
 * and one warning per sha: the PR check says why.
 */
import { formatProblem, loadAutomations } from "../../src/automations/index.js";
import type { RepositoryRecord, ServerStore } from "../../src/store/server-types.js";
import { readFile, type FileRead } from "./contents.js";
import type { GitHubClient } from "./octokit.js";
import { AUTOMATIONS_PATH, type Logger, type ScopeConfig } from "./types.js";

const PARSED_CACHE_MAX = 1000;

export function orgPath(owner: string): string {
  return `${owner}/.github:${AUTOMATIONS_PATH}`;
}

export function createRepoConfigs(deps: {
  store: ServerStore;
  /** an installation's client: `probot.auth(installationId)` (Probot caches its token) */
  installation(installationId: number): Promise<GitHubClient>;
  log: Logger;
  now(): number;
  /** the installation of a repository the store does not know (App JWT lookup); undefined: not installed */
  lookupInstallation(fullName: string): Promise<number | undefined>;
}) {
  const parsed = new Map<string, ScopeConfig | null>();
  const loading = new Map<string, Promise<RepositoryRecord>>();

  function parse(rec: RepositoryRecord): ScopeConfig | null {
    const sha = rec.configSha;
    if (sha === null) return null;
    if (parsed.has(sha)) return parsed.get(sha)!;
    let result: ScopeConfig | null = null;
    const file = rec.configPath ?? AUTOMATIONS_PATH;
    if (rec.configText === null) {
      deps.log.warn(
        { repository: rec.fullName, file, sha },
        `${file} is too large to load (limit 1 MiB): the repository has no automations until it is fixed`,
      );
    } else {
      const loaded = loadAutomations(rec.configText, file);
      if (loaded.config) result = { config: loaded.config, version: sha, source: rec.configText };
      else {
        const errors = loaded.problems.filter((p) => p.severity === "error");
        deps.log.warn(
          { repository: rec.fullName, file, sha, errors: errors.length, problems: errors.slice(0, 5).map(formatProblem) },
          `${file} has ${errors.length} error(s): the repository has no automations until it is fixed (the PR check shows them)`,
        );
      }
    }
    if (parsed.size >= PARSED_CACHE_MAX) parsed.delete(parsed.keys().next().value!);
    parsed.set(sha, result);
    return result;
  }

  /** Reads the file (own, else org fallback) from the default branch and stores what was found. */
  async function load(rec: RepositoryRecord, org: RepositoryRecord | null): Promise<RepositoryRecord> {
    const client = await deps.installation(rec.installationId);
    const owner = rec.fullName.split("/")[0]!;
    const orgRepo = `${owner}/.github`;
    let found: FileRead | undefined = await readFile(client, rec.fullName, AUTOMATIONS_PATH);
    let path = AUTOMATIONS_PATH;
    if (!found && rec.fullName.toLowerCase() !== orgRepo.toLowerCase()) {
      const fallback = await readFile(client, orgRepo, AUTOMATIONS_PATH);
      if (org) {
        // what we just read IS the org repository's own config: keep its record current too
        await deps.store.upsertRepository({
          ...org,
          configSha: fallback?.sha ?? null,
          configText: fallback?.text ?? null,
          configPath: AUTOMATIONS_PATH,
          updatedAt: deps.now(),
        });
      }
      if (fallback) [found, path] = [fallback, orgPath(owner)];
    }
    const next: RepositoryRecord = {
      ...rec,
      configSha: found?.sha ?? null,
      configText: found?.text ?? null,
      configPath: path,
      updatedAt: deps.now(),
    };
    await deps.store.upsertRepository(next);
    if (next.configSha !== rec.configSha)
      deps.log.info({ repository: rec.fullName, file: path, sha: next.configSha }, "automations config loaded");
    return next;
  }

  function needsLoad(rec: RepositoryRecord, org: RepositoryRecord | null): boolean {
    if (rec.configPath === null) return true;
    const own = rec.configPath === AUTOMATIONS_PATH && rec.configSha !== null;
    if (own || !org) return false;
    return org.configPath === null || org.configSha !== rec.configSha;
  }

  async function current(fullName: string): Promise<RepositoryRecord | null> {
    let rec = await deps.store.getRepository(fullName);
    if (!rec) {
      const installationId = await deps.lookupInstallation(fullName);
      if (installationId === undefined) return null;
      rec = { fullName, installationId, defaultBranch: null, configSha: null, configText: null, configPath: null, updatedAt: deps.now() };
    }
    const owner = fullName.split("/")[0]!;
    const isOrgRepo = fullName.toLowerCase() === `${owner}/.github`.toLowerCase();
    const org = isOrgRepo ? null : await deps.store.getRepository(`${owner}/.github`);
    if (!needsLoad(rec, org)) return rec;
    const inflight = loading.get(fullName);
    if (inflight) return inflight;
    const stale = rec;
    const p = load(stale, org)
      .catch((err) => {
        // GitHub unreachable: keep using the last config read, if any, rather than dropping automations
        if (stale.configPath !== null || stale.configSha !== null) {
          deps.log.warn({ repository: fullName, err: String(err) }, "could not read the automations config: using the last one read");
          return stale;
        }
        throw err;
      })
      .finally(() => loading.delete(fullName));
    loading.set(fullName, p);
    return p;
  }

  return {
    async configOf(fullName: string): Promise<ScopeConfig | null> {
      const rec = await current(fullName);
      return rec ? parse(rec) : null;
    },
    /** reads the config now when it is stale (after a push to the default branch), so evaluation does not wait */
    async refresh(fullName: string): Promise<void> {
      await current(fullName);
    },
  };
}
export type RepoConfigs = ReturnType<typeof createRepoConfigs>;
