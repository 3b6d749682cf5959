/**
 * Local stand-ins on 127.0.0.1 for the Action benchmark (node:http, no dependencies):
 * - Slack Web API: records, per run, when the first `chat.postMessage` request arrives (process.hrtime of
 *   this process, taken when the request's headers arrive) and answers `{ok: true, channel, ts}` like Slack.
 * - GitHub API: just enough of the contents and Git Data API for hookline's state ref (refs, blobs, trees,
 *   commits, contents at a commit; create-ref 422 when it exists, PATCH 422 when not a fast forward). `reset()`
 *   before each run forgets everything, so each run starts in a repository hookline has never written to and
 *   the runs (same GITHUB_RUN_ID) are not deduplicated against each other.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";

function listen(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

export async function startSlack() {
  const state = { firstPostAt: null, requests: [], onPost: null, ts: 1700000000 };
  const server = createServer(async (req, res) => {
    const at = process.hrtime.bigint();
    const method = (req.url ?? "").split("?")[0].split("/").pop();
    if (method === "chat.postMessage" && state.firstPostAt === null) {
      state.firstPostAt = at;
      state.onPost?.(at);
    }
    const body = await readBody(req);
    state.requests.push({ method, at, body });
    const ts = `${state.ts++}.000100`;
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ ok: true, channel: "C0123ABCDEF", ts, message: { ts, text: "" } }));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/api/`,
    state,
    reset() {
      state.firstPostAt = null;
      state.requests = [];
      state.onPost = null;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function startGitHub() {
  const state = { requests: [] };
  let objects = new Map(); // sha -> {type, ...}
  let refs = new Map(); // "hookline/state" -> commit sha
  let n = 0;
  const sha = () => createHash("sha1").update(`bench-${n++}`).digest("hex");
  const server = createServer(async (req, res) => {
    const at = process.hrtime.bigint();
    const [url, query = ""] = (req.url ?? "").split("?");
    state.requests.push({ call: `${req.method} ${url}`, at });
    const text = await readBody(req);
    const body = text ? JSON.parse(text) : {};
    const send = (status, data) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(data));
    };
    const notFound = () => send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    let m;
    if (req.method === "GET" && (m = /\/git\/ref\/(.+)$/.exec(url))) {
      const at = refs.get(decodeURIComponent(m[1]));
      return at ? send(200, { ref: `refs/${decodeURIComponent(m[1])}`, object: { sha: at, type: "commit" } }) : notFound();
    }
    if (req.method === "GET" && (m = /\/contents\/(.+)$/.exec(url))) {
      const commit = objects.get(new URLSearchParams(query).get("ref") ?? "");
      const entry = commit && objects.get(commit.tree)?.entries.find((e) => e.path === decodeURIComponent(m[1]));
      const blob = entry && objects.get(entry.sha);
      if (!blob) return notFound();
      return send(200, {
        type: "file",
        path: entry.path,
        sha: entry.sha,
        size: blob.content.length,
        encoding: "base64",
        content: blob.content.toString("base64"),
      });
    }
    if (req.method === "POST" && url.endsWith("/git/blobs")) {
      const s = sha();
      objects.set(s, { type: "blob", content: Buffer.from(body.content ?? "", body.encoding === "base64" ? "base64" : "utf8") });
      return send(201, { sha: s });
    }
    if (req.method === "POST" && url.endsWith("/git/trees")) {
      const s = sha();
      // an entry with `content` makes its blob (as GitHub does)
      const entries = (body.tree ?? []).map((e) => {
        if (typeof e.content !== "string") return e;
        const b = sha();
        objects.set(b, { type: "blob", content: Buffer.from(e.content, "utf8") });
        return { path: e.path, mode: e.mode, type: "blob", sha: b };
      });
      objects.set(s, { type: "tree", entries });
      return send(201, { sha: s });
    }
    if (req.method === "POST" && url.endsWith("/git/commits")) {
      const s = sha();
      objects.set(s, { type: "commit", tree: body.tree, parents: body.parents ?? [] });
      return send(201, { sha: s });
    }
    if (req.method === "POST" && url.endsWith("/git/refs")) {
      const name = String(body.ref ?? "").replace(/^refs\//, "");
      if (refs.has(name)) return send(422, { message: "Reference already exists" });
      refs.set(name, body.sha);
      return send(201, { ref: body.ref, object: { sha: body.sha, type: "commit" } });
    }
    if (req.method === "PATCH" && (m = /\/git\/refs\/(.+)$/.exec(url))) {
      const name = decodeURIComponent(m[1]);
      const current = refs.get(name);
      if (!current) return send(422, { message: "Reference does not exist" });
      if (!body.force && !(objects.get(body.sha)?.parents ?? []).includes(current))
        return send(422, { message: "Update is not a fast forward" });
      refs.set(name, body.sha);
      return send(200, { ref: `refs/${name}`, object: { sha: body.sha, type: "commit" } });
    }
    return notFound();
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    /** a new run: no requests yet, and no state ref (as in a repository hookline has never written to) */
    reset() {
      state.requests = [];
      objects = new Map();
      refs = new Map();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
