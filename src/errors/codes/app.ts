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
} as const satisfies CodeTable;
