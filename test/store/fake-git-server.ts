/**
 * A real HTTP server on 127.0.0.1 implementing the Git Data API subset the git-ref store uses, worded as
 * GitHub words it: objects stored by git-style sha1, refs with the fast-forward check of `force: false`,
 * 404 for a missing ref, 422 for "Reference already exists" / "Update is not a fast forward".
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Blob = { type: "blob"; content: Buffer };
type TreeEntry = { path: string; mode: string; type: "blob"; sha: string };
type Tree = { type: "tree"; entries: TreeEntry[] };
type Commit = { type: "commit"; tree: string; parents: string[]; message: string };
type GitObject = Blob | Tree | Commit;

export interface FakeGitServer {
  baseUrl: string;
  objects: Map<string, GitObject>;
  /** full ref name ("refs/hookline/state") -> commit sha */
  refs: Map<string, string>;
  /** "METHOD /path" of every request, in order */
  log: string[];
  /** runs before a request is handled (await it to interleave another writer) */
  before?: (method: string, path: string) => Promise<void> | void;
  /** the contents API's inline limit (GitHub: 1 MB) */
  contentsLimit: number;
  /** answer writes with 403 like a read-only GITHUB_TOKEN */
  readOnly: boolean;
  /** store a blob/tree/commit and point `ref` at it, as if another tool had written `text` */
  writeRaw(ref: string, files: Record<string, string>): string;
  /** the text of `path` at the commit `ref` points to */
  readRaw(ref: string, path?: string): string | undefined;
  commit(sha: string): Commit;
  close(): Promise<void>;
}

const gitSha = (type: string, body: Buffer) =>
  createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest("hex");

class HttpFail extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeGitServer(owner = "octo", repo = "hello"): Promise<FakeGitServer> {
  const objects = new Map<string, GitObject>();
  const refs = new Map<string, string>();

  function put(obj: GitObject): string {
    let body: Buffer;
    if (obj.type === "blob") body = obj.content;
    else if (obj.type === "tree") {
      body = Buffer.concat(
        [...obj.entries]
          .sort((a, b) => (a.path < b.path ? -1 : 1))
          .flatMap((e) => [Buffer.from(`${e.mode} ${e.path}\0`), Buffer.from(e.sha, "hex")]),
      );
    } else {
      // a fixed author date: like two writes within the same second on GitHub
      const who = "hookline <hookline@example.com> 1700000000 +0000";
      const parents = obj.parents.map((p) => `parent ${p}\n`).join("");
      body = Buffer.from(`tree ${obj.tree}\n${parents}author ${who}\ncommitter ${who}\n\n${obj.message}`);
    }
    const sha = gitSha(obj.type, body);
    objects.set(sha, obj);
    return sha;
  }

  function get<T extends GitObject["type"]>(sha: unknown, type: T): Extract<GitObject, { type: T }> | undefined {
    const o = typeof sha === "string" ? objects.get(sha) : undefined;
    return o?.type === type ? (o as Extract<GitObject, { type: T }>) : undefined;
  }

  function isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const s = stack.pop()!;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(get(s, "commit")?.parents ?? []));
    }
    return false;
  }

  const b64 = (buf: Buffer) => buf.toString("base64").replace(/(.{60})/g, "$1\n");

  function fileAt(commitSha: string, path: string): { entry: TreeEntry; blob: Blob } | undefined {
    const tree = get(get(commitSha, "commit")?.tree, "tree");
    const entry = tree?.entries.find((e) => e.path === path);
    const blob = get(entry?.sha, "blob");
    return entry && blob ? { entry, blob } : undefined;
  }

  function handle(method: string, rest: string, query: URLSearchParams, body: any): [number, unknown] {
    const refObj = (name: string) => ({ ref: name, object: { sha: refs.get(name), type: "commit" } });
    let m: RegExpExecArray | null;
    const write = method !== "GET";
    if (write && server.readOnly) throw new HttpFail(403, "Resource not accessible by integration");

    if (method === "GET" && (m = /^git\/ref\/(.+)$/.exec(rest))) {
      const name = `refs/${m[1]}`;
      if (!refs.has(name)) throw new HttpFail(404, "Not Found");
      return [200, refObj(name)];
    }
    if (method === "POST" && rest === "git/refs") {
      const name = body?.ref;
      if (typeof name !== "string" || !name.startsWith("refs/") || name.split("/").length < 3) {
        throw new HttpFail(422, "Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (!get(body.sha, "commit")) throw new HttpFail(422, "Object does not exist");
      if (refs.has(name)) throw new HttpFail(422, "Reference already exists");
      refs.set(name, body.sha);
      return [201, refObj(name)];
    }
    if (method === "PATCH" && (m = /^git\/refs\/(.+)$/.exec(rest))) {
      const name = `refs/${m[1]}`;
      const current = refs.get(name);
      if (current === undefined) throw new HttpFail(422, "Reference does not exist");
      if (!get(body?.sha, "commit")) throw new HttpFail(422, "Object does not exist");
      if (body.force !== true && !isAncestor(current, body.sha)) throw new HttpFail(422, "Update is not a fast forward");
      refs.set(name, body.sha);
      return [200, refObj(name)];
    }
    if (method === "POST" && rest === "git/blobs") {
      if (typeof body?.content !== "string") throw new HttpFail(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
      const content = body.encoding === "base64" ? Buffer.from(body.content, "base64") : Buffer.from(body.content, "utf8");
      return [201, { sha: put({ type: "blob", content }) }];
    }
    if (method === "GET" && (m = /^git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const blob = get(m[1], "blob");
      if (!blob) throw new HttpFail(404, "Not Found");
      return [200, { sha: m[1], size: blob.content.length, encoding: "base64", content: b64(blob.content) }];
    }
    if (method === "POST" && rest === "git/trees") {
      if (body?.base_tree !== undefined) throw new HttpFail(422, "base_tree is not supported by this fake");
      const entries: TreeEntry[] = [];
      for (const e of body?.tree ?? []) {
        const sha = typeof e.content === "string" ? put({ type: "blob", content: Buffer.from(e.content) }) : e.sha;
        if (e.type !== "blob" || !get(sha, "blob")) throw new HttpFail(422, "tree.sha is not a valid blob");
        entries.push({ path: e.path, mode: e.mode, type: "blob", sha });
      }
      const sha = put({ type: "tree", entries });
      return [201, { sha, tree: entries }];
    }
    if (method === "POST" && rest === "git/commits") {
      if (!get(body?.tree, "tree")) throw new HttpFail(422, "Tree SHA does not exist");
      const parents: string[] = body.parents ?? [];
      if (parents.some((p) => !get(p, "commit"))) throw new HttpFail(422, "Parent SHA does not exist or is not a commit object");
      const commit: Commit = { type: "commit", tree: body.tree, parents, message: String(body.message ?? "") };
      const sha = put(commit);
      return [201, { sha, tree: { sha: commit.tree }, parents: parents.map((p) => ({ sha: p })), message: commit.message }];
    }
    if (method === "GET" && (m = /^contents\/(.+)$/.exec(rest))) {
      const r = query.get("ref") ?? "refs/heads/main";
      const commitSha = /^[0-9a-f]{40}$/.test(r) ? r : refs.get(r.startsWith("refs/") ? r : `refs/heads/${r}`);
      if (!commitSha || !get(commitSha, "commit")) throw new HttpFail(404, `No commit found for the ref ${r}`);
      const file = fileAt(commitSha, m[1]!);
      if (!file) throw new HttpFail(404, "Not Found");
      const size = file.blob.content.length;
      const inline = size <= server.contentsLimit;
      return [
        200,
        {
          type: "file",
          name: m[1],
          path: m[1],
          sha: file.entry.sha,
          size,
          encoding: inline ? "base64" : "none",
          content: inline ? b64(file.blob.content) : "",
        },
      ];
    }
    throw new HttpFail(404, "Not Found");
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const path = decodeURIComponent(url.pathname);
    server.log.push(`${method} ${path}`);
    let status: number;
    let payload: unknown;
    try {
      await server.before?.(method, path);
      if (req.headers.authorization !== "token token") throw new HttpFail(401, "Bad credentials");
      const prefix = `/repos/${owner}/${repo}/`;
      if (!path.startsWith(prefix)) throw new HttpFail(404, "Not Found");
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      [status, payload] = handle(method, path.slice(prefix.length), url.searchParams, body);
    } catch (e) {
      status = e instanceof HttpFail ? e.status : 500;
      payload = { message: (e as Error).message, documentation_url: "https://docs.github.com/rest", status: String(status) };
    }
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(payload));
  }

  const http: Server = createServer((req, res) => void onRequest(req, res));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;

  const server: FakeGitServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    objects,
    refs,
    log: [],
    contentsLimit: 1024 * 1024,
    readOnly: false,
    writeRaw(ref, files) {
      const entries = Object.entries(files).map(([path, text]) => ({
        path,
        mode: "100644",
        type: "blob" as const,
        sha: put({ type: "blob", content: Buffer.from(text) }),
      }));
      const parent = refs.get(ref);
      const sha = put({ type: "commit", tree: put({ type: "tree", entries }), parents: parent ? [parent] : [], message: "raw" });
      refs.set(ref, sha);
      return sha;
    },
    readRaw(ref, path = "state.json") {
      const sha = refs.get(ref);
      return sha ? fileAt(sha, path)?.blob.content.toString("utf8") : undefined;
    },
    commit(sha) {
      const c = get(sha, "commit");
      if (!c) throw new Error(`no commit ${sha}`);
      return c;
    },
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
  return server;
}
