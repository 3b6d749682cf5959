/**
 * SlackPort on node:http(s) (node-http-port.ts): `POST <slackApiUrl><method>` with a JSON body and the bot token as
 * `Authorization: Bearer` (Slack's documented JSON calling convention for chat.postMessage / chat.update;
 * `slackApiUrl` lets GHES proxies and tests point elsewhere). No client library: `@slack/web-api` (and what it
 * brings) was a fifth of the Action's bundle for two methods. Nothing is retried here, so the executor's retry loop
 * decides (honouring Slack's Retry-After on HTTP 429). Platform errors (`channel_not_found`, `not_in_channel`,
 * `invalid_auth`) are configuration errors: not retried.
 */
import { ACTION_CODES, ActionError } from "../executors/errors.js";
import { nodeHttp } from "./node-http-port.js";
import type { SlackPort } from "../executors/types.js";

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

/** What a Slack answer (or a failed request) means for the executor: an ActionError, retryable or not. */
export function slackError(
  method: string,
  failure: { status: number; retryAfter?: string | null } | { error: string } | { network: string },
): ActionError {
  if ("network" in failure) return new ActionError(ACTION_CODES.network, `Slack ${method} request failed: ${failure.network}`, true);
  if ("error" in failure) {
    const code = failure.error;
    const retryable = code === "ratelimited" || code === "internal_error" || code === "fatal_error" || code === "service_unavailable";
    return new ActionError(ACTION_CODES.slack, `Slack ${method} failed: ${code}${HINTS[code] ? `: ${HINTS[code]}` : ""}`, retryable);
  }
  const seconds = failure.retryAfter != null && /^\s*\d+\s*$/.test(failure.retryAfter) ? Number(failure.retryAfter) : undefined;
  if (failure.status === 429)
    return new ActionError(
      ACTION_CODES.rateLimited,
      `Slack ${method} is rate limited`,
      true,
      seconds === undefined ? undefined : seconds * 1000,
    );
  return new ActionError(
    ACTION_CODES.slack,
    `Slack ${method} answered HTTP ${failure.status}`,
    failure.status === 408 || failure.status === 429 || failure.status >= 500,
  );
}

export function createSlackPort(options: SlackPortOptions = {}): SlackPort {
  const base = options.slackApiUrl
    ? options.slackApiUrl.endsWith("/")
      ? options.slackApiUrl
      : `${options.slackApiUrl}/`
    : "https://slack.com/api/";
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async call(method, token, args, signal) {
      const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
      let body: unknown;
      try {
        const res = await nodeHttp(`${base}${method}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8", "user-agent": "hookline-action" },
          body: JSON.stringify(args),
          signal: AbortSignal.any(signals),
        });
        if (res.status !== 200) throw slackError(method, { status: res.status, retryAfter: res.headers["retry-after"] ?? null });
        body = JSON.parse(res.text);
      } catch (err) {
        if (err instanceof ActionError) throw err;
        if (signal?.aborted && signal.reason instanceof ActionError) throw signal.reason;
        if (err instanceof SyntaxError) throw slackError(method, { error: "invalid_response" });
        throw slackError(method, { network: err instanceof Error ? err.message : String(err) });
      }
      if (typeof body !== "object" || body === null) throw slackError(method, { error: "invalid_response" });
      const answer = body as Record<string, unknown>;
      if (answer.ok !== true) throw slackError(method, { error: String(answer.error ?? "unknown_error") });
      return answer;
    },
  };
}
