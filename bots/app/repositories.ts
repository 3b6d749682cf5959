/**
 * The repositories table from deliveries: installation id and default branch of every repository the App
 * hears about, and a `stale` mark (configPath null) when its automations must be read again (push to the
 * default branch, default branch renamed). Writes only when something changed: a delivery for a known,
 * unchanged repository costs no store call.
 */
import type { RepositoryRecord, ServerStore } from "../../src/store/server-types.js";

export interface RepositoryNote {
  fullName: string;
  installationId: number;
  /** undefined: not in this payload (keep what is stored) */
  defaultBranch?: string | undefined;
  /** the config must be read again */
  stale?: boolean;
}

/** What a delivery tells about repositories. */
export function repositoryNotes(name: string, payload: unknown): RepositoryNote[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untrusted payload: every value read is type-checked below
  const p = payload as Record<string, any> | null;
  const installationId = p?.installation?.id;
  if (typeof installationId !== "number" || !Number.isSafeInteger(installationId) || installationId <= 0) return [];
  const notes: RepositoryNote[] = [];
  const add = (repo: unknown, stale = false) => {
    const r = repo as { full_name?: unknown; default_branch?: unknown } | null;
    if (typeof r?.full_name !== "string" || !FULL_NAME.test(r.full_name)) return;
    notes.push({
      fullName: r.full_name,
      installationId,
      defaultBranch: typeof r.default_branch === "string" ? r.default_branch : undefined,
      stale,
    });
  };
  const action = typeof p?.action === "string" ? p.action : "";
  if (name === "installation" && action !== "deleted" && action !== "suspend" && Array.isArray(p?.repositories))
    p.repositories.forEach((r: unknown) => add(r));
  if (name === "installation_repositories" && Array.isArray(p?.repositories_added)) p.repositories_added.forEach((r: unknown) => add(r));
  if (p?.repository !== undefined) {
    const repo = p.repository as { default_branch?: unknown };
    const toDefault =
      name === "push" &&
      typeof p.ref === "string" &&
      typeof repo?.default_branch === "string" &&
      p.ref === `refs/heads/${repo.default_branch}`;
    const branchChanged = name === "repository" && p.changes?.default_branch !== undefined;
    add(p.repository, toDefault || branchChanged || (name === "repository" && action === "renamed"));
  }
  return notes;
}

export const FULL_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

export function createRepositories(store: ServerStore, now: () => number) {
  const known = new Map<string, { installationId: number; defaultBranch: string | null }>();
  return {
    /** Upserts what changed; returns the stored record (or undefined when nothing had to be written). */
    async note(n: RepositoryNote): Promise<void> {
      const k = known.get(n.fullName);
      const sameBranch = n.defaultBranch === undefined || k?.defaultBranch === n.defaultBranch;
      if (!n.stale && k && k.installationId === n.installationId && sameBranch) return;
      const rec = await store.getRepository(n.fullName);
      const next: RepositoryRecord = rec
        ? {
            ...rec,
            installationId: n.installationId,
            defaultBranch: n.defaultBranch ?? rec.defaultBranch,
            configPath: n.stale ? null : rec.configPath,
          }
        : {
            fullName: n.fullName,
            installationId: n.installationId,
            defaultBranch: n.defaultBranch ?? null,
            configSha: null,
            configText: null,
            configPath: null,
            updatedAt: 0,
          };
      const changed =
        !rec ||
        rec.installationId !== next.installationId ||
        rec.defaultBranch !== next.defaultBranch ||
        rec.configPath !== next.configPath;
      if (changed) await store.upsertRepository({ ...next, updatedAt: now() });
      known.set(n.fullName, { installationId: next.installationId, defaultBranch: next.defaultBranch });
    },
    /** the installation that can act on a repository, as far as this instance knows */
    cachedInstallation(fullName: string): number | undefined {
      return known.get(fullName)?.installationId;
    },
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
