/** Custom inbound webhooks (`POST /hooks/:slug`): the loaded definition, the request and the result. */
import type { SourcePosition } from "../automations/types.js";
import type { HooklineEvent } from "../events/event-schema.js";
import type { HooklineCode } from "../errors/registry.js";

/** Largest request body accepted, in bytes (1 MiB); larger answers 413 before anything is parsed. */
export const MAX_WEBHOOK_BODY_BYTES = 1_048_576;

export const WEBHOOK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

export type WebhookAuth =
  /** anyone who can reach the server: only with `auth: none` written out (the server warns at start) */
  | { kind: "none" }
  /** the slug is the secret (Prefect Cloud's model): a random slug of at least 128 bits, never logged */
  | { kind: "slug" }
  /** shared secret: `X-Hookline-Secret: <secret>` or `Authorization: Bearer <secret>` */
  | { kind: "secret"; secretEnv: string }
  /** HMAC of the raw body in `header`, as `<prefix><hex digest>` */
  | { kind: "signature"; header: string; algorithm: "sha256" | "sha1"; secretEnv: string; prefix: string };

export interface WebhookDef {
  /** url-safe and unique: `POST /hooks/<slug>` */
  slug: string;
  description: string;
  methods: WebhookMethod[];
  /**
   * `template`: a Jinja string producing JSON (trimmed), or a mapping whose string values are templates.
   * `cloudevents`: the request is a CloudEvent (binary or structured mode), turned into an event without a template.
   */
  mode: "template" | "cloudevents";
  template: string | Record<string, unknown> | null;
  /** the template reads `body` (else the body is neither parsed nor checked for its content type) */
  usesBody: boolean;
  /** the template has no placeholder at all */
  isStatic: boolean;
  auth: WebhookAuth;
  /** the scopes whose automations evaluate this webhook's events (default `["server"]`) */
  scopes: string[];
  source: SourcePosition;
}

export interface WebhookRequest {
  method: string;
  /** as received; names are matched case-insensitively */
  headers: Record<string, string>;
  body: Uint8Array;
  query: Record<string, string>;
  /** epoch ms, stamped by the server: the event's `occurred` unless the template gives one */
  receivedAt: number;
  /** unique per HTTP request (the server's request id): the event's id is derived from it unless given */
  requestId: string;
}

/** 503: the server could not render the template now (its render queue is full): the sender retries later */
export type WebhookStatus = 400 | 401 | 403 | 405 | 413 | 415 | 422 | 503;

export type WebhookResult =
  | { ok: true; event: HooklineEvent }
  | {
      ok: false;
      status: WebhookStatus;
      code: HooklineCode;
      reason: string;
      /** `hookline.webhook.failed`, for template and output errors (record it: the sender cannot see our logs) */
      failedEvent?: HooklineEvent;
      /** for 405: the methods the webhook accepts (the `Allow` header) */
      allow?: WebhookMethod[];
    };

/** Stable codes of request failures. */
export const WEBHOOK_CODES = {
  method: "HOOKLINE_WEBHOOK_METHOD_NOT_ALLOWED",
  tooLarge: "HOOKLINE_WEBHOOK_BODY_TOO_LARGE",
  contentType: "HOOKLINE_WEBHOOK_UNSUPPORTED_CONTENT_TYPE",
  authMissing: "HOOKLINE_WEBHOOK_AUTH_MISSING",
  authWrong: "HOOKLINE_WEBHOOK_AUTH_WRONG",
  authUnset: "HOOKLINE_WEBHOOK_SECRET_NOT_SET",
  badBody: "HOOKLINE_WEBHOOK_BAD_BODY",
  template: "HOOKLINE_WEBHOOK_TEMPLATE_FAILED",
  notJson: "HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON",
  invalidEvent: "HOOKLINE_WEBHOOK_INVALID_EVENT",
  notCloudEvent: "HOOKLINE_WEBHOOK_NOT_A_CLOUDEVENT",
  reservedName: "HOOKLINE_WEBHOOK_RESERVED_NAME",
} as const;

export const WEBHOOK_FAILED_EVENT = "hookline.webhook.failed";

export function webhookResourceId(slug: string): string {
  return `hookline.webhook.${slug}`;
}
