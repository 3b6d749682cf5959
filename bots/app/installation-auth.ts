/**
 * Installation tokens: minted with the App's JWT (`POST /app/installations/{id}/access_tokens`), cached per
 * installation until `REFRESH_MARGIN_MS` before they expire, one mint at a time per installation. Every
 * GitHub call of a repository (config reads, the PR check, actions) goes through that installation's token
 * only. Clients are @actions/github Octokits WITHOUT retry/throttling plugins: the action executors have
 * their own retry loop (src/executors/github-port.ts), and stacking both would multiply attempts.
 */
import { getOctokit } from "@actions/github";

export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface GitHubClient {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

export interface MintedToken {
  token: string;
  /** epoch ms */
  expiresAt: number;
}

export interface InstallationAuth {
  token(installationId: number): Promise<string>;
  client(installationId: number): Promise<GitHubClient>;
}

interface Entry extends MintedToken {
  client: GitHubClient;
}

export function createInstallationAuth(opts: {
  mint(installationId: number): Promise<MintedToken>;
  baseUrl: string;
  now(): number;
}): InstallationAuth {
  const cache = new Map<number, Entry>();
  const minting = new Map<number, Promise<Entry>>();

  async function entry(installationId: number): Promise<Entry> {
    const cached = cache.get(installationId);
    if (cached && cached.expiresAt - REFRESH_MARGIN_MS > opts.now()) return cached;
    let pending = minting.get(installationId);
    if (!pending) {
      pending = opts
        .mint(installationId)
        .then((minted) => {
          const fresh: Entry = { ...minted, client: getOctokit(minted.token, { baseUrl: opts.baseUrl }) as unknown as GitHubClient };
          cache.set(installationId, fresh);
          return fresh;
        })
        .finally(() => minting.delete(installationId));
      minting.set(installationId, pending);
    }
    return pending;
  }

  return {
    async token(installationId) {
      return (await entry(installationId)).token;
    },
    async client(installationId) {
      return (await entry(installationId)).client;
    },
  };
}

/** Parses the access_tokens answer (`{ token, expires_at }`). */
export function mintedFrom(data: unknown, now: number): MintedToken {
  const d = data as { token?: unknown; expires_at?: unknown };
  if (typeof d?.token !== "string" || d.token.length === 0)
    throw new Error("GitHub answered the installation token request without a token");
  const expires = typeof d.expires_at === "string" ? Date.parse(d.expires_at) : NaN;
  // GitHub's tokens live one hour; without a readable expiry assume the shortest sane lifetime
  return { token: d.token, expiresAt: Number.isFinite(expires) ? expires : now + 10 * 60_000 };
}
