/** Action executors (DESIGN.md "Delivery and failure", SEMANTICS.md §5): one invocation at a time, behind ports. */
export type {
  ActionClock,
  ActionPorts,
  GitHubPort,
  HttpPort,
  HttpRequest,
  HttpResponse,
  Invocation,
  MailMessage,
  MailPort,
  Notifiers,
  Outcome,
  PauseStore,
  SlackPort,
  SlackThread,
  ThreadStore,
} from "./types.js";
export { ACTION_CODES, ActionError, parseRetryAfter } from "./errors.js";
export { BACKOFF_CAP_MS, RETRY_AFTER_CAP_MS, backoffMs } from "./retry.js";
export { renderInvocation, renderInvocationWith, type ParamsRenderer, type Rendered } from "./render.js";
export { attemptInvocation, executeInvocation, runInvocation, type AttemptOutcome } from "./execute.js";
export { ACTION_EVENT_NAMES, actionEventId, actionEvents, type ActionEventTimes } from "./outcome-events.js";
export { buildEmittedEvent } from "./local-executors.js";
export { recordCalls, BODY_PREVIEW, MAX_CALLS, type CallRecorder, type CallSummary } from "./attempt-calls.js";
export { MASK, SECRET_KEY, addSecret, maskHeaders, maskKnown, maskSecrets, maskText, maskUrl, type KnownSecrets } from "./masking.js";
export { stringifyInputs } from "./github-executors.js";
export { notifierEnv, SLACK_TOKEN_DEPRECATED_ENV, SLACK_TOKEN_FALLBACK_ENV, SMTP_URL_FALLBACK_ENV } from "./notify.js";
