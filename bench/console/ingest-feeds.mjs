/**
 * Ingest throughput with 50 open live feeds vs none (issue 16; goal: at most 5 % slower). One `hookline serve`
 * child process (in-memory PGlite, no automations), events posted to /api/events in batches of 50 by 4
 * concurrent clients; rounds alternate none / 50 feeds (interleaved, same run, same server), each feed opened
 * with no filter so every event is sent to all 50 (the worst case), in the view the console opens (`view=summary`:
 * what its table shows; BENCH_FEED_VIEW=full for whole events, what a script reading the feed gets). The feeds are read in a child process
 * (feed-readers.mjs), not in this one's event loop beside the ingest clients: real readers are browsers on
 * other machines. BENCH_READERS_NICE lowers its priority (default 0: at nice 5 on a loaded machine the readers
 * fell more than 1 MB behind and the server cut them). After each round the bench checks that every feed
 * received every event of the round once (none cut, none lost, none twice) and fails otherwise. A third arm
 * opens 50 feeds whose filter nothing passes (the shared poll without the streaming).
 * Reports events/s per round and the median ratios, and (Linux) the server process's CPU time per 1,000 events
 * per arm, user and kernel apart (streaming to 50 sockets is mostly kernel time: the bytes' floor): on a shared,
 * loaded machine the throughput swings between rounds; the CPU the server spends is steadier.
 *
 *   node bench/console/ingest-feeds.mjs [rounds=3] [events=20000]   (needs `npm run build`)
 *   DATABASE_URL=postgres://…/bench_x node bench/console/ingest-feeds.mjs …   (on PostgreSQL; its own database)
 *   BENCH_CPU_PROF=/tmp/prof node bench/console/ingest-feeds.mjs …   (the server's CPU profile, node --cpu-prof)
 */
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, setPriority, tmpdir } from "node:os";
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

await ingest(5_000); // warm-up
const none = [];
const fifty = [];
const idle = [];
for (let r = 0; r < rounds; r++) {
  none.push(await ingest(perRound, "none"));
  const feeds = await openFeeds(50, `?view=${process.env.BENCH_FEED_VIEW ?? "summary"}`);
  fifty.push(await ingest(perRound, "fifty"));
  const bytes = await feeds.drain(perRound); // every feed got every event of the round, once
  console.log(
    `round ${r + 1}: none ${none[r].toFixed(0)} ev/s, 50 feeds ${fifty[r].toFixed(0)} ev/s (${(bytes / 1e6).toFixed(0)} MB streamed, ` +
      `each feed all ${perRound} events)`,
  );
  await feeds.close();
  await sleep(500);
  // the same 50 feeds with a filter nothing passes: the poll and the filtering without the streaming
  const quiet = await openFeeds(50, "?name=nothing.*");
  idle.push(await ingest(perRound, "idle"));
  await sleep(1500); // a poll or two after the last event: still nothing may arrive
  await quiet.drain(0);
  console.log(`round ${r + 1}: 50 feeds that match nothing ${idle[r].toFixed(0)} ev/s`);
  await quiet.close();
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
console.log(`load (1 min) ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`);
readers.send({ exit: true });
server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
