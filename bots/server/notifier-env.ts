/**
 * Which of the server scope's notifiers wait for an environment variable that is unset, so the start log can say
 * so before the first alert fails (the GitHub token and the webhook secrets are named the same way). Which
 * variables a notifier reads is the executor's rule (notifierEnv); a set but blank variable counts as unset, as there.
 */
import type { Notifier } from "../../src/automations/index.js";
import { notifierEnv } from "../../src/executors/index.js";

export interface MissingNotifierEnv {
  notifier: string;
  /** the variable to set (a Slack notifier without token_env or webhook_url_env: the bot token) */
  env: string;
}

export function missingNotifierEnv(
  notifiers: Readonly<Record<string, Notifier>>,
  env: Readonly<Record<string, string | undefined>>,
): MissingNotifierEnv[] {
  return Object.entries(notifiers).flatMap(([notifier, n]) => {
    const names = notifierEnv(n);
    return names.some((name) => (env[name]?.trim() ?? "") !== "") ? [] : [{ notifier, env: names[0]! }];
  });
}
