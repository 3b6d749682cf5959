#!/usr/bin/env node
// `npm start`'s memory on the embedded database (issue 13: idle under 300 MB): starts `hookline serve` on a fresh
// PGlite data folder, reads its RSS when idle, posts N events through the API (100 per request), waits for the
// evaluator, and reads the RSS again. Usage: node bench/pglite/memory.mjs [N=5000] (after `npm run build`).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const N = Number(process.argv[2] ?? 5000);
const home = mkdtempSync(join(tmpdir(), "hookline-mem-"));
const config = join(home, "config");
mkdirSync(config);
writeFileSync(join(config, "webhooks.yaml"), "webhooks: []\n");
writeFileSync(join(config, "automations.yaml"), readFileSync(join(ROOT, "examples/webhooks/automations.yaml")));
const PORT = 18000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${PORT}`;
const rssMb = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const child = spawn(process.execPath, ["--max-semi-space-size=64", join(ROOT, "bin/hookline.js"), "serve"], {
  env: { ...process.env, PORT: String(PORT), HOOKLINE_CONFIG_DIR: config, HOOKLINE_DATA_DIR: join(home, "data"), LOG_LEVEL: "warn" },
  stdio: "ignore",
});
try {
  for (
    let i = 0;
    (await fetch(`${url}/readyz`)
      .then((r) => r.status)
      .catch(() => 0)) !== 200;
    i++
  ) {
    if (i > 240) throw new Error("the server did not get ready");
    await sleep(500);
  }
  await sleep(5000);
  const idle = rssMb(child.pid);
  const auth = { authorization: `Bearer ${readFileSync(join(home, "api-token"), "utf8").trim()}` };
  const t0 = Date.now();
  for (let b = 0; b < N / 100; b++) {
    const events = Array.from({ length: 100 }, (_, i) => ({
      id: crypto.randomUUID(),
      occurred: new Date().toISOString(),
      event: "pipeline.summary.ready",
      resource: { "prefect.resource.id": `pipeline.run.${b}-${i}`, "pipeline.tracking_id": `T-${b}-${i}` },
      payload: { records: i },
    }));
    // a keep-alive connection the server closes while the event loop was busy is retried (undici does not retry POST)
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fetch(`${url}/api/events`, {
          method: "POST",
          headers: { "content-type": "application/json", ...auth },
          body: JSON.stringify({ events }),
        });
        if (r.status !== 202) throw new Error(`${r.status} ${await r.text()}`);
        break;
      } catch (err) {
        if (attempt > 3) throw err;
      }
    }
  }
  const ingestMs = Date.now() - t0;
  const loaded = rssMb(child.pid);
  console.log(
    JSON.stringify({ events: N, idleRssMb: idle, loadedRssMb: loaded, ingestMs, eventsPerSecond: Math.round((N * 1000) / ingestMs) }),
  );
} finally {
  child.kill("SIGTERM");
  await sleep(1000);
  rmSync(home, { recursive: true, force: true });
}
