/** Shared helpers: load webhooks from YAML text, build requests. */
import { loadWebhooks, type WebhookDef, type WebhookRequest } from "../../src/webhooks/index.js";

export const T0 = Date.parse("2024-06-03T09:00:00.000Z");

/** The webhooks of a YAML text; fails the test when it has an error. */
export function hooks(yaml: string): WebhookDef[] {
  const r = loadWebhooks(yaml, "webhooks.yaml");
  const errors = r.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((p) => `${p.line}:${p.col}: ${p.code}: ${p.message}`).join("\n"));
  return r.webhooks;
}

/** The one webhook of a YAML snippet that starts at the first key of the list item. */
export function hook(entry: string): WebhookDef {
  // tests about other rules: a webhook with no authentication of its own says `auth: none` (see load.test.ts)
  const authed = /^\s*(secret_env|signature|auth):/m.test(entry) ? entry.trim() : `${entry.trim()}\nauth: none`;
  const indented = authed
    .split("\n")
    .map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`))
    .join("\n");
  return hooks(`webhooks:\n${indented}\n`)[0]!;
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function request(over: Partial<WebhookRequest> & { json?: unknown; text?: string } = {}): WebhookRequest {
  const { json, text, ...rest } = over;
  const headers: Record<string, string> = {
    ...(json !== undefined ? { "content-type": "application/json" } : {}),
    ...(rest.headers ?? {}),
  };
  const body = rest.body ?? (json !== undefined ? bytes(JSON.stringify(json)) : text !== undefined ? bytes(text) : new Uint8Array(0));
  return { method: "POST", query: {}, receivedAt: T0, requestId: "req-1", ...rest, headers, body };
}
