/** Codes of custom webhooks: webhooks.yaml problems, and the answers `POST /hooks/<slug>` gives a sender. */
import type { CodeTable } from "./table.js";

export const WEBHOOKS_CODES = {
  HOOKLINE_NO_WEBHOOKS: {
    summary: "webhooks.yaml defines no webhooks (a warning).",
    fix: "Add webhooks under `webhooks:`.",
  },
  HOOKLINE_DUPLICATE_SLUG: {
    summary: "Two webhooks have the same slug.",
    fix: "Give each webhook its own slug.",
  },
  HOOKLINE_WEBHOOK_NO_TEMPLATE: {
    summary: "A webhook has neither a `template` nor `cloudevents: true`.",
    fix: "Add a `template` that turns the body into an event, or set `cloudevents: true`.",
  },
  HOOKLINE_WEBHOOK_TEMPLATE_AND_CLOUDEVENTS: {
    summary: "A webhook has both a `template` and `cloudevents: true`.",
    fix: "Keep one of them.",
  },
  HOOKLINE_WEBHOOK_TEMPLATE_NOT_JSON: {
    summary: "A webhook's template is not JSON.",
    fix: "Write the template as a JSON object with templated values.",
  },
  HOOKLINE_WEBHOOK_TEMPLATE_NOT_EVENT: {
    summary: "A webhook's template does not produce a JSON object (an event).",
    fix: "Make the template a JSON object with `event` and `resource`.",
  },
  HOOKLINE_WEBHOOK_AUTH_CONFLICT: {
    summary: "A webhook sets both `secret_env` (shared secret) and `signature` (HMAC).",
    fix: "Keep one of the two.",
  },
  HOOKLINE_WEBHOOK_SLUG_GUESSABLE: {
    summary: "`auth: slug` with a slug that can be guessed.",
    fix: "Use a random slug of at least 128 bits (e.g. `openssl rand -hex 16`), or authenticate with a secret.",
  },
  HOOKLINE_WEBHOOK_UNAUTHENTICATED: {
    summary: "A webhook has no authentication: anyone who can reach the server could send its events.",
    fix: "Add `secret_env`, `signature`, or `auth: slug` with a random slug.",
  },
  HOOKLINE_WEBHOOK_RESERVED_NAME: {
    summary: "A webhook's event uses a reserved name (`github.*`, `hookline.*`, ...), which would impersonate another source.",
    fix: "Use an event name of your own.",
  },
  HOOKLINE_WEBHOOK_NOT_FOUND: {
    summary: "No webhook has the slug of the request.",
    fix: "Check the URL against webhooks.yaml (the answer suggests the nearest slug).",
  },
  HOOKLINE_WEBHOOK_METHOD_NOT_ALLOWED: {
    summary: "A webhook was called with a method other than POST.",
    fix: "Send a POST.",
  },
  HOOKLINE_WEBHOOK_BODY_TOO_LARGE: {
    summary: "The webhook's body is larger than the server accepts.",
    fix: "Send a smaller body.",
  },
  HOOKLINE_WEBHOOK_UNSUPPORTED_CONTENT_TYPE: {
    summary: "The webhook's body has a content type the webhook does not read.",
    fix: "Send JSON (`application/json`) or form data, as the webhook expects.",
  },
  HOOKLINE_WEBHOOK_AUTH_MISSING: {
    summary: "The request carries no secret or signature.",
    fix: "Send the secret or signature header the webhook's configuration names.",
  },
  HOOKLINE_WEBHOOK_AUTH_WRONG: {
    summary: "The request's secret or signature does not match.",
    fix: "Check the secret the sender uses against the one in the server's environment.",
  },
  HOOKLINE_WEBHOOK_SECRET_NOT_SET: {
    summary: "The environment variable holding the webhook's secret is not set on the server; every request is refused.",
    fix: "Set the variable `secret_env` names in the server's environment.",
  },
  HOOKLINE_WEBHOOK_BAD_BODY: {
    summary: "The webhook's body cannot be read (not valid JSON or form data).",
    fix: "Send a body of the declared content type.",
  },
  HOOKLINE_WEBHOOK_TEMPLATE_FAILED: {
    summary: "The webhook's template failed on this body.",
    fix: "Fix the template, or send a body with the fields it reads.",
  },
  HOOKLINE_WEBHOOK_OUTPUT_NOT_JSON: {
    summary: "The webhook's template produced text that is not JSON for this body.",
    fix: "Use the `tojson` filter for values that may hold quotes or newlines.",
  },
  HOOKLINE_WEBHOOK_INVALID_EVENT: {
    summary: "The webhook's template produced an event that does not fit the schema.",
    fix: "Fix the template so every event has valid `event` and `resource` fields.",
  },
  HOOKLINE_WEBHOOK_NOT_A_CLOUDEVENT: {
    summary: "A `cloudevents: true` webhook received a body that is not a CloudEvent.",
    fix: "Send a CloudEvent (structured JSON or binary mode with `ce-*` headers).",
  },
} as const satisfies CodeTable;
