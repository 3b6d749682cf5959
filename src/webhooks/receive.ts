/**
 * receiveWebhook: one HTTP request to `/hooks/<slug>` → a standard event, or the status to answer.
 * Pure: the server passes the time it received the request and its request id; secrets come from `env`.
 * Order: method (405), size (413), authentication (401/403; before anything about the body is revealed),
 * content type (415), body (400), template (400), event validation (400).
 */
import { isoOf, validateEvent, type HooklineEvent } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";
import { callerEventId } from "../events/origin.js";
import { isReservedEventName, reservedNameMessage } from "../events/reserved.js";
import { uuidv5 } from "../events/uuid.js";
import { renderValue, TEMPLATE_CODES, TemplateError } from "../templates/index.js";
import { authenticate, authenticateHeaders } from "./auth.js";
import { excerpt, mediaTypeOf, normalizeHeaders, parseBody, unsupported } from "./body.js";
import { fromCloudEvent } from "./cloudevents.js";
import type { HooklineCode } from "../errors/registry.js";
import {
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_CODES,
  WEBHOOK_FAILED_EVENT,
  webhookResourceId,
  type WebhookDef,
  type WebhookMethod,
  type WebhookRequest,
  type WebhookResult,
  type WebhookStatus,
} from "./types.js";

/** credentials never reach templates (a template could copy them into an event) */
const HIDDEN_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "x-hookline-secret"]);

type Failure = Extract<WebhookResult, { ok: false }>;

interface Ctx {
  def: WebhookDef;
  req: WebhookRequest;
  method: string;
  headers: Record<string, string>;
  bodyText: string;
}

/**
 * What is refused before the body is read: the method (405) and what authentication decides from the headers
 * (401/403, see authenticateHeaders). null: read the body (up to MAX_WEBHOOK_BODY_BYTES) and call receiveWebhook.
 */
export function refuseBeforeBody(
  def: WebhookDef,
  method: string,
  rawHeaders: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): Failure | null {
  const m = String(method ?? "").toUpperCase();
  if (!(def.methods as readonly string[]).includes(m))
    return {
      ok: false,
      status: 405,
      code: WEBHOOK_CODES.method,
      reason: `this webhook accepts ${def.methods.join(", ")}`,
      allow: [...def.methods],
    };
  const auth = authenticateHeaders(def.auth, normalizeHeaders(rawHeaders), env);
  return auth && !auth.ok ? { ok: false, status: auth.status, code: auth.code, reason: auth.reason } : null;
}

/**
 * Renders a webhook template with its request context (the server: in a worker thread with a deadline). Rejects
 * with a TemplateError (or any error: it becomes the template failure). `receiveWebhook` renders in-process.
 */
export type WebhookRenderer = (template: unknown, context: Record<string, unknown>) => Promise<unknown>;

/** A template-mode request that got as far as its template: the context to render and how to finish. */
interface ToRender {
  ctx: Ctx;
  context: Record<string, unknown>;
}

export function receiveWebhook(def: WebhookDef, req: WebhookRequest, env: Readonly<Record<string, string | undefined>>): WebhookResult {
  const step = beginWebhook(def, req, env);
  if (!("context" in step)) return step;
  let output: unknown;
  try {
    output = renderValue(def.template, step.context);
  } catch (e) {
    return templateFailed(step.ctx, e);
  }
  return finishTemplate(step.ctx, output);
}

/** receiveWebhook with the template rendered by `render` (same answers, same order of checks). */
export async function receiveWebhookWith(
  def: WebhookDef,
  req: WebhookRequest,
  env: Readonly<Record<string, string | undefined>>,
  render: WebhookRenderer,
): Promise<WebhookResult> {
  const step = beginWebhook(def, req, env);
  if (!("context" in step)) return step;
  let output: unknown;
  try {
    output = await render(def.template, step.context);
  } catch (e) {
    return templateFailed(step.ctx, e);
  }
  return finishTemplate(step.ctx, output);
}

function beginWebhook(def: WebhookDef, req: WebhookRequest, env: Readonly<Record<string, string | undefined>>): WebhookResult | ToRender {
  if (!Number.isFinite(req.receivedAt)) throw new TypeError("receiveWebhook: receivedAt must be epoch milliseconds");
  const method = String(req.method ?? "").toUpperCase();
  if (!(def.methods as readonly string[]).includes(method)) {
    return {
      ok: false,
      status: 405,
      code: WEBHOOK_CODES.method,
      reason: `this webhook accepts ${def.methods.join(", ")}`,
      allow: [...def.methods],
    };
  }
  const body = req.body ?? new Uint8Array(0);
  if (body.byteLength > MAX_WEBHOOK_BODY_BYTES) {
    return {
      ok: false,
      status: 413,
      code: WEBHOOK_CODES.tooLarge,
      reason: `the body is ${body.byteLength} bytes; the limit is ${MAX_WEBHOOK_BODY_BYTES} (1 MiB)`,
    };
  }
  const headers = normalizeHeaders(req.headers ?? {});
  const auth = authenticate(def.auth, headers, body, env);
  if (!auth.ok) return { ok: false, status: auth.status, code: auth.code, reason: auth.reason };
  const ctx: Ctx = { def, req, method, headers, bodyText: "" };
  return def.mode === "cloudevents" ? receiveCloudEvent(ctx, body) : receiveTemplate(ctx, body);
}

function receiveCloudEvent(ctx: Ctx, body: Uint8Array): WebhookResult {
  const ce = fromCloudEvent(ctx.headers, body);
  ctx.bodyText = safeText(body);
  if (!ce.ok)
    return {
      ok: false,
      status: ce.status,
      code: ce.status === 415 ? WEBHOOK_CODES.contentType : ce.notCloudEvent ? WEBHOOK_CODES.notCloudEvent : WEBHOOK_CODES.badBody,
      reason: ce.reason,
    };
  return complete(ctx, ce.draft);
}

function receiveTemplate(ctx: Ctx, body: Uint8Array): WebhookResult | ToRender {
  const { def } = ctx;
  let bodyValue: unknown = null;
  if (def.usesBody && body.byteLength > 0) {
    const media = mediaTypeOf(ctx.headers["content-type"]);
    if (media.kind === "other" || media.kind === "cloudevent-batch") {
      return { ok: false, status: 415, code: WEBHOOK_CODES.contentType, reason: unsupported(media) };
    }
    const parsed = parseBody(media, body);
    if (!parsed.ok)
      return {
        ok: false,
        status: parsed.status,
        code: parsed.status === 415 ? WEBHOOK_CODES.contentType : WEBHOOK_CODES.badBody,
        reason: parsed.reason,
      };
    bodyValue = parsed.value;
    ctx.bodyText = parsed.text;
  }
  const context = {
    method: ctx.method,
    headers: visibleHeaders(ctx.headers),
    body: bodyValue,
    query: plainStrings(ctx.req.query),
    webhook: { slug: def.slug, description: def.description },
  };
  return { ctx, context };
}

function templateFailed(ctx: Ctx, e: unknown): WebhookResult {
  if (e instanceof TemplateError && e.code === TEMPLATE_CODES.busy) {
    // not the request's fault and not final: no failure event, the sender retries
    return { ok: false, status: 503, code: e.code, reason: `the server is busy rendering templates: retry later (${e.message})` };
  }
  const message = e instanceof TemplateError ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
  return failure(ctx, 400, WEBHOOK_CODES.template, `the webhook template failed: ${message}`);
}

/** The template's output → the event draft (JSON text is parsed; it must be an object). */
function finishTemplate(ctx: Ctx, rendered: unknown): WebhookResult {
  let output = rendered;
  if (typeof output === "string") {
    try {
      output = JSON.parse(output) as unknown;
    } catch (e) {
      return failure(ctx, 400, WEBHOOK_CODES.notJson, `the template output is not JSON: ${(e as Error).message}`);
    }
  }
  if (!isPlainObject(output)) {
    return failure(ctx, 400, WEBHOOK_CODES.invalidEvent, `the template must produce a JSON object (an event), not ${describe(output)}`);
  }
  return complete(ctx, output);
}

/** Defaults, the webhook as a related resource, then the standard validation. */
function complete(ctx: Ctx, draft: Record<string, unknown>): WebhookResult {
  const { def, req } = ctx;
  const event: Record<string, unknown> = { ...draft };
  if (typeof event.event === "string" && isReservedEventName(event.event)) {
    return failure(ctx, 422, WEBHOOK_CODES.reservedName, reservedNameMessage(event.event));
  }
  const id = event.id;
  if (id === undefined || id === null || id === "") event.id = uuidv5(`webhook-request\n${def.slug}\n${req.requestId}`);
  // any other id is a delivery key: the same key is the same event (a redelivery dedupes). It is namespaced by
  // the webhook, so no sender can take the id of another webhook's (or the API's, or GitHub's) next event
  else if (typeof id === "string" || typeof id === "number") event.id = callerId(def.slug, keyOf(String(id)));
  if (typeof event.follows === "string" && event.follows !== "") event.follows = callerId(def.slug, keyOf(event.follows));
  if (event.occurred === undefined || event.occurred === null || event.occurred === "") event.occurred = isoOf(req.receivedAt);
  const mine = webhookResource(publicSlug(def));
  if (event.related === undefined || event.related === null) event.related = [mine];
  else if (Array.isArray(event.related)) {
    const has = event.related.some((r) => isPlainObject(r) && r[RESOURCE_ID] === mine[RESOURCE_ID] && r[RESOURCE_ROLE] === "webhook");
    event.related = has ? event.related : [...event.related, mine];
  }
  const r = validateEvent(event);
  if (!r.ok) return failure(ctx, 400, WEBHOOK_CODES.invalidEvent, `the webhook produced an invalid event: ${r.errors.join("; ")}`);
  return { ok: true, event: r.event };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** a UUID in any case is one key */
function keyOf(id: string): string {
  return UUID_RE.test(id) ? id.toLowerCase() : id;
}

/** A caller's id (or `follows`) in this webhook's namespace (src/events/origin.ts). */
export function callerId(slug: string, id: string): string {
  return callerEventId({ kind: "webhook", name: slug }, id);
}

/**
 * The name a webhook goes by where others can read it (events, origins, logs): its slug, except for `auth: slug`
 * webhooks, whose slug is the secret: `secret-` and 8 hex characters of a hash of it.
 */
export function publicSlug(def: Pick<WebhookDef, "slug" | "auth">): string {
  if (def.auth.kind !== "slug") return def.slug;
  let name = secretSlugNames.get(def);
  if (name === undefined) secretSlugNames.set(def, (name = `secret-${uuidv5(`webhook-slug\n${def.slug}`).slice(0, 8)}`));
  return name;
}

/** a loaded webhook's public name, hashed once per definition rather than up to four times per request */
const secretSlugNames = new WeakMap<object, string>();

function webhookResource(slug: string): Record<string, string> {
  return { [RESOURCE_ID]: webhookResourceId(slug), [RESOURCE_NAME]: slug, [RESOURCE_ROLE]: "webhook" };
}

function failure(ctx: Ctx, status: WebhookStatus, code: HooklineCode, reason: string): Failure {
  return {
    ok: false,
    status,
    code,
    reason: reason.length > 2000 ? `${reason.slice(0, 2000)}...` : reason,
    failedEvent: failedEvent(ctx, code, reason),
  };
}

/**
 * `hookline.webhook.failed`: resource the webhook, labels with the error code and a short reason; the payload
 * holds the method, content type, body size and a short escaped excerpt of the body, never a header.
 */
function failedEvent(ctx: Ctx, code: string, reason: string): HooklineEvent {
  const { def, req } = ctx;
  return {
    id: uuidv5(`${WEBHOOK_FAILED_EVENT}\n${def.slug}\n${req.requestId}`),
    occurred: isoOf(req.receivedAt),
    event: WEBHOOK_FAILED_EVENT,
    resource: {
      [RESOURCE_ID]: webhookResourceId(publicSlug(def)),
      [RESOURCE_NAME]: publicSlug(def),
      "hookline.webhook.slug": publicSlug(def),
      "hookline.webhook.error": code,
      "hookline.webhook.reason": excerpt(reason, 200),
    },
    related: [],
    payload: {
      code,
      reason: excerpt(reason, 500),
      method: ctx.method as WebhookMethod,
      content_type: excerpt(ctx.headers["content-type"] ?? "", 100),
      body_bytes: req.body?.byteLength ?? 0,
      body_excerpt: excerpt(ctx.bodyText, 120),
    },
    follows: null,
  };
}

function visibleHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(headers)) {
    if (!HIDDEN_HEADERS.has(k)) Object.defineProperty(out, k, { value: headers[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function plainStrings(query: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(query ?? {})) {
    const v = query![k];
    if (typeof v === "string") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function safeText(body: Uint8Array): string {
  return new TextDecoder("utf-8").decode(body.byteLength > 1024 ? body.subarray(0, 1024) : body);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v;
}
