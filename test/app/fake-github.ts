/** A local GitHub API on 127.0.0.1 for the App's tests: tokens, contents, PR files, check runs, dispatches. */
import { createHash, createVerify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: any;
}

export interface CheckRun {
  id: number;
  repo: string;
  create: any;
  updates: any[];
}

export function blobSha(text: string): string {
  return createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0`)
    .update(text)
    .digest("hex");
}

export class FakeGitHub {
  server!: Server;
  url = "";
  requests: SeenRequest[] = [];
  /** `${repo}@${ref}:${path}` → text; ref "" = the default branch */
  files = new Map<string, string>();
  /** repo → installation id (GET /repos/{o}/{r}/installation) */
  installations = new Map<string, number>();
  prFiles = new Map<string, { filename: string; status?: string; previous_filename?: string }[]>();
  checkRuns: CheckRun[] = [];
  /** answer 422 to check-run creation */
  failCheckRuns = false;
  tokensIssued: { installationId: number; token: string }[] = [];
  /** seconds a minted token lives */
  tokenLifetimeS = 3600;
  constructor(
    private publicKey: string,
    private appId: string,
  ) {}

  setFile(repo: string, path: string, text: string | undefined, ref = ""): void {
    const key = `${repo}@${ref}:${path}`;
    if (text === undefined) this.files.delete(key);
    else this.files.set(key, text);
  }

  /** requests of a kind, e.g. `GET /repos/o/r/contents/.github%2Fautomations.yaml` prefix */
  seen(method: string, pathPrefix: string): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(body === undefined ? "" : JSON.stringify(body));
        },
        (err) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: String(err) }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** true when `authorization` is `Bearer <JWT>` signed with the App's key for the App id */
  private isAppJwt(authorization: string | undefined): boolean {
    const m = /^bearer (.+)$/i.exec(authorization ?? "");
    if (!m) return false;
    const [h, p, s] = m[1]!.split(".");
    if (!h || !p || !s) return false;
    const ok = createVerify("RSA-SHA256").update(`${h}.${p}`).verify(this.publicKey, Buffer.from(s, "base64url"));
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    return ok && String(claims.iss) === this.appId;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const seen: SeenRequest = {
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body: raw ? JSON.parse(raw) : undefined,
    };
    this.requests.push(seen);
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if ((m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path)) && req.method === "POST") {
      if (!this.isAppJwt(seen.authorization)) return { status: 401, body: { message: "A JSON web token could not be decoded" } };
      const installationId = Number(m[1]);
      const token = `ghs_inst${installationId}_${this.tokensIssued.length + 1}`;
      this.tokensIssued.push({ installationId, token });
      return { status: 201, body: { token, expires_at: new Date(Date.now() + this.tokenLifetimeS * 1000).toISOString(), permissions: {} } };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path))) {
      if (!this.isAppJwt(seen.authorization)) return { status: 401 };
      const id = this.installations.get(`${m[1]}/${m[2]}`);
      return id === undefined ? { status: 404, body: { message: "Not Found" } } : { status: 200, body: { id } };
    }
    // everything below needs an installation token
    if (!/^(token|bearer) ghs_/i.test(seen.authorization ?? "")) return { status: 401, body: { message: "Bad credentials" } };
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path)) && req.method === "GET") {
      const repo = `${m[1]}/${m[2]}`;
      const file = decodeURIComponent(m[3]!);
      const ref = url.searchParams.get("ref") ?? "";
      const text = this.files.get(`${repo}@${ref}:${file}`);
      if (text === undefined) return { status: 404, body: { message: "Not Found" } };
      return {
        status: 200,
        body: {
          type: "file",
          path: file,
          sha: blobSha(text),
          size: Buffer.byteLength(text),
          encoding: "base64",
          content: Buffer.from(text).toString("base64"),
        },
      };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(path))) {
      const all = this.prFiles.get(`${m[1]}/${m[2]}#${m[3]}`) ?? [];
      const per = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      return { status: 200, body: all.slice((page - 1) * per, page * per) };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(path)) && req.method === "POST") {
      if (this.failCheckRuns) return { status: 422, body: { message: "Validation Failed" } };
      const run: CheckRun = { id: 1000 + this.checkRuns.length, repo: `${m[1]}/${m[2]}`, create: seen.body, updates: [] };
      this.checkRuns.push(run);
      return { status: 201, body: { id: run.id } };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/.exec(path)) && req.method === "PATCH") {
      const run = this.checkRuns.find((r) => r.id === Number(m![3]));
      if (!run) return { status: 404 };
      run.updates.push(seen.body);
      return { status: 200, body: { id: run.id } };
    }
    if (/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/dispatches$/.test(path) && req.method === "POST") return { status: 204 };
    return { status: 404, body: { message: `fake GitHub has no route ${req.method} ${path}` } };
  }
}
