export {
  translateWebhook,
  translateWebhookSerialized,
  SKIPPED_WEBHOOKS,
  type WebhookInput,
  type TranslateResult,
  type SerializedTranslation,
} from "./translate.js";
export { runState, deploymentState, isRunLike, RUN_LIKE_KINDS, type RunLikeKind, type StateName } from "./state.js";
export { ACTIONLESS_VERBS, DEFAULT_VERB, kebabKind } from "./event-name.js";
export { TRUNCATED_KEY, fitPayload } from "./payload-limit.js";
export { EPOCH_FALLBACK } from "./occurred.js";
