/**
 * SlackPort on `@slack/web-api`'s WebClient (`slackApiUrl` lets GHES proxies and tests point elsewhere). The
 * client's own retries are off and rate-limited calls are rejected, so the executor's retry loop decides
 * (honouring Slack's Retry-After). Platform errors (`channel_not_found`, `not_in_channel`, `invalid_auth`)
 * are configuration errors: not retried.
 */
import { WebClient, ErrorCode } from "@slack/web-api";
import { ACTION_CODES, ActionError } from "./errors.js";
import type { SlackPort } from "./types.js";

export interface SlackPortOptions {
  /** default https://slack.com/api/ */
  slackApiUrl?: string;
  /** per request, ms (the executor's per-attempt timeout applies as well) */
  timeoutMs?: number;
}

const HINTS: Record<string, string> = {
  channel_not_found: "check the notifier's channel (a name like #ops or a channel id)",
  not_in_channel: "invite the bot to the channel (/invite @yourbot)",
  invalid_auth: "the bot token is not valid: check the secret",
  not_authed: "the bot token is missing: check the secret",
  missing_scope: "add the chat:write scope to the Slack app and reinstall it",
  account_inactive: "the bot token was revoked: create a new one",
};

export function slackError(err: unknown, method: string): ActionError {
  const e = err as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown; message?: unknown };
  if (e?.code === ErrorCode.RateLimitedError) {
    const s = typeof e.retryAfter === "number" ? e.retryAfter : undefined;
    return new ActionError(ACTION_CODES.rateLimited, `Slack ${method} is rate limited`, true, s === undefined ? undefined : s * 1000);
  }
  if (e?.code === ErrorCode.PlatformError) {
    const code = String(e.data?.error ?? "unknown_error");
    const retryable = code === "ratelimited" || code === "internal_error" || code === "fatal_error" || code === "service_unavailable";
    return new ActionError(ACTION_CODES.slack, `Slack ${method} failed: ${code}${HINTS[code] ? `: ${HINTS[code]}` : ""}`, retryable);
  }
  if (e?.code === ErrorCode.HTTPError) {
    const status = typeof e.statusCode === "number" ? e.statusCode : 0;
    return new ActionError(ACTION_CODES.slack, `Slack ${method} answered HTTP ${status}`, status === 408 || status === 429 || status >= 500);
  }
  return new ActionError(ACTION_CODES.network, `Slack ${method} request failed: ${typeof e?.message === "string" ? e.message : String(err)}`, true);
}

export function createSlackPort(options: SlackPortOptions = {}): SlackPort {
  const clients = new Map<string, WebClient>();
  const client = (token: string) => {
    let c = clients.get(token);
    if (!c) {
      c = new WebClient(token, {
        ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl.endsWith("/") ? options.slackApiUrl : `${options.slackApiUrl}/` } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: options.timeoutMs ?? 30_000,
      });
      clients.set(token, c);
    }
    return c;
  };
  return {
    async call(method, token, args) {
      try {
        const c = client(token);
        const res = method === "chat.update" ? await c.chat.update(args as never) : await c.chat.postMessage(args as never);
        return res as unknown as Record<string, unknown>;
      } catch (err) {
        throw slackError(err, method);
      }
    },
  };
}
