/**
 * Codes of actions (what an automation does, in every runtime) and of the GitHub Action runtime
 * (docs/action.md): inputs, the runner's environment, the API calls it makes.
 */
import type { CodeTable } from "./table.js";

export const ACTION_CODES = {
  HOOKLINE_ACTION_HTTP_ERROR: {
    summary: "The service an action called answered with an HTTP error (408, 429 and 5xx are retried).",
    fix: "Read the status and answer in the message; check the URL, the token and its permissions.",
  },
  HOOKLINE_ACTION_RATE_LIMITED: {
    summary: "The service an action called is rate-limiting (the action is retried after the time it asks).",
    fix: "Nothing to fix for one occurrence; if it persists, make the automations act less often.",
  },
  HOOKLINE_ACTION_NETWORK_ERROR: {
    summary: "An action's request failed on the network (DNS, connection refused, reset); it is retried.",
    fix: "Check the host name and that the service is reachable from where hookline runs.",
  },
  HOOKLINE_ACTION_TIMEOUT: {
    summary: "An action's request took longer than its timeout (it is retried).",
    fix: "Raise the action's `timeout`, or check the service's health.",
  },
  HOOKLINE_ACTION_NOT_FOUND: {
    summary:
      "The service answered 404: the repository, issue, workflow or URL the action names does not exist (or the token cannot see it).",
    fix: "Check the names in the action and the token's access.",
  },
  HOOKLINE_ACTION_INVALID_PARAMS: {
    summary: "An action's parameters are not valid once rendered.",
    fix: "Fix the parameter the message names (templates may have rendered an empty or wrong value).",
  },
  HOOKLINE_ACTION_NO_SOURCE: {
    summary: "An action infers its target from the triggering event, which is not about one.",
    fix: "Set the target explicitly (`run_id`, `number`), or trigger on events about that kind of resource.",
  },
  HOOKLINE_ACTION_UNAVAILABLE: {
    summary: "The action needs a service this runtime does not provide (the GitHub API, Slack, mail, a pause store).",
    fix: "Provide it: the `github-token` input in the Action; HOOKLINE_GITHUB_TOKEN, the GitHub App, the Slack bot or HOOKLINE_SMTP_URL on the server.",
  },
  HOOKLINE_ACTION_INVALID_EVENT: {
    summary: "An emit-event action rendered an event that does not fit the schema.",
    fix: "Fix the action's `event`, `resource` and `payload` so the event is valid.",
  },
  HOOKLINE_ACTION_RESERVED_EVENT_NAME: {
    summary: "An emit-event action rendered an event name reserved for another source.",
    fix: "Emit an event name of your own.",
  },
  HOOKLINE_ACTION_UNKNOWN_TYPE: {
    summary: "An action of a type this runtime does not know reached it (a newer configuration than the runtime).",
    fix: "Use the same hookline version to validate and to run.",
  },
  HOOKLINE_ACTION_RUNTIME_UNAVAILABLE: {
    summary: "The server had no ports (GitHub, Slack, mail) for the scope of a queued action when it ran.",
    fix: "Check that the GitHub App is installed on the repository and the server's services are configured.",
  },
  HOOKLINE_UNKNOWN_NOTIFIER: {
    summary: "A notify action names a notifier that is not defined.",
    fix: "Define it under `notifiers:` or use a defined name.",
  },
  HOOKLINE_SECRET_MISSING: {
    summary: "The environment variable holding a secret an action needs is not set.",
    fix: "In a workflow set it on the hookline step (`env: NAME: ${{ secrets.NAME }}`); on the server, in its environment (HOOKLINE_REPO_ENV_ALLOW for repository automations).",
  },
  HOOKLINE_SMTP_ERROR: {
    summary: "The mail server refused or failed to take the message.",
    fix: "Check the SMTP URL, its credentials, and the recipients.",
  },
  HOOKLINE_ACTION_INPUT: {
    summary: "An input of the Action is missing or not valid.",
    fix: "Fix the input the message names in the workflow's `with:` (docs/action.md lists them).",
  },
  HOOKLINE_ACTION_EMIT: {
    summary: "The Action's event inputs (mode `emit`) are too large or not YAML/JSON.",
    fix: "Pass the resource and payload as YAML or JSON within the size the message names.",
  },
  HOOKLINE_ACTION_RUNNER_ENV: {
    summary: "A variable the GitHub runner sets is missing or malformed: the step is not running on a GitHub runner.",
    fix: "Run hookline as a step of a GitHub Actions job.",
  },
  HOOKLINE_ACTION_EVENT_FILE: {
    summary: "The event file (GITHUB_EVENT_PATH) is not JSON.",
    fix: "Run hookline as a step of a GitHub Actions job; the runner writes that file.",
  },
  HOOKLINE_ACTION_API: {
    summary: "A GitHub API call of the Action (reading the automations, listing jobs) failed.",
    fix: "Check the token's permissions (`contents: read`, `actions: read`) and re-run the job.",
  },
  HOOKLINE_ACTION_AUTOMATIONS_MISSING: {
    summary: "The automations file the Action reads does not exist.",
    fix: "Create it, or point the `automations` input at it.",
  },
  HOOKLINE_ACTION_AUTOMATIONS_INVALID: {
    summary: "The automations file has errors (annotated in the run).",
    fix: "Fix them; `mode: validate` on pull requests catches them before they reach the default branch.",
  },
  HOOKLINE_ACTION_AUTOMATIONS_TOO_LARGE: {
    summary: "The automations file is larger than the Action reads.",
    fix: "Split it or remove automations nobody uses.",
  },
  HOOKLINE_ACTION_NOTIFY_JOB: {
    summary: "Mode `notify` cannot tell which in-progress job runs this step.",
    fix: "Give the job a `name:` equal to its key, or run the notify step on a runner of its own.",
  },
  HOOKLINE_ACTION_INTERNAL: {
    summary: "The Action failed in a way it did not expect (a bug).",
    fix: "Report it with the log of the step.",
  },
} as const satisfies CodeTable;
