/**
 * What rendering off the event loop costs (issue 12 item 4): the template worker pool's overhead per render, and
 * `/hooks/<slug>` throughput with the pool against a tree that renders in-process (main before the pool).
 *
 *   npm run build && node bench/templates/pool.mjs overhead [--renders 3000]
 *   node bench/templates/pool.mjs hooks --before DIR --after build [--duration 8] [--connections 16] [--rounds 2]
 *
 * overhead: the same webhook template (bench/server/config/webhooks.yaml's) and context rendered N times in-process
 *   (renderValue) and through a one-worker pool (one at a time, so the µs are the round trip: structured clone
 *   both ways, a message each way, the worker's render), after a warm-up; median per render, in µs.
 * hooks: `hookline serve` from each compiled tree (DIR/src/cli/main.js; build another tree with
 *   `git archive main | tar -x -C bench/templates/tmp/main && ln -s ../../../../node_modules bench/templates/tmp/main/node_modules
 *    && (cd bench/templates/tmp/main && npx tsc -p tsconfig.build.json)`, then --before bench/templates/tmp/main/build),
 *   PGlite in a temp folder, bench/server/config; autocannon POSTs a deploy body to /hooks/deploys (every request
 *   a new event, 202 after the commit). Rounds alternate before/after; the ratio is after/before per round.
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const mode = process.argv[2];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const TEMPLATE = {
  event: "bench.deploy.{{ body.status }}",
  resource: { "prefect.resource.id": "bench.deploy.{{ body.id }}", "bench.environment": "{{ body.environment }}" },
  payload: { environment: "{{ body.environment }}", sha: "{{ body.sha }}" },
};
const BODY = { status: "succeeded", id: "d-1", environment: "production", sha: "0123456789abcdef0123456789abcdef01234567" };

async function overhead() {
  const renders = Number(arg("renders", 3000));
  const { renderValue } = await import(`${ROOT}build/src/templates/index.js`);
  const { createTemplatePool } = await import(`${ROOT}build/src/adapters/template-pool.js`);
  const context = { body: BODY, headers: { "content-type": "application/json" }, query: {}, webhook: { slug: "deploys" } };
  const pool = createTemplatePool({ size: 1, deadlineMs: 10_000 });
  const inProcess = [];
  const pooled = [];
  for (let i = 0; i < 500; i++) {
    renderValue(TEMPLATE, context);
    await pool.renderValue(TEMPLATE, context);
  }
  for (let i = 0; i < renders; i++) {
    let t = performance.now();
    renderValue(TEMPLATE, context);
    inProcess.push(performance.now() - t);
    t = performance.now();
    await pool.renderValue(TEMPLATE, context);
    pooled.push(performance.now() - t);
  }
  await pool.close();
  const a = median(inProcess) * 1000;
  const b = median(pooled) * 1000;
  console.log(`renders: ${renders} each; median per render: in-process ${a.toFixed(1)} µs, worker pool ${b.toFixed(1)} µs`);
  console.log(
    `worker overhead per render: ${(b - a).toFixed(1)} µs (median), p90 pool ${(pooled.sort((x, y) => x - y)[Math.floor(renders * 0.9)] * 1000).toFixed(1)} µs`,
  );
}

async function serve(tree) {
  const data = mkdtempSync(join(tmpdir(), "hookline-bench-pool-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const main = pathToFileURL(join(resolve(ROOT, tree), "src/cli/main.js")).href;
  const launch = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(["serve"]);`;
  // npm start's flags
  const child = spawn("node", ["--max-semi-space-size=64", "--input-type=module", "-e", launch], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOOKLINE_CONFIG_DIR: join(ROOT, "bench/server/config"),
      HOOKLINE_DATA_DIR: data,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i === 599) throw new Error(`${tree}: the server did not get ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function load(url, duration, connections) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/hooks/deploys`,
    method: "POST",
    duration,
    connections,
    headers: { "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...BODY, id: `d-${n++}` }) }) }],
  });
  const other = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => code !== "202")
    .map(([code, { count }]) => `${code}×${count}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: other.join(" ") || "0" };
}

async function hooks() {
  const trees = { before: arg("before", null), after: arg("after", "build") };
  if (!trees.before) throw new Error("--before DIR: a compiled tree that renders in-process (see the header)");
  const duration = Number(arg("duration", 8));
  const connections = Number(arg("connections", 16));
  const rounds = Number(arg("rounds", 2));
  const rows = [];
  for (let r = 0; r < rounds; r++) {
    const row = { round: r + 1 };
    for (const [name, tree] of Object.entries(trees)) {
      const s = await serve(tree);
      await load(s.url, 2, connections); // warm-up
      const m = await load(s.url, duration, connections);
      await s.stop();
      row[`${name} req/s`] = Math.round(m.rps);
      row[`${name} p50/p99 ms`] = `${m.p50}/${m.p99}`;
      row[`${name} non-2xx`] = m.non2xx;
    }
    row["after/before"] = (row["after req/s"] / row["before req/s"]).toFixed(3);
    rows.push(row);
  }
  console.table(rows);
  console.log(`median after/before: ${median(rows.map((x) => Number(x["after/before"]))).toFixed(3)}`);
}

if (mode === "overhead") await overhead();
else if (mode === "hooks") await hooks();
else {
  console.error("usage: node bench/templates/pool.mjs overhead | hooks --before DIR");
  process.exit(2);
}
