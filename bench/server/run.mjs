/**
 * Sustained signed-webhook ingest on loopback (issue 4, item 8): autocannon sends the same GitHub delivery
 * (workflow_run completed/failure) with a fresh X-GitHub-Delivery per request, so every request is a new event.
 *
 *   node bench/server/run.mjs [--duration 15] [--connections 32] [--targets probot,pglite,postgres]
 *
 * Targets, each a child process started fresh, warmed up for 3 s, then measured:
 * - probot:   bench/server/bare-probot.mjs, Probot with an empty handler (the ceiling)
 * - pglite:   `hookline serve` on embedded PGlite in a temp data dir
 * - postgres: `hookline serve` with DATABASE_URL (HOOKLINE_BENCH_DATABASE_URL, default the local cluster;
 *             the bench's own database is dropped and created first)
 * hookline answers 202 only after the event is committed (durable), then evaluates it asynchronously.
 */
import autocannon from "autocannon";
import { spawn, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appCredentials, workflowRunDelivery } from "./deliveries.mjs";
import { startGitHubStub } from "./github-stub.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const duration = Number(arg("duration", "15"));
const connections = Number(arg("connections", "32"));
const targets = arg("targets", "probot,pglite,postgres").split(",");
const PG = process.env.HOOKLINE_BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";

function start(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const collect = (d) => {
    log += d;
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stderr.on("data", collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} ${args.join(" ")} did not start:\n${log}`)), 30_000);
    child.stdout.on("data", (d) => {
      collect(d);
      const m = /ready (http:\/\/\S+)/.exec(log) ?? /"url":"(http:\/\/[^"]+)"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, log: () => log });
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}:\n${log}`)));
  });
}

async function load(url, seconds) {
  const d = workflowRunDelivery();
  const result = await autocannon({
    url: `${url}/api/github/webhooks`,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        body: d.body,
        headers: { "content-type": "application/json", "x-github-event": d.event, "x-hub-signature-256": d.signature },
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, "x-github-delivery": randomUUID() } }),
      },
    ],
  });
  return result;
}

const stub = await startGitHubStub();
const creds = appCredentials();
const rows = [];
for (const target of targets) {
  let server;
  const dataDir = mkdtempSync(join(tmpdir(), "hookline-bench-"));
  try {
    if (target === "probot") server = await start("node", ["bench/server/bare-probot.mjs", "0"], creds);
    else {
      const env = { ...creds, PORT: "0", HOOKLINE_DATA_DIR: dataDir, HOOKLINE_CONFIG_DIR: join(ROOT, "bench/server/config"), GITHUB_API_URL: stub.url, LOG_LEVEL: "warn" };
      if (target === "postgres") {
        const db = "hookline_bench";
        execFileSync("psql", [PG, "-qc", `DROP DATABASE IF EXISTS ${db}`]);
        execFileSync("psql", [PG, "-qc", `CREATE DATABASE ${db}`]);
        env.DATABASE_URL = PG.replace(/\/[^/]*$/, `/${db}`);
      }
      server = await start("node", ["bin/hookline.js", "serve"], env);
    }
    await load(server.url, 3);
    const r = await load(server.url, duration);
    const ok = r["2xx"];
    const row = {
      target,
      requests_per_s: Math.round(ok / duration),
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  } finally {
    server?.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
await stub.close();
const ceiling = rows.find((r) => r.target === "probot")?.requests_per_s;
console.log(`\nnode ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${connections} connections, ${duration} s\n`);
console.log("| target | deliveries/s | p50 ms | p99 ms | errors | of bare Probot |\n|---|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.target} | ${r.requests_per_s} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} | ${ceiling ? ((100 * r.requests_per_s) / ceiling).toFixed(0) + " %" : ""} |`);
