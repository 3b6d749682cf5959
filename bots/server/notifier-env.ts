/**
 * Which of the server scope's notifiers wait for an environment variable that is unset, so the start log can say
 * so before the first alert fails (the GitHub token and the webhook secrets are named the same way). The variable
 * each type reads is the one src/executors/notify.ts reads; a set but blank variable counts as unset, as there.
 */
import type { Notifier } from "../../src/automations/index.js";
import { SLACK_TOKEN_DEPRECATED_ENV, SLACK_TOKEN_FALLBACK_ENV, SMTP_URL_FALLBACK_ENV } from "../../src/executors/index.js";

export interface MissingNotifierEnv {
  notifier: string;
  /** the variable to set (a Slack notifier without token_env or webhook_url_env: the bot token) */
  env: string;
}

const set = (env: Readonly<Record<string, string | undefined>>, name: string | undefined) =>
  name !== undefined && (env[name]?.trim() ?? "") !== "";

function usable(n: Notifier, env: Readonly<Record<string, string | undefined>>): { ok: boolean; env: string } {
  switch (n.type) {
    case "webhook":
      return { ok: set(env, n.url_env), env: n.url_env };
    case "teams":
      return { ok: set(env, n.webhook_url_env), env: n.webhook_url_env };
    case "email": {
      const name = n.smtp_url_env ?? SMTP_URL_FALLBACK_ENV;
      return { ok: set(env, name), env: name };
    }
    case "slack": {
      const token = n.token_env ?? (n.webhook_url_env === undefined ? SLACK_TOKEN_FALLBACK_ENV : undefined);
      const ok =
        set(env, token) ||
        set(env, n.webhook_url_env) ||
        (token === SLACK_TOKEN_FALLBACK_ENV && n.token_env === undefined && set(env, SLACK_TOKEN_DEPRECATED_ENV));
      return { ok, env: token ?? n.webhook_url_env! };
    }
  }
}

export function missingNotifierEnv(
  notifiers: Readonly<Record<string, Notifier>>,
  env: Readonly<Record<string, string | undefined>>,
): MissingNotifierEnv[] {
  return Object.entries(notifiers).flatMap(([notifier, n]) => {
    const u = usable(n, env);
    return u.ok ? [] : [{ notifier, env: u.env }];
  });
}
