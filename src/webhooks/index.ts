/**
 * Custom inbound webhooks (pure core): `webhooks.yaml` → definitions; one HTTP request → one standard event.
 * See README.md in this folder for the configuration format, the modes, authentication and status codes.
 */
export { isSecretSlug, loadWebhooks, missingWebhookSecrets, type WebhooksLoadResult } from "./load.js";
export { webhooksJsonSchema } from "./schema.js";
export { callerId, publicSlug, receiveWebhook, receiveWebhookWith, refuseBeforeBody, type WebhookRenderer } from "./receive.js";
export { timingSafeEqualText } from "./auth.js";
export { MAX_BODY_JSON_DEPTH } from "./body.js";
export {
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_CODES,
  WEBHOOK_FAILED_EVENT,
  WEBHOOK_METHODS,
  webhookResourceId,
  type WebhookAuth,
  type WebhookDef,
  type WebhookMethod,
  type WebhookRequest,
  type WebhookResult,
  type WebhookStatus,
} from "./types.js";
