/**
 * Ingest throughput with 50 open live feeds vs none (issue 16; goal: at most 5 % slower). One `hookline serve`
 * child process (in-memory PGlite, no automations), events posted to /api/events in batches of 50 by 4
 * concurrent clients. Each round runs three arms in a rotating order (none is first, second and last equally
 * often; on PostgreSQL a CHECKPOINT before each): no feed; 50 feeds with no filter, so every event is sent to all
 * 50 (the worst case), in the view the console opens (`view=summary`: what its table shows; BENCH_FEED_VIEW=full
 * for whole events, what a script reading the feed gets); 50 feeds whose filter nothing passes (the poll and the
 * filtering without the streaming). After each arm the bench checks that every feed received every event of the
 * round once (none cut, none lost, none twice) and fails otherwise. A warm-up round of each kind comes first.
 * The feeds are read in a child process (feed-readers.mjs, raw sockets), not in this one's event loop beside the
 * ingest clients: real readers are browsers on other machines. Here they share the 2 cores with the server and
 * PostgreSQL, so the throughput ratio also pays for reading 50 copies of every event; the CPU the server and
 * PostgreSQL spend per 1,000 events (what hosting the ingest costs, from /proc) does not:
 * both are reported, with the readers' own CPU. BENCH_READERS_NICE lowers the readers' priority (default 0: at
 * nice 5 on a loaded machine they fell more than 1 MB behind and the server cut them).
 * Reports events/s per round, the median ratios, the median and range of each round's own ratio, and CPU time
 * per 1,000 events per arm (the server's user and kernel apart: streaming to 50 sockets is mostly kernel time).
 *
 *   node bench/console/ingest-feeds.mjs [rounds=3] [events=20000]   (needs `npm run build`)
 *   DATABASE_URL=postgres://…/bench_x node bench/console/ingest-feeds.mjs …   (on PostgreSQL; its own database)
 *   BENCH_CPU_PROF=/tmp/prof node bench/console/ingest-feeds.mjs …   (the server's CPU profile, node --cpu-prof)
 */
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuTimes, postgresCpuMs } from "../server/proc-status.mjs";

const [rounds = 3, perRound = 20_000] = process.argv.slice(2).map(Number);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOKEN = "bench-token-0123456789abcdef";
const port = 19000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${TOKEN}` };
const config = mkdtempSync(join(tmpdir(), "hookline-bench-config-"));
writeFileSync(join(config, "webhooks.yaml"), "webhooks: []\n");

const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : [];
const load0 = loadavg()[0];
const server = spawn(process.execPath, [...prof, "bin/hookline.js", "serve"], {
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
// a failed check must not leave the server or the readers running
process.on("exit", () => {
  server.kill("SIGKILL");
  readers?.kill("SIGKILL");
});
let readers = null;
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

/** a process's user and system CPU time in ms, all its threads: the server's by default (NaN off Linux) */
const cpuOf = (pid = server.pid) => {
  try {
    return cpuTimes(pid);
  } catch {
    return { user: Number.NaN, sys: Number.NaN };
  }
};
/** every PostgreSQL process's CPU time (backends, WAL writer, checkpointer), ms; 0 on PGlite */
const postgresMs = () => (process.env.DATABASE_URL ? postgresCpuMs() : 0);
const cpu = { none: [], fifty: [], idle: [] };
/** the server's and PostgreSQL's CPU per 1,000 events (what hosting the ingest costs), and the readers' */
const hosting = { none: [], fifty: [], idle: [] };
const reading = { none: [], fifty: [], idle: [] };
const sys = { none: [], fifty: [], idle: [] };

async function ingest(total, arm) {
  let left = total / 50;
  const cpu0 = cpuOf();
  const pg0 = postgresMs();
  const readers0 = readers ? cpuOf(readers.pid) : null;
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
    const cpu1 = cpuOf();
    cpu[arm].push(((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys) / total) * 1000);
    sys[arm].push(((cpu1.sys - cpu0.sys) / total) * 1000);
    // the whole server process (every thread: /proc/<pid>/stat) and every PostgreSQL process
    hosting[arm].push(((cpu1.user + cpu1.sys - cpu0.user - cpu0.sys + postgresMs() - pg0) / total) * 1000);
    const readers1 = cpuOf(readers.pid);
    reading[arm].push(((readers1.user + readers1.sys - readers0.user - readers0.sys) / total) * 1000);
  }
  return rate;
}

readers = fork(fileURLToPath(new URL("./feed-readers.mjs", import.meta.url)), { stdio: "inherit" });
const readersNice = Number(process.env.BENCH_READERS_NICE ?? 0);
setPriority(readers.pid, readersNice);
/** one request to the readers' process and its answer */
const ask = async (m) => {
  readers.send(m);
  const [answer] = await once(readers, "message");
  return answer;
};
async function openFeeds(count, query = "") {
  await ask({ open: count, url, query, token: TOKEN });
  return {
    /** waits for `expected` events on every feed; throws when one has fewer (cut, or lost) or more (sent twice) */
    async drain(expected) {
      const { counts, bytes } = await ask({ drain: expected });
      const wrong = counts.filter((c) => c !== expected);
      if (wrong.length > 0) throw new Error(`${wrong.length} feeds did not get exactly ${expected} events: ${wrong.slice(0, 5)}`);
      return bytes;
    },
    close: () => ask({ close: true }),
  };
}

/** on PostgreSQL, a CHECKPOINT before each arm: no arm pays for another's dirty pages */
const admin = process.env.DATABASE_URL ? new (await import("pg")).default.Client({ connectionString: process.env.DATABASE_URL }) : null;
await admin?.connect();
const arms = {
  async none() {
    return ingest(perRound, "none");
  },
  async fifty() {
    const feeds = await openFeeds(50, `?view=${process.env.BENCH_FEED_VIEW ?? "summary"}`);
    const rate = await ingest(perRound, "fifty");
    await feeds.drain(perRound); // every feed got every event of the round, once
    await feeds.close();
    return rate;
  },
  // the same 50 feeds with a filter nothing passes: the poll and the filtering without the streaming
  async idle() {
    const quiet = await openFeeds(50, "?name=nothing.*");
    const rate = await ingest(perRound, "idle");
    await sleep(1500); // a poll or two after the last event: still nothing may arrive
    await quiet.drain(0);
    await quiet.close();
    return rate;
  },
};
// warm-up (JIT, PostgreSQL's caches: the first rounds ran up to 30 % slower): a round without and one with feeds
await ingest(perRound);
const warm = await openFeeds(50, `?view=${process.env.BENCH_FEED_VIEW ?? "summary"}`);
await ingest(perRound);
await warm.drain(perRound);
await warm.close();
const rates = { none: [], fifty: [], idle: [] };
const order = ["none", "fifty", "idle"];
for (let r = 0; r < rounds; r++) {
  // the arms' order rotates: none is first, second and last equally often (a position's bias falls on all)
  for (const arm of [...order.slice(r % 3), ...order.slice(0, r % 3)]) {
    await admin?.query("CHECKPOINT");
    await sleep(300);
    rates[arm].push(await arms[arm]());
  }
  console.log(
    `round ${r + 1}: none ${rates.none[r].toFixed(0)} ev/s, 50 feeds ${rates.fifty[r].toFixed(0)} ev/s (each feed got all ` +
      `${perRound} events), 50 feeds that match nothing ${rates.idle[r].toFixed(0)} ev/s`,
  );
}
await admin?.end();
const { none, fifty, idle } = rates;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `median: none ${median(none).toFixed(0)} ev/s, 50 feeds ${median(fifty).toFixed(0)} ev/s (ratio ${(median(fifty) / median(none)).toFixed(3)}), ` +
    `50 feeds matching nothing ${median(idle).toFixed(0)} ev/s (ratio ${(median(idle) / median(none)).toFixed(3)})`,
);
/** the median of the rounds' own ratios (an arm against none in the same round), and their range */
const paired = (arm, of = rates, faster = (x, none) => x / none) => {
  const rs = of[arm].map((x, i) => faster(x, of.none[i]));
  return `${median(rs).toFixed(3)} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
};
/** for CPU per event: none's over the arm's (the throughput the CPU allows, against none) */
const cpuRatio = (x, none) => none / x;
console.log(
  `per-round ratios (median, range), 50 feeds / matching nothing: events/s ${paired("fifty")} / ${paired("idle")}; ` +
    `server CPU ${paired("fifty", cpu, cpuRatio)} / ${paired("idle", cpu, cpuRatio)}; server + PostgreSQL CPU ` +
    `${paired("fifty", hosting, cpuRatio)} / ${paired("idle", hosting, cpuRatio)}`,
);
console.log(
  `server CPU per 1,000 events (median): none ${median(cpu.none).toFixed(0)} ms, 50 feeds ${median(cpu.fifty).toFixed(0)} ms ` +
    `(${(median(cpu.none) / median(cpu.fifty)).toFixed(3)}x the throughput it allows), 50 feeds matching nothing ` +
    `${median(cpu.idle).toFixed(0)} ms (${(median(cpu.none) / median(cpu.idle)).toFixed(3)}x); of which kernel: ` +
    `${median(sys.none).toFixed(0)} / ${median(sys.fifty).toFixed(0)} / ${median(sys.idle).toFixed(0)} ms`,
);
console.log(
  `server + PostgreSQL CPU per 1,000 events (median): none ${median(hosting.none).toFixed(0)} ms, 50 feeds ` +
    `${median(hosting.fifty).toFixed(0)} ms (${(median(hosting.none) / median(hosting.fifty)).toFixed(3)}x), matching nothing ` +
    `${median(hosting.idle).toFixed(0)} ms (${(median(hosting.none) / median(hosting.idle)).toFixed(3)}x); the readers' process: ` +
    `${median(reading.none).toFixed(0)} / ${median(reading.fifty).toFixed(0)} / ${median(reading.idle).toFixed(0)} ms`,
);
console.log(`load (1 min) ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
readers.send({ exit: true });
server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
