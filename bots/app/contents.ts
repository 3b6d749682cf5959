/** One file of a repository through the contents API (JSON form: the blob sha and the text in one answer). */
import { MAX_FILE_BYTES } from "../../src/automations/index.js";
import type { GitHubClient } from "./octokit.js";

export type FileRead =
  | { sha: string; text: string }
  /** larger than the automations loader accepts (or than the contents API inlines) */
  | { sha: string; text: null; size: number };

export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === "number" ? s : undefined;
}

/** undefined: no such file at `ref` (404, or a directory). Other failures reject. */
export async function readFile(client: GitHubClient, fullName: string, path: string, ref?: string): Promise<FileRead | undefined> {
  const [owner, repo] = fullName.split("/") as [string, string];
  let data: unknown;
  try {
    ({ data } = await client.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ...(ref ? { ref } : {}) }));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
  const d = data as { type?: unknown; sha?: unknown; size?: unknown; content?: unknown; encoding?: unknown };
  if (Array.isArray(data) || d?.type !== "file" || typeof d.sha !== "string") return undefined;
  const size = typeof d.size === "number" ? d.size : 0;
  if (size > MAX_FILE_BYTES || d.encoding !== "base64" || typeof d.content !== "string") return { sha: d.sha, text: null, size };
  return { sha: d.sha, text: Buffer.from(d.content, "base64").toString("utf8") };
}
