/** Codes of the Slack bot (bots/slack/README.md): its configuration, slack.yaml, and what it answers. */
import type { CodeTable } from "./table.js";

export const SLACK_CODES = {
  HOOKLINE_SLACK_CONFIG: {
    summary: "The Slack bot is missing a token or secret it needs to start.",
    fix: "Set the variable the message names (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_APP_TOKEN for Socket Mode).",
  },
  HOOKLINE_SLACK_NOT_CONFIGURED: {
    summary: "A Slack request reached a server without the Slack bot's variables.",
    fix: "Set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN in the server's environment (bots/slack/README.md).",
  },
  HOOKLINE_SLACK_REFUSED: {
    summary: "A Slack request was refused (bad signature, too old, too large).",
    fix: "Check that SLACK_SIGNING_SECRET is the app's signing secret and the server's clock is right.",
  },
  HOOKLINE_SLACK_POLICY_INVALID: {
    summary: "slack.yaml (who may pause and resume automations from Slack) has errors.",
    fix: "Fix the problems listed with their positions.",
  },
  HOOKLINE_SLACK_RULE_TOO_BROAD: {
    summary: "A slack.yaml rule names nobody: it would let anyone in the workspace change automations.",
    fix: "Name the users or user groups (and channels) the rule is for.",
  },
  HOOKLINE_SLACK_ERROR: {
    summary: "Slack's API answered with an error to a notification or command.",
    fix: "Read Slack's error in the message (`not_in_channel`: invite the bot; `invalid_auth`: check the token).",
  },
  HOOKLINE_SLACK_EXECUTE: {
    summary: "A Slack button (re-run, cancel) could not run its action.",
    fix: "Read the reason in the answer; check the GitHub App's access to the repository.",
  },
} as const satisfies CodeTable;
