/**
 * Hostile load on the server (issue 12, item 6): many concurrent large uploads with bad credentials to the
 * bodies that must be read before they can be authenticated (a custom webhook with an HMAC `signature`, and the
 * GitHub App's X-Hub-Signature-256), while /healthz is probed and one legitimate signed delivery is sent in the
 * middle. Reports the server's RSS (baseline, peak = VmHWM, after the load settles) and /healthz latency.
 *
 *   npm run build && node bench/server/hostile-load.mjs [--uploads 100] [--mb 25] [--clients 8] [--chunked]
 *        [--settle 15] [--json FILE] [--env NAME=VALUE ...] [--build DIR]
 *
 * --uploads N: concurrent uploads (half to each target), each --mb MB, sent from --clients C loopback addresses
 *   127.0.0.2 … (default 8: the server sees several hostile clients, none of them the legitimate sender on
 *   127.0.0.1, so both the per-client share and the total budget are exercised).
 * --chunked: send without Content-Length (Transfer-Encoding: chunked), so nothing is known before the bytes come.
 * --settle S: seconds to wait after the load before reading the RSS "after" (default 15).
 * --env NAME=VALUE: extra server environment (e.g. HOOKLINE_BODY_BUDGET_MB=128); repeatable.
 * --build DIR: run `hookline serve` from another compiled tree (default bin/hookline.js).
 * --pglite: the embedded database instead of PostgreSQL. Its WebAssembly PostgreSQL alone makes an idle server
 *   ~870 MB resident (measured), which hides what the load does; PostgreSQL (HOOKLINE_BENCH_DATABASE_URL, default
 *   the local cluster; the bench's own database is dropped and created first) leaves the server ~120 MB.
 *
 * The server is `hookline serve` in a child process; RSS comes from /proc/<pid>/status (Linux): the peak is
 * VmHWM, reset (clear_refs 5) once the idle baseline was read. /healthz latency is measured from a worker thread
 * and the server's own event-loop delay from inside it (a preload), during the load.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { upload } from "../../test/support/upload.mjs";
import { appCredentials, workflowRunDelivery } from "./deliveries.mjs";
import { startGitHubStub } from "./github-stub.mjs";
import { cpuMs, readStatusKb, sampleRss } from "./proc-status.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const uploads = Number(arg("uploads", "100"));
const mb = Number(arg("mb", "25"));
const chunked = args.includes("--chunked");
const clients = Number(arg("clients", "8"));
const settleS = Number(arg("settle", "15"));
const jsonFile = arg("json", null);
const buildDir = arg("build", null);
const extraEnv = Object.fromEntries(
  args.flatMap((a, i) => (a === "--env" ? [args[i + 1]] : [])).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const pglite = args.includes("--pglite");
const PG = process.env.HOOKLINE_BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const HOOK_SECRET = "bench-hook-secret";
const API_TOKEN = "bench-hostile-api-token-0123456789";
const MiB = 1024 * 1024;

/**
 * Preloaded into the server (NODE_OPTIONS=--import): its event-loop delay (perf_hooks), written to
 * BENCH_ELD_FILE and reset on SIGUSR2. The server's own stalls, apart from what the prober's scheduling adds.
 */
const ELD_PRELOAD = `
import { monitorEventLoopDelay } from "node:perf_hooks";
import { writeFileSync } from "node:fs";
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
process.on("SIGUSR2", () => {
  const ms = (ns) => Math.round(ns / 1e5) / 10;
  writeFileSync(process.env.BENCH_ELD_FILE, JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }));
  h.reset();
});
`;

async function eventLoopDelay(pid, file) {
  rmSync(file, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return null;
}

function configDir() {
  const dir = mkdtempSync(join(tmpdir(), "hookline-hostile-"));
  writeFileSync(join(dir, "eld-preload.mjs"), ELD_PRELOAD);
  writeFileSync(
    join(dir, "webhooks.yaml"),
    `webhooks:
  - slug: signed
    methods: [POST]
    signature: { header: x-signature, algorithm: sha256, secret_env: BENCH_HOOK_SECRET, prefix: "sha256=" }
    template: { event: "bench.upload.received", resource: { prefect.resource.id: "bench.upload.{{ body.id }}" } }
`,
  );
  return dir;
}

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** `hookline serve` on a free port; resolves once /readyz answers 200. */
async function startServer(env) {
  const port = await freePort();
  const cliArgs = buildDir
    ? [
        "--input-type=module",
        "-e",
        `import(${JSON.stringify(join(buildDir, "src/cli/main.js"))}).then(async (m) => { process.exitCode = await m.main(["serve"]); })`,
      ]
    : [join(ROOT, "bin/hookline.js"), "serve"];
  const child = spawn(process.execPath, cliArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let exited = null;
  child.once("exit", (code) => (exited = code ?? "signal"));
  const url = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    if (exited !== null) throw new Error(`the server exited (${exited}) before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the server was not ready within 60 s");
}

/**
 * /healthz probed every 50 ms from a worker thread: its own event loop, so the latency measured is the server's,
 * not this process's, which is busy pumping the uploads.
 */
function healthProbe(url) {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const times = [];
    let failures = 0;
    let done = false;
    parentPort.on("message", () => (done = true));
    (async () => {
      while (!done) {
        const started = process.hrtime.bigint();
        try {
          const res = await fetch(workerData + "/healthz", { signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          if (res.status === 200) times.push(Number(process.hrtime.bigint() - started) / 1e6);
          else failures++;
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      parentPort.postMessage({ times, failures });
    })();
  `;
  const worker = new Worker(code, { eval: true, workerData: url });
  const result = new Promise((resolve) => worker.once("message", resolve));
  return {
    async stop() {
      worker.postMessage("stop");
      const { times, failures } = await result;
      await worker.terminate();
      times.sort((a, b) => a - b);
      const at = (q) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10 : null);
      return { answered: times.length, failures, p50: at(0.5), p99: at(0.99), max: at(1), over100ms: times.filter((t) => t > 100).length };
    },
  };
}

/** The legitimate delivery: retried while the server answers 503 (after its Retry-After), as a client should. */
async function legitimate(url) {
  const d = workflowRunDelivery();
  const id = randomUUID();
  for (let attempt = 1; attempt <= 30; attempt++) {
    const res = await fetch(`${url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": d.event,
        "x-github-delivery": id,
        "x-hub-signature-256": d.signature,
      },
      body: d.body,
    });
    await res.arrayBuffer();
    if (res.status !== 503) return { id, status: res.status, attempts: attempt };
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
  }
  return { id, status: 503, attempts: 30 };
}

/** user + system CPU seconds of `pid` so far */
const cpuSeconds = (pid) => cpuMs(pid) / 1000;

/** a fresh database of the bench's own on the PostgreSQL cluster of `PG` */
function freshDatabase() {
  const name = "hookline_hostile_bench";
  execFileSync("psql", [PG, "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: "ignore" });
  execFileSync("psql", [PG, "-qc", `CREATE DATABASE ${name}`]);
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return u.toString();
}

const stub = await startGitHubStub();
const dir = configDir();
const { url, child } = await startServer({
  ...appCredentials(),
  GITHUB_API_URL: stub.url,
  HOOKLINE_CONFIG_DIR: dir,
  ...(pglite ? { HOOKLINE_DATA_DIR: "memory://" } : { DATABASE_URL: freshDatabase() }),
  BENCH_HOOK_SECRET: HOOK_SECRET,
  HOOKLINE_API_TOKEN: API_TOKEN,
  NODE_OPTIONS: `--import=${pathToFileURL(join(dir, "eld-preload.mjs")).href}`,
  BENCH_ELD_FILE: join(dir, "eld.json"),
  LOG_LEVEL: "warn",
  ...extraEnv,
});
const pid = child.pid;
try {
  // warm up: a few small requests so the baseline includes what every server has loaded
  for (let i = 0; i < 5; i++) await (await fetch(`${url}/healthz`)).arrayBuffer();
  await new Promise((r) => setTimeout(r, pglite ? 30_000 : 3000));
  const baseline = readStatusKb(pid, "VmRSS");
  // the peak from here on (Linux >= 4.0: "5" resets VmHWM to the current RSS)
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
  const samples = sampleRss(pid, 100);
  await eventLoopDelay(pid, join(dir, "eld.json"));
  const health = healthProbe(url);
  const cpuBefore = cpuSeconds(pid);
  const bytes = Math.round(mb * MiB);
  const badHook = { "content-type": "application/json", "x-signature": `sha256=${"0".repeat(64)}` };
  const badApp = {
    "content-type": "application/json",
    "x-github-event": "push",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": `sha256=${createHmac("sha256", "not-the-secret").update("x").digest("hex")}`,
  };
  const started = Date.now();
  const hostile = Array.from({ length: uploads }, (_, i) =>
    upload({
      url,
      path: i % 2 ? "/hooks/signed" : "/api/github/webhooks",
      headers: i % 2 ? badHook : badApp,
      bytes,
      chunked,
      localAddress: `127.0.0.${2 + (i % clients)}`,
    }).then((r) => ({
      target: i % 2 ? "hook" : "app",
      ...r,
    })),
  );
  let done = 0;
  for (const h of hostile) void h.then(() => ++done % 10 === 0 && process.stderr.write(`${done} uploads answered\n`));
  await new Promise((r) => setTimeout(r, 500));
  const legit = await legitimate(url);
  process.stderr.write(`legitimate delivery: ${JSON.stringify(legit)}\n`);
  const results = await Promise.all(hostile);
  const loadMs = Date.now() - started;
  const cpuLoad = cpuSeconds(pid) - cpuBefore;
  const healthz = await health.stop();
  const serverEventLoopDelayMs = await eventLoopDelay(pid, join(dir, "eld.json"));
  await new Promise((r) => setTimeout(r, settleS * 1000));
  const series = samples.stop();
  const after = readStatusKb(pid, "VmRSS");
  const peak = readStatusKb(pid, "VmHWM");
  const stored = await (
    await fetch(`${url}/api/events?name=github.*&limit=10`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
  ).json();
  const statuses = {};
  for (const r of results) statuses[`${r.target} ${r.status}`] = (statuses[`${r.target} ${r.status}`] ?? 0) + 1;
  const report = {
    uploads,
    mb,
    clients,
    chunked,
    env: extraEnv,
    loadMs,
    serverCpuSeconds: Math.round(cpuLoad * 100) / 100,
    rssMb: { baseline: Math.round(baseline / 1024), peak: Math.round(peak / 1024), after: Math.round(after / 1024) },
    rssSeriesMb: series.filter((_, i) => i % 10 === 0).map((kb) => Math.round(kb / 1024)),
    healthz,
    serverEventLoopDelayMs,
    // only the legitimate delivery can have become a github.* event: every other one was refused
    legitimate: { ...legit, stored: (stored.events ?? []).length === 1 },
    statuses,
    retryAfter: [...new Set(results.map((r) => r.retryAfter).filter(Boolean))],
  };
  console.log(JSON.stringify(report, null, 2));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2));
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
}
