/**
 * Sustained signed-webhook ingest on loopback (issue 4, item 8): autocannon sends the same GitHub delivery
 * (workflow_run completed/failure) with a fresh X-GitHub-Delivery per request, so every request is a new event.
 *
 *   node bench/server/run.mjs [--duration 15] [--connections 32] [--targets probot,pglite,postgres]
 *                             [--build DIR] [--prof DIR] [--drain 20] [--json FILE] [--log-level info] [--rounds 1] [--emoji]
 *
 * --rounds N: run the targets N times in turn (probot, pglite, postgres, probot, ...) and compare each hookline
 *   row with the Probot row of its own round; a summary gives the median and range of those ratios. On a shared
 *   machine the speed drifts by ±15 % between runs, so one Probot run against one hookline run can land on
 *   either side of a goal; adjacent pairs, many times, do not.
 * --emoji: every delivery's head commit message starts with an emoji (deliveries.mjs), as real ones often do.
 * --build DIR: run `hookline serve` from another compiled tree (`tsc -p tsconfig.build.json --outDir DIR`),
 *   so a bench of your working tree does not depend on the shared build/ (default: bin/hookline.js).
 * --config DIR: the server's config folder (default bench/server/config; an older build may need an older copy).
 * --prof DIR: the server child runs with --cpu-prof into DIR (one .cpuprofile per target).
 * --drain S: after the load, watch /metrics for up to S seconds until the evaluator caught up (default 20).
 * --json FILE: also write the rows as JSON.
 * --log-level L: the server's LOG_LEVEL (default info, the server's default: one JSON line per delivery).
 *
 * The config is bench/server/config (20 server automations, 5 of which match the delivery; one webhook).
 * Evaluator numbers come from the server's /metrics (hookline_events_ingested_total,
 * hookline_evaluated_events_total): events evaluated/s during the load (server + repo scopes: each delivery is
 * queued for both), events per scope evaluation (hookline_evaluation_duration_seconds_count), the backlog
 * (queued − evaluated) when the load stops, and how long it took to drain.
 *
 * Targets, each a child process started fresh, warmed up for 3 s, then measured:
 * - probot:   bench/server/bare-probot.mjs, Probot with an empty handler (the ceiling)
 * - pglite:   `hookline serve` on embedded PGlite in a temp data dir
 * - postgres: `hookline serve` with DATABASE_URL (HOOKLINE_BENCH_DATABASE_URL, default the local cluster;
 *             the bench's own database is dropped and created first)
 * hookline answers 202 only after the event is committed (durable), then evaluates it asynchronously.
 */
import autocannon from "autocannon";
import { spawn, execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { appCredentials, workflowRunDelivery } from "./deliveries.mjs";
import { startGitHubStub } from "./github-stub.mjs";
import { cpuMs, postgresCpuMs } from "./proc-status.mjs";

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const duration = Number(arg("duration", "15"));
const connections = Number(arg("connections", "32"));
const targets = arg("targets", "probot,pglite,postgres").split(",");
const buildDir = arg("build", null);
const profDir = arg("prof", null);
const configDir = arg("config", join(ROOT, "bench/server/config"));
const drainLimit = Number(arg("drain", "20"));
const jsonFile = arg("json", null);
const logLevel = arg("log-level", "info");
const loader = arg("load", "autocannon");
const rounds = Number(arg("rounds", "1"));
const emoji = process.argv.includes("--emoji");
if (!["autocannon", "wrk"].includes(loader)) throw new Error(`--load autocannon|wrk (got ${loader})`);
/** the servers under test get this API token (/metrics needs it) */
const API_TOKEN = randomUUID();
const PG = process.env.HOOKLINE_BENCH_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/postgres";

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * Starts a target on a free port with its output in `logFile` (not piped through this process, which also
 * runs the load generator), and resolves once it answers: /readyz 200 for hookline, any answer for Probot.
 */
async function start(args, env, logFile, readyPath) {
  const port = await freePort();
  const out = openSync(logFile, "w");
  const child = spawn("node", args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", out, out] });
  closeSync(out);
  let exited = null;
  child.on("exit", (code) => (exited = code ?? "signal"));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`node ${args.join(" ")} exited ${exited}:\n${readFileSync(logFile, "utf8").slice(-5000)}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      await res.arrayBuffer();
      if (readyPath !== "/readyz" || res.status === 200) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`node ${args.join(" ")} did not start within 30 s:\n${readFileSync(logFile, "utf8").slice(-5000)}`);
}

/** CPU seconds (user + system) of a process, and of every PostgreSQL process, from /proc (Linux) */
const cpuOf = (pid) => cpuMs(pid) / 1000;
const postgresCpu = () => postgresCpuMs() / 1000;

/** counters of /metrics that tell how far the evaluator is: events queued (per scope) and evaluated */
async function progress(url) {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).text();
  const sum = (name) => {
    let total = 0;
    for (const line of text.split("\n")) if (line.startsWith(name)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
    return total;
  };
  // GitHub deliveries are queued for two scopes (server, repo:<name>)
  return {
    queued: 2 * sum('hookline_events_ingested_total{source="github",result="inserted"}'),
    evaluated: sum("hookline_evaluated_events_total"),
    evaluations: sum("hookline_evaluation_duration_seconds_count"),
  };
}

/** node's flags in `npm start` (the way users start the server), e.g. --max-semi-space-size */
function startFlags() {
  const start = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start;
  const m = /^node\s+(.*?)\s*bin\/hookline\.js serve$/.exec(start);
  if (!m) throw new Error(`package.json "start" is not "node [flags] bin/hookline.js serve": ${start}`);
  return m[1].split(/\s+/).filter(Boolean);
}

/** BENCH_NODE_FLAGS="..." replaces npm start's node flags (to measure a flag) */
function serveArgs() {
  const flags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(" ").filter(Boolean) : startFlags();
  const prof = [...(profDir ? [`--cpu-prof`, `--cpu-prof-dir=${profDir}`] : []), ...flags];
  if (!buildDir) return [...prof, "bin/hookline.js", "serve"];
  const main = new URL(`file://${join(buildDir.startsWith("/") ? buildDir : join(ROOT, buildDir), "src/cli/main.js")}`).href;
  return [
    ...prof,
    "--input-type=module",
    "-e",
    `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(["serve"]);`,
  ];
}

/** wrk (C, one thread): a lighter load generator than autocannon on the same two cores (--load wrk) */
async function loadWithWrk(url, seconds) {
  const d = workflowRunDelivery({ emoji });
  const dir = mkdtempSync(join(tmpdir(), "hookline-wrk-"));
  try {
    writeFileSync(join(dir, "body.json"), d.body);
    // not execFileSync: a blocked event loop misses the server closing this process's idle keep-alive sockets
    const { stdout: out } = await execFileAsync(
      "wrk",
      [
        "-t1",
        `-c${connections}`,
        `-d${seconds}s`,
        "--timeout",
        "10s",
        "-s",
        join(ROOT, "bench/server/wrk-delivery.lua"),
        `${url}/api/github/webhooks`,
      ],
      {
        env: { ...process.env, BENCH_BODY_FILE: join(dir, "body.json"), BENCH_SIGNATURE: d.signature, BENCH_DELIVERY_PREFIX: randomUUID() },
        encoding: "utf8",
      },
    );
    const line = out.split("\n").find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary:\n${out}`);
    const w = JSON.parse(line);
    // autocannon's result shape, as far as this script reads it
    return {
      "2xx": w.requests - w.non2xx,
      non2xx: w.non2xx,
      errors: w.errors,
      timeouts: 0,
      latency: { p50: Math.round(w.p50_us / 1000), p99: Math.round(w.p99_us / 1000) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function load(url, seconds) {
  if (loader === "wrk") return loadWithWrk(url, seconds);
  const d = workflowRunDelivery({ emoji });
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
for (let round = 1; round <= rounds; round++)
  for (const target of targets) {
    let server;
    const dataDir = mkdtempSync(join(tmpdir(), "hookline-bench-"));
    try {
      if (profDir) mkdirSync(profDir, { recursive: true });
      const logFile = join(dataDir, "server.log");
      if (target === "probot")
        server = await start(
          [...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []), "bench/server/bare-probot.mjs"],
          creds,
          logFile,
          "/",
        );
      else {
        const env = {
          ...creds,
          HOOKLINE_DATA_DIR: dataDir,
          HOOKLINE_CONFIG_DIR: configDir,
          GITHUB_API_URL: stub.url,
          LOG_LEVEL: logLevel,
          HOOKLINE_API_TOKEN: API_TOKEN,
          BENCH_ALERT_WEBHOOK_URL: `${stub.url}/alerts`,
        };
        if (target === "postgres") {
          const db = "hookline_bench";
          execFileSync("psql", [PG, "-qc", `DROP DATABASE IF EXISTS ${db}`]);
          execFileSync("psql", [PG, "-qc", `CREATE DATABASE ${db}`]);
          env.DATABASE_URL = PG.replace(/\/[^/]*$/, `/${db}`);
        }
        server = await start(serveArgs(), env, logFile, "/readyz");
      }
      const hookline = target !== "probot";
      await load(server.url, 3);
      const before = hookline ? await progress(server.url) : null;
      const cpu0 = [cpuOf(server.child.pid), postgresCpu()];
      const r = await load(server.url, duration);
      const cpu1 = [cpuOf(server.child.pid), postgresCpu()];
      const ok = r["2xx"];
      const row = {
        target,
        ...(rounds > 1 ? { round } : {}),
        requests_per_s: Math.round(ok / duration),
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        errors: r.errors + r.timeouts + r.non2xx,
        // CPU per delivery during the measured load (the evaluator's share included): less sensitive than
        // deliveries/s to other work on a shared machine
        server_cpu_us: Math.round((1e6 * (cpu1[0] - cpu0[0])) / Math.max(1, r["2xx"])),
        postgres_cpu_us: target === "postgres" ? Math.round((1e6 * (cpu1[1] - cpu0[1])) / Math.max(1, r["2xx"])) : undefined,
      };
      if (hookline) {
        const after = await progress(server.url);
        row.evaluated_per_s = Math.round((after.evaluated - before.evaluated) / duration);
        // events per scope evaluation during the load: each evaluation is one transaction and one engine state
        // save, so larger batches amortize them
        row.events_per_evaluation = Number(
          ((after.evaluated - before.evaluated) / Math.max(1, after.evaluations - before.evaluations)).toFixed(1),
        );
        row.backlog_at_end = after.queued - after.evaluated;
        const t0 = Date.now();
        let now = after;
        while (now.queued > now.evaluated && Date.now() - t0 < drainLimit * 1000) {
          await new Promise((res) => setTimeout(res, 250));
          now = await progress(server.url);
        }
        row.drain_s =
          now.queued > now.evaluated
            ? `>${drainLimit} (${now.queued - now.evaluated} left)`
            : Number(((Date.now() - t0) / 1000).toFixed(1));
      }
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      if (server) {
        const exited = new Promise((res) => server.child.once("exit", res));
        server.child.kill("SIGTERM");
        await Promise.race([exited, new Promise((res) => setTimeout(res, profDir ? 15_000 : 5_000))]);
      }
      if (process.env.BENCH_KEEP_LOGS) console.error(`server log kept: ${join(dataDir, "server.log")}`);
      else rmSync(dataDir, { recursive: true, force: true });
    }
  }
await stub.close();
/** the Probot row of `row`'s round (its ceiling) */
const ceilingOf = (row) => rows.find((r) => r.target === "probot" && r.round === row.round)?.requests_per_s;
const ofProbot = (row) => (ceilingOf(row) ? (100 * row.requests_per_s) / ceilingOf(row) : undefined);
console.log(
  `\nload average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(
      " ",
    )}; node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${loader}, ${connections} connections, ${duration} s${rounds > 1 ? `, ${rounds} rounds` : ""}\n`,
);
console.log(
  `| ${rounds > 1 ? "round | " : ""}target | deliveries/s | p50 ms | p99 ms | errors | of bare Probot | server CPU µs/delivery | PostgreSQL CPU µs/delivery | evaluated/s | events/evaluation | backlog at end | drained in s |\n|${rounds > 1 ? "---:|" : ""}---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
);
for (const r of rows) {
  const ratio = ofProbot(r) !== undefined ? ofProbot(r).toFixed(0) + " %" : "";
  console.log(
    `| ${rounds > 1 ? `${r.round} | ` : ""}${r.target} | ${r.requests_per_s} | ${r.p50_ms} | ${r.p99_ms} | ${r.errors} | ${ratio} | ${r.server_cpu_us} | ${r.postgres_cpu_us ?? ""} | ${r.evaluated_per_s ?? ""} | ${r.events_per_evaluation ?? ""} | ${r.backlog_at_end ?? ""} | ${r.drain_s ?? ""} |`,
  );
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = [];
if (rounds > 1) {
  console.log(
    "\n| target | rounds | median deliveries/s | median p99 ms | of bare Probot: median (min–max) | median server CPU µs/delivery |\n|---|---:|---:|---:|---:|---:|",
  );
  for (const target of targets) {
    const mine = rows.filter((r) => r.target === target);
    const ratios = mine.map(ofProbot).filter((x) => x !== undefined);
    const line = {
      target,
      rounds: mine.length,
      median_requests_per_s: Math.round(median(mine.map((r) => r.requests_per_s))),
      median_p99_ms: median(mine.map((r) => r.p99_ms)),
      median_of_probot_pct: ratios.length ? Math.round(median(ratios)) : undefined,
      min_of_probot_pct: ratios.length ? Math.round(Math.min(...ratios)) : undefined,
      max_of_probot_pct: ratios.length ? Math.round(Math.max(...ratios)) : undefined,
      median_server_cpu_us: Math.round(median(mine.map((r) => r.server_cpu_us))),
    };
    summary.push(line);
    const ratio =
      line.median_of_probot_pct !== undefined
        ? `${line.median_of_probot_pct} % (${line.min_of_probot_pct}–${line.max_of_probot_pct} %)`
        : "";
    console.log(
      `| ${target} | ${line.rounds} | ${line.median_requests_per_s} | ${line.median_p99_ms} | ${ratio} | ${line.median_server_cpu_us} |`,
    );
  }
}
if (jsonFile)
  writeFileSync(
    jsonFile,
    JSON.stringify({ node: process.version, cpus: cpus().length, loader, connections, duration, rounds, rows, summary }, null, 2),
  );
