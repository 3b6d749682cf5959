/**
 * SlackPort on `@slack/web-api`'s WebClient (the client Bolt ships). The client's own retries are switched off
 * (`retries: 0`) and a 429 is rejected at once (`rejectRateLimitedCalls`) with its Retry-After, so the executors'
 * retry loop (src/executors/retry.ts: capped Retry-After, full-jitter backoff) is the only one and attempts never
 * multiply. Platform errors (`channel_not_found`, `not_in_channel`, `invalid_auth`) are configuration errors:
 * not retried, answered with the fix. One WebClient per process: the token is passed per call.
 */
import { ErrorCode, WebClient, LogLevel, type Logger, type WebClientOptions } from "@slack/web-api";
import { ACTION_CODES, ActionError } from "../executors/errors.js";
import type { SlackPort } from "../executors/types.js";

export interface SlackClientOptions {
  /** default https://slack.com/api/ */
  slackApiUrl?: string;
  /** per request, ms (the executor's per-attempt timeout applies as well); default 30 s */
  timeoutMs?: number;
  /** where the client's warnings go (default: nowhere; the port's errors say what happened), never the console */
  warn?: (message: string) => void;
  /** the transport (default the global fetch); the Action passes a proxy-aware one */
  fetch?: WebClientOptions["fetch"];
}

const HINTS: Record<string, string> = {
  channel_not_found: "check the notifier's channel (a name like #ops or a channel id)",
  not_in_channel: "invite the bot to the channel (/invite @yourbot)",
  invalid_auth: "the bot token is not valid: check the secret",
  not_authed: "the bot token is missing: check the secret",
  missing_scope: "add the chat:write scope to the Slack app and reinstall it",
  account_inactive: "the bot token was revoked: create a new one",
};
const RETRYABLE_PLATFORM = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** The WebClient's logger: warnings and errors to `warn`, nothing to the console (in the Action, the runner's command channel). */
function clientLogger(warn: (message: string) => void = () => undefined): Logger {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" ");
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg) => warn(text(msg)),
    error: (...msg) => warn(text(msg)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}

function apiUrl(url: string | undefined): string {
  if (!url) return "https://slack.com/api/";
  return url.endsWith("/") ? url : `${url}/`;
}

/** The process's one Slack client: retries off, 429s rejected with their Retry-After. */
export function createSlackClient(options: SlackClientOptions = {}): WebClient {
  return new WebClient(undefined, {
    slackApiUrl: apiUrl(options.slackApiUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    logger: clientLogger(options.warn),
    logLevel: LogLevel.WARN,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** What a WebClient rejection means for the executor: an ActionError, retryable or not. */
export function slackError(method: string, err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  const e = err as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: { error?: unknown };
    original?: unknown;
    message?: unknown;
  };
  switch (e?.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === "number" && Number.isFinite(e.retryAfter) ? e.retryAfter : undefined;
      return new ActionError(
        ACTION_CODES.rateLimited,
        `Slack ${method} is rate limited`,
        true,
        seconds === undefined ? undefined : seconds * 1000,
      );
    }
    case ErrorCode.PlatformError: {
      const code = String(e.data?.error ?? "unknown_error");
      return new ActionError(
        ACTION_CODES.slack,
        `Slack ${method} failed: ${code}${HINTS[code] ? `: ${HINTS[code]}` : ""}`,
        RETRYABLE_PLATFORM.has(code),
      );
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === "number" ? e.statusCode : 0;
      return new ActionError(
        ACTION_CODES.slack,
        `Slack ${method} answered HTTP ${status}`,
        status === 408 || status === 429 || status >= 500,
      );
    }
    case ErrorCode.RequestError: {
      const original = e.original instanceof Error ? e.original.message : String(e.original ?? "");
      return new ActionError(ACTION_CODES.network, `Slack ${method} request failed: ${original}`, true);
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  // a 429 whose Retry-After the client could not read: still a rate limit, retried on the backoff schedule
  if (/^Retry header did not contain a valid timeout/.test(message))
    return new ActionError(ACTION_CODES.rateLimited, `Slack ${method} is rate limited`, true);
  return new ActionError(ACTION_CODES.network, `Slack ${method} request failed: ${message}`, true);
}

export function slackPortFrom(client: WebClient): SlackPort {
  return {
    apiUrl: client.slackApiUrl,
    async call(method, token, args, signal) {
      try {
        const answer = await client.apiCall(method, { ...args, token });
        return answer as unknown as Record<string, unknown>;
      } catch (err) {
        if (signal?.aborted && signal.reason instanceof ActionError) throw signal.reason;
        throw slackError(method, err);
      }
    },
  };
}

/** A SlackPort on a client of its own (one per process: call once and share it). */
export function createSlackPort(options: SlackClientOptions = {}): SlackPort {
  return slackPortFrom(createSlackClient(options));
}
