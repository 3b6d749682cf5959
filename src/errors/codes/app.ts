/** Codes of the GitHub App: the deliveries GitHub sends, its installations, and its pull-request check. */
import type { CodeTable } from "./table.js";

export const APP_CODES = {
  HOOKLINE_GITHUB_APP_NOT_CONFIGURED: {
    summary: "A GitHub App delivery reached a server without the App's variables.",
    fix: "Set APP_ID, WEBHOOK_SECRET and PRIVATE_KEY (or PRIVATE_KEY_PATH) in the server's environment.",
  },
  HOOKLINE_DELIVERY_TOO_LARGE: {
    summary: "A delivery is larger than the server accepts.",
    fix: "Nothing to fix for GitHub's own deliveries (they are smaller); check what sends this one.",
  },
  HOOKLINE_DELIVERY_CONTENT_TYPE: {
    summary: "A delivery is not application/json.",
    fix: "Set the App's webhook content type to JSON.",
  },
  HOOKLINE_DELIVERY_HEADERS: {
    summary: "A delivery lacks GitHub's headers (event, delivery id, signature).",
    fix: "Set a webhook secret on the App; check that a proxy does not drop the X-GitHub-* headers.",
  },
  HOOKLINE_DELIVERY_SIGNATURE: {
    summary: "A delivery's X-Hub-Signature-256 does not match its body and the App's webhook secret.",
    fix: "Set WEBHOOK_SECRET to the secret in the App's settings.",
  },
  HOOKLINE_DELIVERY_JSON: {
    summary: "A delivery's body is not valid JSON.",
    fix: "Nothing to fix for GitHub's own deliveries; check what sends this one.",
  },
  HOOKLINE_DELIVERY_FAILED: {
    summary: "A delivery could not be stored (the database failed).",
    fix: "Check the database; GitHub can redeliver the delivery from the App's settings.",
  },
  HOOKLINE_APP_SCOPE: {
    summary: "The GitHub App was asked to serve a scope that is not a repository.",
    fix: "Nothing to fix in configuration (a bug if it reaches you): report it.",
  },
  HOOKLINE_APP_NOT_INSTALLED: {
    summary: "An automation acts on a repository where the GitHub App is not installed.",
    fix: "Install the App on that repository, or remove the automations that act on it.",
  },
  HOOKLINE_AUTOMATIONS_TOO_LARGE: {
    summary: "The repository's automations file is larger than the App reads.",
    fix: "Split it or remove automations nobody uses.",
  },
  HOOKLINE_APP_SETUP_KEY: {
    summary: "The GitHub App setup page was opened without its setup key.",
    fix: "Open the full URL the server printed at start (`GitHub App setup: open …`), or run `hookline setup github-app`.",
  },
  HOOKLINE_APP_SETUP_CLOSED: {
    summary: "The GitHub App is already configured: the setup page is gone.",
    fix: "Delete the App's env file and restart to set up another App.",
  },
  HOOKLINE_APP_SETUP_BAD_ORG: {
    summary: "The organisation given to the setup is not an organisation login.",
    fix: "Use the organisation's login (letters, digits, hyphens).",
  },
  HOOKLINE_APP_SETUP_BAD_STATE: {
    summary: "GitHub's answer does not carry a state this setup page issued in the last hour; nothing was written.",
    fix: "Start again from the setup page.",
  },
  HOOKLINE_APP_SETUP_BAD_CODE: { summary: "The code GitHub sent back is malformed.", fix: "Start the setup again." },
  HOOKLINE_APP_SETUP_CONVERSION_FAILED: {
    summary: "GitHub refused to convert the App manifest (codes work once and expire after an hour).",
    fix: "Start the setup again.",
  },
  HOOKLINE_APP_SETUP_BAD_CONVERSION: {
    summary: "GitHub's answer to the manifest conversion is not an App with credentials.",
    fix: "Start the setup again; if it persists, report it with the message.",
  },
  HOOKLINE_APP_SETUP_FILE_EXISTS: {
    summary: "The App's env file already holds a GitHub App.",
    fix: "Delete it to register another (and delete the old App in GitHub's settings).",
  },
  HOOKLINE_APP_SETUP_NO_FILE: {
    summary: "An in-memory data folder keeps no files, so the App's credentials have nowhere to go.",
    fix: "Pass --data-dir or set HOOKLINE_GITHUB_APP_FILE.",
  },
  HOOKLINE_APP_SETUP_UNWRITABLE: {
    summary: "The App's env file cannot be written.",
    fix: "Set HOOKLINE_GITHUB_APP_FILE to a writable path, or fix the data folder's permissions.",
  },
  HOOKLINE_APP_SETUP_NO_WEBHOOK_URL: {
    summary: "GitHub needs a URL to deliver the App's webhooks to.",
    fix: "Set HOOKLINE_PUBLIC_URL to the server's public address, or WEBHOOK_PROXY_URL to a webhook proxy channel.",
  },
  HOOKLINE_WEBHOOK_PROXY_UNREACHABLE: {
    summary: "The webhook proxy channel cannot be reached: no deliveries are relayed.",
    fix: "Check WEBHOOK_PROXY_URL, or unset it.",
  },
} as const satisfies CodeTable;
