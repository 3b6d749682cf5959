/**
 * `/hooks/:slug` (POST, GET, PUT, PATCH, DELETE): a thin adapter over `receiveWebhookWith` and the ingest core.
 * The method and what authentication decides from the headers (a shared secret, a missing signature) are
 * checked before the body is read; the body is read with a cap (413 before buffering more than
 * MAX_WEBHOOK_BODY_BYTES) within the server's body budget (503 + Retry-After when full). The template renders in
 * the template worker pool (a deadline; the event loop never runs template code). 202 `{ id, duplicate }`
 * only after the event is durably stored; a refused request answers its status and, for template or output
 * errors, stores the `hookline.webhook.failed` event first.
 */
import { randomUUID } from "node:crypto";
import { closest } from "../../../src/automations/did-you-mean.js";
import {
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_CODES,
  publicSlug,
  receiveWebhookWith,
  refuseBeforeBody,
  type WebhookDef,
} from "../../../src/webhooks/index.js";
import type { PartsHandler } from "./context.js";
import { readBody } from "../../../src/adapters/http-server/read-body.js";
import { sendBusy, sendError, sendErrorAndClose, sendJson } from "../../../src/adapters/http-server/respond.js";

export const HOOK_METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE"] as const;

function flatHeaders(raw: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** slugs a 404 may suggest: never an `auth: slug` webhook's (its slug is its secret) */
function guessable(webhooks: ReadonlyMap<string, WebhookDef>): string[] {
  return [...webhooks.values()].filter((d) => d.auth.kind !== "slug").map((d) => d.slug);
}

export const hooksRoute: PartsHandler = async ({ req, res, url, params, requestId, log, note, deps }, parts) => {
  const given = params.slug!;
  const def = parts.webhooks.get(given);
  if (!def) {
    // an unknown slug may be a secret slug mistyped: the request log does not keep it
    note({ path: "/hooks/<unknown>" });
    const near = closest(given, guessable(parts.webhooks));
    sendErrorAndClose(
      res,
      404,
      "HOOKLINE_WEBHOOK_NOT_FOUND",
      `no webhook ${JSON.stringify(given.slice(0, 100))} in webhooks.yaml${near ? `; did you mean ${near}?` : ""}`,
    );
    return;
  }
  // the name the webhook goes by in logs, events and origins (a secret slug is never written down)
  const slug = publicSlug(def);
  if (slug !== given) note({ path: `/hooks/${slug}` });
  const early = refuseBeforeBody(def, req.method ?? "GET", req.headers, deps.env);
  if (early) {
    log.info({ slug, status: early.status, code: early.code }, "webhook refused before its body");
    sendErrorAndClose(res, early.status, early.code, early.reason, {}, early.allow ? { allow: early.allow.join(", ") } : {});
    return;
  }
  const read = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
  if (!read.ok) {
    if (read.reason === "busy") sendBusy(res, read.retryAfterSeconds);
    else if (read.reason === "too-large") {
      log.warn({ slug }, "webhook body over the limit");
      sendErrorAndClose(
        res,
        413,
        WEBHOOK_CODES.tooLarge,
        `the body is over ${MAX_WEBHOOK_BODY_BYTES} bytes: send less, or put large data somewhere else and send its address`,
      );
    } else req.destroy();
    return;
  }
  // the default event id derives from a fresh id, never from the caller's X-Request-Id: a sender that sends a
  // fixed value must not collapse distinct deliveries into one event (dedupe is the template's `id`)
  const received = await receiveWebhookWith(
    def,
    {
      method: req.method ?? "GET",
      headers: flatHeaders(req.headers),
      body: new Uint8Array(read.body.buffer, read.body.byteOffset, read.body.byteLength),
      query: queryOf(url),
      receivedAt: deps.now(),
      requestId: randomUUID(),
    },
    deps.env,
    parts.renderWebhook,
  );
  if (received.ok) {
    const result = await parts.ingest([{ event: received.event, scopes: def.scopes, origin: { kind: "webhook", name: slug } }], "hooks", {
      requestId,
      slug,
      eventIds: [received.event.id],
    });
    sendJson(res, 202, { id: received.event.id, duplicate: result.duplicates.length > 0 });
    return;
  }
  if (received.failedEvent) {
    await parts.ingest([{ event: received.failedEvent, scopes: def.scopes, origin: { kind: "webhook", name: slug } }], "failed", {
      requestId,
      slug,
      eventIds: [received.failedEvent.id],
    });
  }
  log.info({ slug, status: received.status, code: received.code }, "webhook refused");
  sendError(res, received.status, received.code, received.reason, {}, received.allow ? { allow: received.allow.join(", ") } : {});
};
