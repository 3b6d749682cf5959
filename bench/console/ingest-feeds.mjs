/**
 * Ingest throughput with 50 open live feeds vs none (issue 16; goal: at most 5 % slower). One `hookline serve`
 * child process (in-memory PGlite, no automations), events posted to /api/events in batches of 50 by 4
 * concurrent clients; rounds alternate none / 50 feeds (interleaved, same run, same server), each feed opened
 * with no filter so every event is sent to all 50 (the worst case). The feeds are read and discarded in this
 * process. A third arm opens 50 feeds whose filter nothing passes (the shared poll without the streaming).
 * Reports events/s per round and the median ratios, and (Linux) the server process's CPU time per 1,000 events
 * per arm, user and kernel apart (streaming to 50 sockets is mostly kernel time: the bytes' floor): on a shared,
 * loaded machine the throughput swings between rounds; the CPU the server spends is steadier. The feeds are
 * read with node:http (cheaper than fetch's streams: the reader shares the cores with the server).
 *
 *   node bench/console/ingest-feeds.mjs [rounds=3] [events=20000]   (needs `npm run build`)
 *   DATABASE_URL=postgres://…/bench_x node bench/console/ingest-feeds.mjs …   (on PostgreSQL; its own database)
 */
import { spawn } from "node:child_process";
import { get } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const [rounds = 3, perRound = 20_000] = process.argv.slice(2).map(Number);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOKEN = "bench-token-0123456789abcdef";
const port = 19000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${TOKEN}` };
const config = mkdtempSync(join(tmpdir(), "hookline-bench-config-"));
writeFileSync(join(config, "webhooks.yaml"), "webhooks: []\n");

const server = spawn(process.execPath, ["bin/hookline.js", "serve"], {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: String(port),
    HOOKLINE_CONFIG_DIR: config,
    HOOKLINE_DATA_DIR: "memory://",
    HOOKLINE_API_TOKEN: TOKEN,
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let i = 0; ; i++) {
  if (
    await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false)
  )
    break;
  if (i > 600) throw new Error("server not ready");
  await sleep(200);
}

let n = 0;
const batch = () =>
  Array.from({ length: 50 }, () => ({
    id: crypto.randomUUID(),
    occurred: new Date().toISOString(),
    event: "bench.order.created",
    resource: { "prefect.resource.id": `bench.order.${n++ % 1000}` },
    payload: { n, note: "x".repeat(200) },
  }));

/** the server's user and system CPU time in ms (Linux /proc; NaN elsewhere) */
const cpuMs = () => {
  try {
    const f = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return { user: (Number(f[11]) * 1000) / 100, sys: (Number(f[12]) * 1000) / 100 }; // clock ticks (USER_HZ = 100)
  } catch {
    return { user: Number.NaN, sys: Number.NaN };
  }
};
const cpu = { none: [], fifty: [], idle: [] };
const sys = { none: [], fifty: [], idle: [] };

async function ingest(total, arm) {
  let left = total / 50;
  const cpu0 = cpuMs();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (left-- > 0) {
        const r = await fetch(`${url}/api/events`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ events: batch() }),
        });
        if (r.status !== 202) throw new Error(`ingest answered ${r.status}`);
        await r.arrayBuffer();
      }
    }),
  );
  const rate = total / ((performance.now() - start) / 1000);
  if (arm) {
    const cpu1 = cpuMs();
    cpu[arm].push(((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys) / total) * 1000);
    sys[arm].push(((cpu1.sys - cpu0.sys) / total) * 1000);
  }
  return rate;
}

async function openFeeds(count, query = "") {
  const feeds = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const req = get(`${url}/api/events/stream${query}`, { headers: auth });
    const res = await new Promise((resolve, reject) => req.once("response", resolve).once("error", reject));
    if (res.statusCode !== 200) throw new Error(`feed answered ${res.statusCode}`);
    res.on("data", (c) => (bytes += c.length));
    res.on("error", () => {});
    feeds.push(req);
  }
  return { close: () => feeds.forEach((r) => r.destroy()), bytes: () => bytes };
}

await ingest(5_000); // warm-up
const none = [];
const fifty = [];
const idle = [];
for (let r = 0; r < rounds; r++) {
  none.push(await ingest(perRound, "none"));
  const feeds = await openFeeds(50);
  fifty.push(await ingest(perRound, "fifty"));
  await sleep(1000); // the last events reach the feeds
  console.log(
    `round ${r + 1}: none ${none[r].toFixed(0)} ev/s, 50 feeds ${fifty[r].toFixed(0)} ev/s (${(feeds.bytes() / 1e6).toFixed(0)} MB streamed)`,
  );
  feeds.close();
  await sleep(500);
  // the same 50 feeds with a filter nothing passes: the poll and the filtering without the streaming
  const quiet = await openFeeds(50, "?name=nothing.*");
  idle.push(await ingest(perRound, "idle"));
  console.log(`round ${r + 1}: 50 feeds that match nothing ${idle[r].toFixed(0)} ev/s`);
  quiet.close();
  await sleep(500);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median: none ${median(none).toFixed(0)} ev/s, 50 feeds ${median(fifty).toFixed(0)} ev/s (ratio ${(median(fifty) / median(none)).toFixed(3)}), ` +
    `50 feeds matching nothing ${median(idle).toFixed(0)} ev/s (ratio ${(median(idle) / median(none)).toFixed(3)})`,
);
console.log(
  `server CPU per 1,000 events (median): none ${median(cpu.none).toFixed(0)} ms, 50 feeds ${median(cpu.fifty).toFixed(0)} ms ` +
    `(${(median(cpu.none) / median(cpu.fifty)).toFixed(3)}x the throughput it allows), 50 feeds matching nothing ` +
    `${median(cpu.idle).toFixed(0)} ms (${(median(cpu.none) / median(cpu.idle)).toFixed(3)}x); of which kernel: ` +
    `${median(sys.none).toFixed(0)} / ${median(sys.fifty).toFixed(0)} / ${median(sys.idle).toFixed(0)} ms`,
);
server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
