/** Failures of one attempt, classified for the retry loop. Codes are stable (`HOOKLINE_ACTION_*`, ...). */
import { HooklineError } from "../errors/hookline-error.js";
import type { HooklineCode } from "../errors/registry.js";

export const ACTION_CODES = {
  http: "HOOKLINE_ACTION_HTTP_ERROR",
  rateLimited: "HOOKLINE_ACTION_RATE_LIMITED",
  network: "HOOKLINE_ACTION_NETWORK_ERROR",
  timeout: "HOOKLINE_ACTION_TIMEOUT",
  notFound: "HOOKLINE_ACTION_NOT_FOUND",
  invalidParams: "HOOKLINE_ACTION_INVALID_PARAMS",
  noSource: "HOOKLINE_ACTION_NO_SOURCE",
  unknownNotifier: "HOOKLINE_UNKNOWN_NOTIFIER",
  secretMissing: "HOOKLINE_SECRET_MISSING",
  portMissing: "HOOKLINE_ACTION_UNAVAILABLE",
  slack: "HOOKLINE_SLACK_ERROR",
  smtp: "HOOKLINE_SMTP_ERROR",
  invalidEvent: "HOOKLINE_ACTION_INVALID_EVENT",
  reservedName: "HOOKLINE_ACTION_RESERVED_EVENT_NAME",
} as const;

export class ActionError extends HooklineError {
  readonly retryable: boolean;
  /** server-requested delay before the next attempt (Retry-After), uncapped; the retry loop caps it */
  readonly retryAfterMs: number | undefined;
  constructor(code: HooklineCode, message: string, retryable: boolean, retryAfterMs?: number) {
    super(code, message);
    this.name = "ActionError";
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** `Retry-After`: delta-seconds or an HTTP date (relative to `now`); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // an HTTP date names its day or month ("Wed, 21 Oct 2015 07:28:00 GMT"); bare numbers like -3 are not dates
  if (text.length > 64 || !/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v === undefined || v === null ? undefined : String(v);
  return undefined;
}

/**
 * A non-2xx status: 408, 429 and 5xx are retried (honouring Retry-After); a 403 carrying Retry-After or an
 * exhausted `x-ratelimit-remaining: 0` (GitHub rate limits) too; every other 4xx fails at once.
 */
export function statusError(
  status: number,
  headers: Record<string, unknown> | undefined,
  what: string,
  detail: string,
  now: number,
): ActionError {
  const retryAfter = parseRetryAfter(header(headers, "retry-after"), now);
  const text = `${what} answered HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ""}`;
  if (status === 429) return new ActionError(ACTION_CODES.rateLimited, text, true, retryAfter);
  if (status === 403 && (retryAfter !== undefined || header(headers, "x-ratelimit-remaining") === "0")) {
    const reset = Number(header(headers, "x-ratelimit-reset"));
    const untilReset = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
    return new ActionError(ACTION_CODES.rateLimited, text, true, retryAfter ?? untilReset);
  }
  if (status === 408 || status >= 500) return new ActionError(ACTION_CODES.http, text, true, retryAfter);
  return new ActionError(status === 404 ? ACTION_CODES.notFound : ACTION_CODES.http, text, false);
}

export function secretMissing(variable: string, what: string): ActionError {
  return new ActionError(
    ACTION_CODES.secretMissing,
    `environment variable ${variable} is not set (${what}): in a workflow, set it on the hookline step (\`env: ${variable}: \${{ secrets.${variable} }}\`); on the server, in its environment (\`${variable}=... npm start\`; a repository's automations see only the variables HOOKLINE_REPO_ENV_ALLOW names and HOOKLINE_ORG_<OWNER>__${variable})`,
    false,
  );
}

export function invalidParams(message: string): ActionError {
  return new ActionError(ACTION_CODES.invalidParams, message, false);
}
