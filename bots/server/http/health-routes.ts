/** `/healthz` (the process answers), `/readyz` (database reachable and migrated, workers running), `/metrics`. */
import type { Handler } from "./context.js";
import { sendJson } from "../../../src/adapters/http-server/respond.js";

export const healthz: Handler = ({ res }) => sendJson(res, 200, { status: "ok" });

export const readyz: Handler = async ({ res, deps }) => {
  const r = await deps.readiness();
  sendJson(res, r.ok ? 200 : 503, { status: r.ok ? "ready" : "not ready", checks: r.checks });
};

export const metrics: Handler = async ({ res, deps }) => {
  const text = await deps.metrics.registry.metrics();
  res.writeHead(200, { "content-type": deps.metrics.registry.contentType, "cache-control": "no-store" });
  res.end(text);
};
