#!/usr/bin/env node
/**
 * What the egress policy costs an HTTP call (docs/egress.md, "Measured"): the unpoliced port (global fetch),
 * the policed port (undici with a checked `connect`), and the alternative the issue named (node:http with a
 * checking `lookup` and a `remoteAddress` check), each POSTing to a receiver on 127.0.0.1 (allowed by the
 * policy for the run). Two numbers per port: the first call of a fresh process (module load + first
 * connection), and the median / p99 of N sequential calls on kept-alive connections.
 *
 *   npm run build && node bench/egress/http-ports.mjs [--calls 2000] [--cold 5]
 */
import { execFileSync } from "node:child_process";
import { createServer, request as httpRequest, Agent as HttpAgent } from "node:http";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const CALLS = opt("calls", 2000);
const COLD = opt("cold", 5);
const module = (path) => import(new URL(`../../build/src/adapters/${path}`, import.meta.url).href);

/** node:http with a checking lookup: the alternative that was measured, not kept */
async function nodeHttpPort() {
  const { createEgressPolicy } = await module("egress/egress-policy.js");
  const policy = createEgressPolicy({ allow: ["127.0.0.1"] });
  const agent = new HttpAgent({ keepAlive: true });
  const checkedLookup = (host, options, cb) =>
    policy.addressFor(host).then(
      (a) => (options.all ? cb(null, [a]) : cb(null, a.address, a.family)),
      (err) => cb(err),
    );
  return {
    request: (req) =>
      new Promise((resolve, reject) => {
        const url = new URL(req.url);
        // a literal never reaches `lookup`: it is checked first
        const literal = /^[\d.]+$|^\[/.test(url.hostname);
        const go = () => {
          const r = httpRequest(url, { method: req.method, headers: req.headers, agent, lookup: checkedLookup }, (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          });
          r.on("socket", (s) => s.connecting && s.once("connect", () => void s.remoteAddress));
          r.on("error", reject);
          r.end(req.body);
        };
        if (literal) policy.addressFor(url.hostname).then(go, reject);
        else go();
      }),
  };
}

async function portOf(kind) {
  if (kind === "fetch") return (await module("fetch-http-port.js")).createFetchHttpPort();
  if (kind === "undici") {
    const [{ createPolicedHttpPort }, { createEgressPolicy }] = await Promise.all([
      module("egress/policed-http-port.js"),
      module("egress/egress-policy.js"),
    ]);
    return createPolicedHttpPort({ policy: createEgressPolicy({ allow: ["127.0.0.1"] }) });
  }
  return nodeHttpPort();
}

async function receiver() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://localhost:${server.address().port}/hook` };
}

const body = JSON.stringify({ text: "x".repeat(200) });
const call = (port, url) =>
  port.request({ url, method: "POST", headers: { "content-type": "application/json" }, body, signal: new AbortController().signal });

if (process.env.EGRESS_BENCH_CHILD) {
  // one cold call in a fresh process: import + first connection
  const { server, url } = await receiver();
  const t0 = performance.now();
  const port = await portOf(process.env.EGRESS_BENCH_CHILD);
  await call(port, url);
  process.stdout.write(String(performance.now() - t0));
  server.close();
  process.exit(0);
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const rows = [];
for (const kind of ["fetch", "undici", "node-http"]) {
  const cold = [];
  for (let i = 0; i < COLD; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, EGRESS_BENCH_CHILD: kind } });
    cold.push(Number(out.toString()));
  }
  const { server, url } = await receiver();
  const port = await portOf(kind);
  for (let i = 0; i < 200; i++) await call(port, url); // warm-up
  const times = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await call(port, url);
    times.push(performance.now() - t);
  }
  server.closeAllConnections();
  server.close();
  rows.push({
    port: kind,
    "cold first call ms (median)": pct(cold, 50).toFixed(1),
    "per call us (median)": (pct(times, 50) * 1000).toFixed(0),
    "per call us (p99)": (pct(times, 99) * 1000).toFixed(0),
  });
}
console.table(rows);
