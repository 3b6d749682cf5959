/**
 * Runs the built dist/index.js exactly as the runner does: INPUT_* variables (dashes kept, e.g.
 * INPUT_GITHUB-TOKEN), the event in a file named by GITHUB_EVENT_PATH, outputs and summary in the files named by
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY, the repository checked out in GITHUB_WORKSPACE.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = join(ROOT, "dist/index.js");

/** Node 20 (this process) and Node 24 (action.yml's `using: node24`), installed by scripts/ensure-node24.mjs. */
export function nodeBinaries(): Array<{ label: string; node: string }> {
  let node24: string;
  try {
    node24 = execFileSync(process.execPath, [join(ROOT, "scripts/ensure-node24.mjs")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`could not provide Node 24 for the dist tests (scripts/ensure-node24.mjs): ${stderr}`);
  }
  return [
    { label: `node ${process.version}`, node: process.execPath },
    { label: "node 24", node: node24 },
  ];
}

export interface RunOptions {
  node: string;
  inputs?: Record<string, string>;
  eventName?: string;
  event?: unknown;
  /** workspace files, path -> content; omit `.github/automations.yaml` to test the API fallback */
  files?: Record<string, string>;
  apiUrl?: string;
  env?: Record<string, string>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error ...::message` and `::warning ...::message` lines */
  annotations: Array<{ level: string; props: Record<string, string>; message: string }>;
}

export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]!);
    out[m[1]!] = body.join("\n");
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

/** The annotations the runner would show: `::error|warning|notice ...::` lines, none between stop-commands and its token. */
export function parseAnnotations(stdout: string): RunResult["annotations"] {
  const found: RunResult["annotations"] = [];
  let stopToken: string | null = null;
  for (const line of stdout.split("\n")) {
    if (stopToken !== null) {
      if (line === `::${stopToken}::`) stopToken = null;
      continue;
    }
    if (line.startsWith("::stop-commands::")) stopToken = line.slice("::stop-commands::".length);
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? "").trim().split(",").filter(Boolean)) {
      const eq = kv.indexOf("=");
      props[kv.slice(0, eq)] = unescapeData(kv.slice(eq + 1))
        .replace(/%3A/g, ":")
        .replace(/%2C/g, ",");
    }
    found.push({ level: m[1]!, props, message: unescapeData(m[3]!) });
  }
  return found;
}

export async function runDist(opts: RunOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "hookline-action-"));
  const workspace = join(dir, "workspace");
  mkdirSync(workspace);
  for (const [path, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
  const eventPath = join(dir, "event.json");
  writeFileSync(eventPath, typeof opts.event === "string" ? opts.event : JSON.stringify(opts.event ?? {}));
  const outputPath = join(dir, "output");
  const summaryPath = join(dir, "summary");
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: opts.eventName ?? "workflow_run",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "octo-org/octo-repo",
    GITHUB_RUN_ID: "1234567",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_API_URL: opts.apiUrl ?? "http://127.0.0.1:9", // nothing listens: a test that needs the API passes a server
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    "INPUT_GITHUB-TOKEN": "test-token",
    INPUT_AUTOMATIONS: ".github/automations.yaml",
    "INPUT_SLACK-API-URL": "https://slack.com/api/",
    "INPUT_DRY-RUN": "false",
    INPUT_MODE: "evaluate",
    ...Object.fromEntries(Object.entries(opts.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...opts.env,
  };
  const child = spawn(opts.node, [DIST], { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((res, rej) => {
    child.on("error", rej);
    child.on("close", res);
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputPath, "utf8")),
    summary: readFileSync(summaryPath, "utf8"),
    annotations: parseAnnotations(stdout),
  };
}

export interface ApiServer {
  url: string;
  requests: Array<{ method: string; url: string; headers: IncomingMessage["headers"] }>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for the GitHub API: `routes` maps "GET /path" to [status, body]. */
export async function startApi(routes: Record<string, [number, string]>): Promise<ApiServer> {
  const requests: ApiServer["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const route = routes[`${req.method} ${req.url}`];
    res.writeHead(route ? route[0] : 404, { "content-type": "application/json" });
    res.end(route ? route[1] : JSON.stringify({ message: "Not Found" }));
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((res) => server.close(() => res())) };
}
