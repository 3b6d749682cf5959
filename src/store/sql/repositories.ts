/** The GitHub App's repositories and their cached automations file. Names are kept as GitHub spells them. */
import type { RepositoryRecord } from "../server-types.js";
import type { Db } from "./db.js";
import { textSafe, tsParam } from "./values.js";

const UPSERT_REPOSITORY = `
INSERT INTO repositories (full_name, installation_id, default_branch, config_sha, config_text, config_path, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (full_name) DO UPDATE
SET installation_id = EXCLUDED.installation_id, default_branch = EXCLUDED.default_branch,
    config_sha = EXCLUDED.config_sha, config_text = EXCLUDED.config_text,
    config_path = EXCLUDED.config_path, updated_at = EXCLUDED.updated_at`;

const GET_REPOSITORY = `
SELECT full_name, installation_id, default_branch, config_sha, config_text, config_path, updated_at
FROM repositories
WHERE full_name = $1`;

export async function upsertRepository(db: Db, r: RepositoryRecord): Promise<void> {
  await db.query(UPSERT_REPOSITORY, [
    r.fullName,
    String(r.installationId),
    r.defaultBranch,
    r.configSha,
    // a file with a NUL byte cannot be PostgreSQL text; it is not valid YAML either
    r.configText === null ? null : textSafe(r.configText),
    r.configPath,
    tsParam(r.updatedAt),
  ]);
}

export async function getRepository(db: Db, fullName: string): Promise<RepositoryRecord | null> {
  const row = (
    await db.query<{
      full_name: string;
      installation_id: string;
      default_branch: string | null;
      config_sha: string | null;
      config_text: string | null;
      config_path: string | null;
      updated_at: number;
    }>(GET_REPOSITORY, [fullName])
  ).rows[0];
  if (!row) return null;
  return {
    fullName: row.full_name,
    installationId: Number(row.installation_id),
    defaultBranch: row.default_branch,
    configSha: row.config_sha,
    configText: row.config_text,
    configPath: row.config_path,
    updatedAt: row.updated_at,
  };
}
