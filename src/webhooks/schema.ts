/** The zod schema of `webhooks.yaml` (shape only; cross-field rules live in load.ts). */
import { z } from "zod";
import { WEBHOOK_METHODS } from "./types.js";

/** url-safe: lower-case letters, digits, `-` and `_`, starting and ending with a letter or digit, ≤ 64 chars */
export const SLUG_RE = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;
/** `server`, or a repository scope `repo:<owner>/<name>` */
const SCOPE_RE = /^(server|repo:[A-Za-z0-9-]{1,100}\/[A-Za-z0-9._-]{1,100})$/;
/** an HTTP header name (RFC 9110 token) */
const HEADER_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the NAME of an environment variable (letters, digits, _)");

export const Signature = z
  .strictObject({
    header: z
      .string()
      .regex(HEADER_RE, "expected an HTTP header name, e.g. X-Signature-256")
      .describe("the request header carrying the signature"),
    algorithm: z.enum(["sha256", "sha1"]).default("sha256").describe("the HMAC's hash (over the raw body)"),
    secret_env: EnvName.describe("environment variable holding the HMAC key"),
    prefix: z.string().max(64).optional().describe('text before the hex digest; default "<algorithm>="'),
  })
  .meta({ id: "WebhookSignature" });

export const Webhook = z
  .strictObject({
    slug: z
      .string()
      .regex(SLUG_RE, "slug must be url-safe: lower-case letters, digits, - and _ (at most 64), e.g. mainframe-kickoff")
      .describe("the webhook's address: `/hooks/<slug>`"),
    description: z.string().default("").describe("free text for people"),
    methods: z
      .array(z.enum(WEBHOOK_METHODS))
      .min(1, "methods must list at least one method")
      .optional()
      .describe("the HTTP methods accepted (default: all); others get 405"),
    template: z
      .union([z.string().min(1, "template must not be empty"), z.record(z.string(), z.unknown())])
      .optional()
      .describe("a Jinja string producing the event's JSON, or a mapping whose string values are templates"),
    cloudevents: z.boolean().optional().describe("the request is a CloudEvent (binary or structured mode)"),
    secret_env: EnvName.optional().describe("environment variable holding a shared secret"),
    signature: Signature.optional().describe("authenticate by an HMAC of the body in a header (GitHub-style)"),
    auth: z
      .enum(["none", "slug"])
      .optional()
      .describe(
        "without secret_env or signature: `slug` (the slug itself is the secret: 32 random hex characters or more) or `none` (anyone who can reach the server may send events; logged as a warning at start)",
      ),
    scopes: z
      .array(z.string().regex(SCOPE_RE, 'expected `server` or `repo:<owner>/<name>`, e.g. "repo:acme/api"'))
      .min(1, "scopes must list at least one scope")
      .optional()
      .describe("the scopes whose automations evaluate this webhook's events (default: [server], the server's own automations)"),
  })
  .meta({ id: "Webhook" });

export const WebhooksFile = z
  .strictObject({ webhooks: z.array(Webhook).describe("the custom webhooks, each at `/hooks/<slug>`") })
  .meta({ title: "hookline webhooks" });

/** The JSON Schema (draft 2020-12) of webhooks.yaml: the source of its reference in docs/configuration.md. */
export function webhooksJsonSchema(): object {
  return z.toJSONSchema(WebhooksFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

export type RawWebhook = z.output<typeof Webhook>;
