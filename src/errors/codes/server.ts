/**
 * Codes of the server: its environment (checked at start, `hookline serve` exits 2) and the JSON answers of its
 * HTTP API (`{ "error": { "code", "message", "docs" } }`).
 */
import type { CodeTable } from "./table.js";

export const SERVER_CODES = {
  HOOKLINE_CONFIG_BAD_PORT: { summary: "PORT (or --port) is not a TCP port.", fix: "Use a number from 0 to 65535 (0 picks a free one)." },
  HOOKLINE_CONFIG_BAD_HOST: {
    summary: "HOST (or --host) is not a host.",
    fix: "Use 127.0.0.1 (default), 0.0.0.0 for every interface, or an address of this machine.",
  },
  HOOKLINE_CONFIG_BAD_URL: { summary: "A URL setting is not an http(s) URL.", fix: "Use the URL form the message shows." },
  HOOKLINE_CONFIG_BAD_APP_ID: { summary: "APP_ID is not a number.", fix: "Copy the App ID from the GitHub App's settings page." },
  HOOKLINE_CONFIG_BAD_PRIVATE_KEY: {
    summary: "PRIVATE_KEY (or the file PRIVATE_KEY_PATH names) is not a PEM private key.",
    fix: "Use the .pem file GitHub generated for the App.",
  },
  HOOKLINE_CONFIG_PRIVATE_KEY_TWICE: { summary: "Both PRIVATE_KEY and PRIVATE_KEY_PATH are set.", fix: "Keep one." },
  HOOKLINE_CONFIG_PRIVATE_KEY_UNREADABLE: {
    summary: "The file PRIVATE_KEY_PATH names cannot be read.",
    fix: "Point it at the .pem file downloaded from the GitHub App's settings, readable by the server.",
  },
  HOOKLINE_CONFIG_GITHUB_APP_INCOMPLETE: {
    summary: "Some of the GitHub App's variables are set, not all.",
    fix: "Set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET together, or unset all three to run without the App.",
  },
  HOOKLINE_CONFIG_BAD_SLACK_TOKEN: {
    summary: "SLACK_BOT_TOKEN is not a bot token.",
    fix: "Use the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page.",
  },
  HOOKLINE_CONFIG_BAD_DATABASE_URL: {
    summary: "DATABASE_URL is not a postgres:// URL.",
    fix: "Use a postgres:// (or postgresql://) URL, or unset it to use the embedded database in HOOKLINE_DATA_DIR.",
  },
  HOOKLINE_CONFIG_BAD_LOG_LEVEL: { summary: "LOG_LEVEL is not a log level.", fix: "Use one of the levels the message lists." },
  HOOKLINE_CONFIG_BAD_REPOSITORY: {
    summary: "HOOKLINE_GITHUB_REPOSITORY or an entry of HOOKLINE_ACTION_REPOSITORIES is not owner/name.",
    fix: "Write repositories as owner/name (comma-separated for a list).",
  },
  HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW: {
    summary: "HOOKLINE_REPO_ENV_ALLOW names something that is not an environment variable name, or an HOOKLINE_ORG_ variable.",
    fix: "List exact variable names, comma-separated; organisation variables reach their repositories by themselves.",
  },
  HOOKLINE_CONFIG_BAD_EGRESS_ALLOW: {
    summary: "HOOKLINE_EGRESS_ALLOW has an entry that is not an address, a network or a host.",
    fix: "List addresses, CIDR networks or host names, comma-separated (docs/egress.md).",
  },
  HOOKLINE_CONFIG_BAD_EGRESS_SCOPES: {
    summary: "HOOKLINE_EGRESS_SCOPES is neither `repositories` nor `all`.",
    fix: "Use `repositories` (default) or `all`.",
  },
  HOOKLINE_CONFIG_BAD_RETENTION_DAYS: {
    summary: "HOOKLINE_RETENTION_DAYS is out of range.",
    fix: "Use whole days from 1 to 3650, or 0 to keep everything.",
  },
  HOOKLINE_CONFIG_BAD_CLAIM_SECONDS: {
    summary: "HOOKLINE_CLAIM_SECONDS is out of range.",
    fix: "Use whole seconds from 5 to 3600 (longer than the slowest action's timeout).",
  },
  HOOKLINE_CONFIG_BAD_BODY_BUDGET: {
    summary: "A request-body budget (HOOKLINE_BODY_BUDGET_MB, HOOKLINE_BODY_CLIENT_MB, HOOKLINE_BODY_CLIENT_READS) is out of range.",
    fix: "Use a whole number within the range the message names.",
  },
  HOOKLINE_CONFIG_BAD_TEMPLATE_TIMEOUT_MS: {
    summary: "HOOKLINE_TEMPLATE_TIMEOUT_MS is out of range.",
    fix: "Use a whole number of milliseconds within the range the message names.",
  },
  HOOKLINE_CONFIG_BAD_TEMPLATE_WORKERS: {
    summary: "HOOKLINE_TEMPLATE_WORKERS is out of range.",
    fix: "Use a whole number of workers within the range the message names.",
  },
  HOOKLINE_CONFIG_DIR_MISSING: {
    summary: "HOOKLINE_CONFIG_DIR (or --config-dir) is not a folder.",
    fix: "Create it with webhooks.yaml and/or automations.yaml, or unset it to use the embedded example.",
  },
  HOOKLINE_CONFIG_UNREADABLE: { summary: "A configuration file cannot be read.", fix: "Check its permissions." },
  HOOKLINE_CONFIG_INVALID: {
    summary: "The server's configuration files have errors (listed with their positions).",
    fix: "Fix them; `hookline validate <file>` checks the automations.",
  },
  HOOKLINE_CONFIG_WEAK_API_TOKEN: {
    summary: "The API token is shorter than 16 characters.",
    fix: "Set a longer HOOKLINE_API_TOKEN, or delete the token file (a new one is created on start).",
  },
  HOOKLINE_API_TOKEN_UNREADABLE: {
    summary: "The API token file cannot be read.",
    fix: "Check its permissions, or set HOOKLINE_API_TOKEN.",
  },
  HOOKLINE_API_TOKEN_UNWRITABLE: {
    summary: "The API token file cannot be created.",
    fix: "Set HOOKLINE_API_TOKEN, or HOOKLINE_API_TOKEN_FILE to a writable path.",
  },
  HOOKLINE_PORT_IN_USE: { summary: "The server's port is in use.", fix: "Stop the other process, or set PORT (or --port)." },
  HOOKLINE_API_UNAUTHORIZED: {
    summary: "An API request carries no bearer token.",
    fix: "Send `Authorization: Bearer <token>` (HOOKLINE_API_TOKEN, or the file .hookline/api-token the server created).",
  },
  HOOKLINE_API_BAD_TOKEN: { summary: "An API request's bearer token is not the server's API token.", fix: "Send the server's API token." },
  HOOKLINE_NOT_READY: { summary: "The server is still starting (migrations, workers).", fix: "Retry in a moment." },
  HOOKLINE_SERVER_BUSY: {
    summary: "The server is reading as many request bodies as it may hold at once; nothing of this one was kept.",
    fix: "Send the request again after the Retry-After seconds.",
  },
  HOOKLINE_BAD_URL: { summary: "The request target is not a valid path.", fix: "Send a valid URL path." },
  HOOKLINE_NOT_FOUND: { summary: "No endpoint has that path.", fix: "Check the path (the API's endpoints are under /api/)." },
  HOOKLINE_METHOD_NOT_ALLOWED: { summary: "The endpoint does not take that method.", fix: "Use a method the answer's Allow header lists." },
  HOOKLINE_UNSUPPORTED_MEDIA_TYPE: { summary: "The body is not JSON.", fix: "Send JSON with `Content-Type: application/json`." },
  HOOKLINE_MALFORMED_JSON: { summary: "The body is not valid JSON.", fix: "Send valid JSON." },
  HOOKLINE_BODY_TOO_LARGE: { summary: "The body is larger than the API accepts.", fix: "Send smaller batches." },
  HOOKLINE_BAD_BATCH: {
    summary: "`events` is not a non-empty list.",
    fix: 'Send one event, or `{ "events": [ ... ] }` with at least one.',
  },
  HOOKLINE_BATCH_TOO_LARGE: {
    summary: "More events in one request than the API takes.",
    fix: "Send at most the number the message names per request.",
  },
  HOOKLINE_INVALID_EVENTS: {
    summary: "Some events of the request are invalid; none was stored.",
    fix: "Fix the events at the indices the answer lists and send the request again.",
  },
  HOOKLINE_BAD_QUERY: { summary: "A query parameter of the events API is not valid.", fix: "Fix the parameter the message names." },
  HOOKLINE_BAD_PAUSE: {
    summary: 'A pause request\'s body is not `{ "for": "<duration>" }`.',
    fix: 'Send no body, or { "for": "30m" }.',
  },
  HOOKLINE_SCOPE_NOT_FOUND: { summary: "No scope has that name.", fix: "Use one of the scopes the message lists." },
  HOOKLINE_AUTOMATION_NOT_FOUND: {
    summary: "No automation has that name in the scope.",
    fix: "Use an automation's name (the answer suggests the nearest).",
  },
  HOOKLINE_CONSOLE_NOT_BUILT: {
    summary: "The web console is not built in this checkout.",
    fix: "Run `npm run build` (npm ci runs it), then reload.",
  },
  HOOKLINE_BAD_SIGN_IN: { summary: 'A console sign-in\'s body is not `{ "token": ... }`.', fix: 'Send { "token": "<the API token>" }.' },
  HOOKLINE_SIGN_IN_FAILED: {
    summary: "A console sign-in gave a wrong API token.",
    fix: "Sign in with the server's API token (HOOKLINE_API_TOKEN, or .hookline/api-token).",
  },
  HOOKLINE_SIGN_IN_RATE_LIMITED: {
    summary: "Too many wrong tokens from this address.",
    fix: "Wait the seconds the message names, then sign in with the right token.",
  },
  HOOKLINE_SESSION_EXPIRED: {
    summary: "The console session has ended (signed out, expired, or the server restarted).",
    fix: "Sign in again with the API token.",
  },
  HOOKLINE_NO_SESSION: { summary: "Sign-out was sent without a console session.", fix: "Send the session cookie, not the bearer token." },
  HOOKLINE_CSRF_REQUIRED: {
    summary: "A write with the session cookie lacks the session's CSRF token.",
    fix: "Send the CSRF token GET /api/session gives in the header the message names.",
  },
  HOOKLINE_TOO_MANY_STREAMS: {
    summary: "The server has as many live feeds open as it allows.",
    fix: "Close one (or another tab) and retry.",
  },
  HOOKLINE_EVENT_NOT_FOUND: { summary: "No stored event has that id.", fix: "Check the id (events older than the retention are pruned)." },
  HOOKLINE_DELIVERY_NOT_FOUND: { summary: "No delivery has that id.", fix: "Check the id." },
  HOOKLINE_NOT_REDELIVERABLE: {
    summary: "Only a failed or dead delivery can be redelivered.",
    fix: "Wait for the delivery to finish; a redelivery already queued is pending until it runs.",
  },
  HOOKLINE_WHAT_IF_BAD_REQUEST: { summary: "A what-if request's body is not valid.", fix: "Send the fields the message names." },
  HOOKLINE_WHAT_IF_BAD_RANGE: {
    summary: "A what-if request's time range is not valid.",
    fix: "Send `from` and `to` as times, `from` before `to`.",
  },
  HOOKLINE_WHAT_IF_RANGE_TOO_LONG: { summary: "A what-if request's range is longer than allowed.", fix: "Ask for a shorter range." },
  HOOKLINE_WHAT_IF_BUSY: { summary: "The server is running as many what-if replays as it allows.", fix: "Retry in a moment." },
  HOOKLINE_WHAT_IF_TIMEOUT: {
    summary: "A what-if replay ran longer than its deadline and was stopped.",
    fix: "Ask for a shorter range or fewer automations.",
  },
  HOOKLINE_WHAT_IF_FAILED: {
    summary: "A what-if replay failed.",
    fix: "Read the message; check the automations with `hookline validate`.",
  },
  HOOKLINE_WHAT_IF_CLOSED: { summary: "The what-if runner was closed (the server is stopping).", fix: "Retry once the server is up." },
} as const satisfies CodeTable;
