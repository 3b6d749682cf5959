/**
 * loadWebhooks: text of a webhooks.yaml → webhook definitions, or positioned problems (the same reader, locator,
 * zod-issue mapping and template static check as automations.yaml). Never throws. Any error → no webhooks.
 */
import type { Problem } from "../automations/problems.js";
import { sortProblems } from "../automations/problems.js";
import { readListFile, rewordListProblem, type ListFileKind } from "../automations/list-file.js";
import type { SourceLocator } from "../automations/source-locator.js";
import { checkTemplates } from "../automations/template-positions.js";
import { validateEvent } from "../events/event-schema.js";
import { Webhook, WebhooksFile, type RawWebhook } from "./schema.js";
import { hasNoPlaceholders, templateSymbols } from "./template-vars.js";
import { WEBHOOK_METHODS, type WebhookAuth, type WebhookDef } from "./types.js";

export interface WebhooksLoadResult {
  /** [] when any error was found */
  webhooks: WebhookDef[];
  /** errors first, then warnings, each by position */
  problems: Problem[];
}

export function loadWebhooks(text: string, file: string): WebhooksLoadResult {
  try {
    return load(text, file);
  } catch (e) {
    return {
      webhooks: [],
      problems: [
        {
          severity: "error",
          code: "HOOKLINE_INTERNAL",
          message: `the webhooks file could not be checked: ${(e as Error)?.message ?? String(e)}`,
          hint: "this is a bug in hookline; please report it with the file",
          file,
          line: 1,
          col: 1,
        },
      ],
    };
  }
}

const KIND: ListFileKind<RawWebhook> = {
  noun: "webhooks",
  key: "webhooks",
  items: "a list of webhooks",
  fileSchema: WebhooksFile,
  itemSchema: Webhook,
};

const reword = (p: Problem): Problem => rewordListProblem(p, KIND);

function fail(problems: Problem[]): WebhooksLoadResult {
  return { webhooks: [], problems: sortProblems(problems.map(reword)) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function load(text: string, file: string): WebhooksLoadResult {
  if (typeof text !== "string") {
    return fail([{ severity: "error", code: "HOOKLINE_NOT_TEXT", message: "the webhooks file must be text", file, line: 1, col: 1 }]);
  }
  const read = readListFile(text, file, KIND);
  if (!read.ok) return fail(read.problems);
  const { problems, loc, valid, entries } = read;
  const firstSlug = new Map<string, number>();
  for (const { raw, index } of entries) {
    const at = ["webhooks", index];
    const seen = firstSlug.get(raw.slug);
    if (seen !== undefined) {
      const { line } = loc.position(["webhooks", seen, "slug"]);
      problems.push(
        loc.problem(
          "error",
          "HOOKLINE_DUPLICATE_SLUG",
          [...at, "slug"],
          `webhook slug \`${raw.slug}\` is already used (line ${line})`,
          "slugs are URLs: make them unique",
        ),
      );
    } else firstSlug.set(raw.slug, index);
    checkEntry(raw, at, loc, problems);
  }
  if (valid && entries.length === 0) {
    problems.push(
      loc.problem("warning", "HOOKLINE_NO_WEBHOOKS", ["webhooks"], "the file defines no webhooks", "add some under `webhooks:`"),
    );
  }
  if (!valid || problems.some((p) => p.severity === "error")) return fail(problems);
  const webhooks = entries.map(({ raw, index }) => toDef(raw, loc.sourcePosition(["webhooks", index])));
  return { webhooks, problems: sortProblems(problems.map(reword)) };
}

function checkEntry(raw: RawWebhook, at: (string | number)[], loc: SourceLocator, out: Problem[]): void {
  const ce = raw.cloudevents === true;
  if (ce && raw.template !== undefined) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_WEBHOOK_TEMPLATE_AND_CLOUDEVENTS",
        [...at, "template"],
        "a webhook has either a `template` or `cloudevents: true`, not both",
        "CloudEvents are turned into events without a template: remove one",
        "key",
      ),
    );
  } else if (!ce && raw.template === undefined) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_WEBHOOK_NO_TEMPLATE",
        at,
        `webhook \`${raw.slug}\` needs a \`template\` (or \`cloudevents: true\`)`,
        'e.g. template: \'{"event": "acme.order.created", "resource": {"prefect.resource.id": "acme.order.{{ body.id }}"}}\'',
      ),
    );
  }
  if (raw.secret_env !== undefined && raw.signature !== undefined) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_WEBHOOK_AUTH_CONFLICT",
        [...at, "signature"],
        "use either `secret_env` (shared secret) or `signature` (HMAC), not both",
        undefined,
        "key",
      ),
    );
  }
  checkAuth(raw, at, loc, out);
  if (raw.template === undefined) return;
  checkTemplates(raw.template, [...at, "template"], "template", loc, out);
  if (typeof raw.template === "string") {
    const tpl = raw.template.trim();
    if (hasNoPlaceholders(tpl)) checkStatic(tpl, [...at, "template"], loc, out);
  } else {
    for (const key of ["event", "resource"]) {
      if (!(key in raw.template)) {
        out.push(
          loc.problem(
            "error",
            "HOOKLINE_MISSING_FIELD",
            [...at, "template"],
            `the template has no \`${key}\`: every event needs \`event\` and \`resource\``,
            'e.g. resource: {prefect.resource.id: "acme.order.{{ body.id }}"}',
          ),
        );
      }
    }
    if (hasNoPlaceholders(raw.template)) checkStatic(raw.template, [...at, "template"], loc, out);
  }
}

/**
 * Every webhook authenticates (issue 12): a shared secret, an HMAC signature, or a slug that is itself a secret
 * (at least 128 random bits). Anything else must say `auth: none` out loud.
 */
function checkAuth(raw: RawWebhook, at: (string | number)[], loc: SourceLocator, out: Problem[]): void {
  const keyed = raw.secret_env !== undefined || raw.signature !== undefined;
  if (raw.auth !== undefined && keyed) {
    out.push(
      loc.problem(
        "error",
        "HOOKLINE_WEBHOOK_AUTH_CONFLICT",
        [...at, "auth"],
        `\`auth: ${raw.auth}\` is for webhooks without \`secret_env\` or \`signature\``,
        "remove `auth`: the secret or the signature authenticates the webhook",
        "key",
      ),
    );
    return;
  }
  if (keyed || raw.auth === "none") return;
  if (isSecretSlug(raw.slug)) return;
  const fix = `add \`secret_env: NAME\` (a shared secret) or \`signature:\` (an HMAC of the body); or make the slug the secret: 32 random hex characters (\`node -e "console.log(require('node:crypto').randomBytes(16).toString('hex'))"\`) and \`auth: slug\`; or, if anyone who can reach the server may send this, write \`auth: none\``;
  out.push(
    raw.auth === "slug"
      ? loc.problem(
          "error",
          "HOOKLINE_WEBHOOK_SLUG_GUESSABLE",
          [...at, "slug"],
          `\`auth: slug\` needs a random slug of at least 128 bits; \`${raw.slug}\` can be guessed`,
          "use 32 random hex characters (or 26 random lower-case letters and digits), e.g. from `node -e \"console.log(require('node:crypto').randomBytes(16).toString('hex'))\"`",
        )
      : loc.problem(
          "error",
          "HOOKLINE_WEBHOOK_UNAUTHENTICATED",
          at,
          `webhook \`${raw.slug}\` has no authentication: anyone who can reach the server could send its events`,
          fix,
        ),
  );
}

/**
 * A slug that holds at least 128 random-looking bits: a run of 32+ hex characters, or of 26+ lower-case letters
 * and digits, with both letters and digits and many distinct characters (no word or counter gets there).
 */
export function isSecretSlug(slug: string): boolean {
  for (const run of slug.split(/[-_]/)) {
    const hex = /^[0-9a-f]+$/.test(run);
    if (run.length < (hex ? 32 : 26)) continue;
    const digits = run.replace(/[^0-9]/g, "").length;
    const letters = run.length - digits;
    if (digits >= 4 && letters >= 4 && new Set(run).size >= 10) return true;
  }
  return false;
}

/** A static template is the same event every time: check it now (id and occurred are filled at receive time). */
function checkStatic(template: string | Record<string, unknown>, path: (string | number)[], loc: SourceLocator, out: Problem[]): void {
  let value: unknown = template;
  if (typeof template === "string") {
    try {
      value = JSON.parse(template);
    } catch (e) {
      out.push(
        loc.problem(
          "error",
          "HOOKLINE_WEBHOOK_TEMPLATE_NOT_JSON",
          path,
          `the template is not JSON: ${(e as Error).message}`,
          "a string template must produce a JSON object; or write the template as a YAML mapping",
        ),
      );
      return;
    }
  }
  if (!isPlainObject(value)) {
    out.push(loc.problem("error", "HOOKLINE_WEBHOOK_TEMPLATE_NOT_EVENT", path, "the template must produce a JSON object (an event)"));
    return;
  }
  const r = validateEvent({ id: "00000000-0000-4000-8000-000000000000", occurred: "2024-01-01T00:00:00Z", ...value, related: [] });
  if (!r.ok) {
    for (const err of r.errors)
      out.push(loc.problem("error", "HOOKLINE_WEBHOOK_TEMPLATE_NOT_EVENT", path, `the template is not a valid event: ${err}`));
  }
}

function toDef(raw: RawWebhook, source: WebhookDef["source"]): WebhookDef {
  const cloudevents = raw.cloudevents === true;
  const template = raw.template === undefined ? null : typeof raw.template === "string" ? raw.template.trim() : raw.template;
  let auth: WebhookAuth = raw.auth === "none" ? { kind: "none" } : { kind: "slug" };
  if (raw.secret_env !== undefined) auth = { kind: "secret", secretEnv: raw.secret_env };
  else if (raw.signature !== undefined) {
    const s = raw.signature;
    auth = {
      kind: "signature",
      header: s.header.toLowerCase(),
      algorithm: s.algorithm,
      secretEnv: s.secret_env,
      prefix: s.prefix ?? `${s.algorithm}=`,
    };
  }
  const methods = raw.methods ? WEBHOOK_METHODS.filter((m) => raw.methods!.includes(m)) : [...WEBHOOK_METHODS];
  return {
    slug: raw.slug,
    description: raw.description,
    methods,
    mode: cloudevents ? "cloudevents" : "template",
    template,
    usesBody: cloudevents || (template !== null && templateSymbols(template).has("body")),
    isStatic: !cloudevents && template !== null && hasNoPlaceholders(template),
    auth,
    scopes: raw.scopes ? [...new Set(raw.scopes)] : ["server"],
    source,
  };
}

/** The environment variables a set of webhooks needs that are unset or empty (check at server start). */
export function missingWebhookSecrets(
  webhooks: readonly WebhookDef[],
  env: Readonly<Record<string, string | undefined>>,
): { slug: string; env: string }[] {
  const out: { slug: string; env: string }[] = [];
  for (const w of webhooks) {
    if (w.auth.kind === "none" || w.auth.kind === "slug") continue;
    const v = env[w.auth.secretEnv];
    if (typeof v !== "string" || v === "") out.push({ slug: w.slug, env: w.auth.secretEnv });
  }
  return out;
}
