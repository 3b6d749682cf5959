#!/usr/bin/env node
// Rewrites events.jsonl from requests.jsonl through the real webhooks (build/ first: `npm run build`).
// Each request is sent as curl.sh sends it, authenticated with test secrets; request ids are req-1, req-2, ...
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadWebhooks, receiveWebhook } from "../../build/src/webhooks/index.js";

const dir = new URL("./", import.meta.url);
const ENV = { MAINFRAME_WEBHOOK_SECRET: "mf-secret", BLOB_WEBHOOK_HMAC_KEY: "blob-key", PIPELINE_WEBHOOK_SECRET: "pipe-secret" };
const loaded = loadWebhooks(readFileSync(new URL("webhooks.yaml", dir), "utf8"), "examples/webhooks/webhooks.yaml");
if (loaded.problems.length > 0) throw new Error(JSON.stringify(loaded.problems));
const hooks = new Map(loaded.webhooks.map((w) => [w.slug, w]));
const out = readFileSync(new URL("requests.jsonl", dir), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((line, i) => {
    const req = JSON.parse(line);
    const def = hooks.get(req.slug);
    const text = JSON.stringify(req.body);
    const headers = { "content-type": "application/json" };
    if (def.auth.kind === "secret") headers["x-hookline-secret"] = ENV[def.auth.secretEnv];
    if (def.auth.kind === "signature")
      headers[def.auth.header] = def.auth.prefix + createHmac(def.auth.algorithm, ENV[def.auth.secretEnv]).update(text).digest("hex");
    const r = receiveWebhook(
      def,
      {
        method: "POST",
        headers,
        body: new TextEncoder().encode(text),
        query: {},
        receivedAt: Date.parse(req.received_at),
        requestId: `req-${i + 1}`,
      },
      ENV,
    );
    if (!r.ok) throw new Error(`requests.jsonl:${i + 1}: ${r.status} ${r.reason}`);
    return JSON.stringify(r.event);
  });
writeFileSync(new URL("events.jsonl", dir), `${out.join("\n")}\n`);
