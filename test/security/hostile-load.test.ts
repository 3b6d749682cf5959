/**
 * Issue 12, item 6: bodies that can only be authenticated once read (a custom webhook's HMAC signature, the
 * GitHub App's X-Hub-Signature-256) were read whole before authentication, so 100 unauthenticated 25 MB uploads
 * took the server from 370 MB to 2.8 GB, and it stayed there. Here the real `hookline serve` (a child process, on
 * PostgreSQL: PGlite alone makes an idle server ~870 MB resident) takes 40 concurrent 25 MB uploads with bad
 * credentials from 4 client addresses, with and without Content-Length, while /healthz is probed and one
 * legitimate signed delivery is sent from another address. RSS is read from /proc/<pid>/status (Linux).
 * bench/server/hostile-load.mjs is the same load at full size, with numbers.
 */
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { upload } from "../support/upload.mjs";
import { cleanupDirs, configDir, killChildren, PG_URL, pgDatabase, startChild, waitFor } from "../server/durability/harness.js";

afterAll(async () => {
  await killChildren();
  cleanupDirs();
});

const MiB = 1024 * 1024;
const HOOK_SECRET = "hostile-load-hook-secret";
const APP_SECRET = "hostile-load-app-secret";
const API_TOKEN = "hostile-load-api-token-0123456789";

function rssKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]);
}

const WEBHOOKS = `webhooks:
  - slug: signed
    methods: [POST]
    signature: { header: x-signature, algorithm: sha256, secret_env: HOSTILE_HOOK_SECRET, prefix: "sha256=" }
    template: { event: "hostile.upload.received", resource: { prefect.resource.id: "hostile.upload.{{ body.id }}" } }
`;

describe.runIf(!!PG_URL)("bodies under hostile load (PostgreSQL, the real server process)", () => {
  it("40 concurrent 25 MB uploads with bad credentials keep RSS under 512 MB; /healthz answers; a legitimate signed delivery in the middle is stored; RSS returns near its baseline", async () => {
    const db = await pgDatabase();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const server = await startChild({
      bin: true,
      configDir: configDir({ webhooks: WEBHOOKS }),
      databaseUrl: db.url,
      env: {
        HOSTILE_HOOK_SECRET: HOOK_SECRET,
        APP_ID: "1",
        PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        WEBHOOK_SECRET: APP_SECRET,
        HOOKLINE_API_TOKEN: API_TOKEN,
        // nothing here may reach the internet: the App's API is a closed local port
        GITHUB_API_URL: "http://127.0.0.1:9",
      },
    });
    const pid = server.proc.pid!;
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const baselineKb = rssKb(pid, "VmRSS");
      // VmHWM from here on is the peak of the load (Linux >= 4.0: "5" resets it to the current RSS)
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
      let sampledPeakKb = baselineKb;
      const sampler = setInterval(() => (sampledPeakKb = Math.max(sampledPeakKb, rssKb(pid, "VmRSS"))), 50);

      const health = { done: false, answered: 0, failed: [] as string[] };
      const probing = (async () => {
        while (!health.done) {
          try {
            const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(30_000) });
            await res.arrayBuffer();
            if (res.status === 200) health.answered++;
            else health.failed.push(String(res.status));
          } catch (err) {
            health.failed.push(String(err));
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

      const badSignature = `sha256=${createHmac("sha256", "not-the-secret").update("x").digest("hex")}`;
      const targets: { path: string; headers: Record<string, string> }[] = [
        {
          path: "/api/github/webhooks",
          headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": badSignature },
        },
        { path: "/hooks/signed", headers: { "content-type": "application/json", "x-signature": badSignature } },
      ];
      const hostile = Array.from({ length: 40 }, (_, i) => {
        const t = targets[i % 2]!;
        const headers = { ...t.headers, "x-github-delivery": randomUUID() };
        return upload({
          url: server.url,
          path: t.path,
          headers,
          bytes: 25 * MiB,
          chunked: i % 4 >= 2,
          localAddress: `127.0.0.${2 + (i % 4)}`,
        });
      });

      // the legitimate sender (127.0.0.1) in the middle of the load: sends again after a 503's Retry-After
      const body = JSON.stringify({ id: "legit-1" });
      let legit: Response | undefined;
      for (let attempt = 0; attempt < 30; attempt++) {
        legit = await fetch(`${server.url}/hooks/signed`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-signature": `sha256=${createHmac("sha256", HOOK_SECRET).update(body).digest("hex")}`,
          },
          body,
        });
        await legit.arrayBuffer();
        if (legit.status !== 503) break;
        await new Promise((r) => setTimeout(r, 1000 * Number(legit!.headers.get("retry-after") ?? 1)));
      }
      const answers = await Promise.all(hostile);
      health.done = true;
      await probing;
      clearInterval(sampler);
      const peakMb = Math.max(rssKb(pid, "VmHWM"), sampledPeakKb) / 1024;

      expect(legit?.status).toBe(202);
      // every hostile upload was refused (401 bad signature, 413 over the route's limit, 503 no room: or its
      // connection cut while it was still sending); none was accepted
      for (const a of answers) expect(String(a.status)).toMatch(/^(401|413|503|error )/);
      expect(answers.filter((a) => a.status === 503).every((a) => a.retryAfter === "2")).toBe(true);
      expect(peakMb).toBeLessThan(512);
      expect(health.answered).toBeGreaterThan(0);
      expect(health.failed).toEqual([]);
      const stored = (await (
        await fetch(`${server.url}/api/events?name=hostile.*&limit=10`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
      ).json()) as {
        events: { resource: Record<string, string> }[];
      };
      expect(stored.events.map((e) => e.resource["prefect.resource.id"])).toEqual(["hostile.upload.legit-1"]);
      // memory is given back: RSS comes down to near the baseline (bodies' pages go back when their requests
      // end, not at the next major GC, which an idle server does not run for a long while)
      await waitFor("RSS near its baseline", () => rssKb(pid, "VmRSS") < baselineKb + 64 * 1024, 30_000);
    } finally {
      await server.stop();
      await db.drop();
    }
  }, 240_000);
});
