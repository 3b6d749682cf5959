/**
 * The one place that decides what of an action's request and response may be shown (the delivery log, issue 16):
 * - values under a key that names a secret (token, secret, password, authorization, signature, cookie, api key, ...)
 *   become "***", in objects (`maskSecrets`) and in text that looks like JSON or a form (`maskText`);
 * - URLs lose their basic-auth password, the values of query parameters that name a secret (and `sig`, `code`,
 *   `key`), the path of known secret-bearing webhooks (Slack, Teams / Power Automate, Discord), and any path
 *   segment that looks like a token;
 * - values the runtime resolved for the action (env secrets, tokens) are masked wherever they appear;
 * - text is cut, and runs of control characters and U+FFFD (binary, invalid UTF-8) become one U+FFFD, so a
 *   hostile answer cannot flood or garble the log.
 * Pure: the server's outbox worker masks when it records an attempt, the API masks again when it shows one.
 */
const SECRET_WORDS = "secret|token|passw|authori[sz]ation|signature|cookie|api[-_]?key|private|credential|session|bearer";
export const SECRET_KEY = new RegExp(`(?:${SECRET_WORDS})`, "i");
/** query parameters that carry a credential without saying so (SAS `sig`, Azure Functions `code`, `key`) */
export const SECRET_QUERY = /^(sig|code|key|auth|access[-_]?key|apikey|x-amz-signature|x-goog-signature)$/i;
/** hosts whose whole path is the credential: only the first `keep` segments are shown */
const WEBHOOK_HOSTS: { host: RegExp; keep: number }[] = [
  { host: /^hooks\.slack\.com$/i, keep: 1 },
  { host: /(^|\.)webhook\.office\.com$/i, keep: 1 },
  { host: /(^|\.)logic\.azure\.com$/i, keep: 1 },
  { host: /(^|\.)(discord|discordapp)\.com$/i, keep: 2 },
  { host: /^outlook\.office(365)?\.com$/i, keep: 1 },
];
/** a path segment of 20+ token characters mixing letters and digits reads as a credential */
const TOKENISH = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~+=]{20,}$/;

export const MASK = "***";
const MAX_STRING = 500;
const MAX_DEPTH = 6;
const MAX_KEYS = 50;
/** values shorter than this are not masked by value (a "1" would blank every digit) */
const MIN_SECRET_LENGTH = 6;

/** Secrets known by value (resolved from the environment, tokens); masked wherever they appear. */
export type KnownSecrets = ReadonlySet<string>;

/** Adds a resolved secret (and, for a URL, its path and query and password) to `into`. */
export function addSecret(into: Set<string>, value: string | undefined): void {
  const v = value?.trim();
  if (!v || v.length < MIN_SECRET_LENGTH) return;
  into.add(v);
  try {
    const u = new URL(v);
    into.add(u.toString());
    const rest = `${u.pathname}${u.search}`;
    if (rest.length >= MIN_SECRET_LENGTH) into.add(rest);
    if (u.password.length >= MIN_SECRET_LENGTH) into.add(decodeURIComponent(u.password));
  } catch {
    /* not a URL */
  }
}

/** Every occurrence of a known secret in `text` becomes "***" (the longest first, so a URL goes before its path). */
export function maskKnown(text: string, secrets: KnownSecrets = new Set()): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** A URL with its credentials masked; text that is not a URL is returned with only known secrets masked. */
export function maskUrl(raw: string, secrets: KnownSecrets = new Set()): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return maskKnown(raw, secrets);
  }
  if (secrets.has(u.toString()) || secrets.has(raw.trim())) return `${u.protocol}//${u.host}/${MASK}`;
  if (u.username) u.username = MASK;
  if (u.password) u.password = MASK;
  const webhook = WEBHOOK_HOSTS.find((w) => w.host.test(u.hostname));
  const segments = u.pathname.split("/");
  u.pathname = segments
    .map((s, i) => (s === "" ? s : webhook && i > webhook.keep ? MASK : TOKENISH.test(decodeURIComponentSafe(s)) ? MASK : s))
    .join("/");
  for (const key of [...new Set(u.searchParams.keys())]) if (SECRET_KEY.test(key) || SECRET_QUERY.test(key)) u.searchParams.set(key, MASK);
  return maskKnown(u.toString().replaceAll("%2A%2A%2A", MASK), secrets);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Headers with secret-named values masked (and known secrets in any value); at most `max`, names lower-cased. */
export function maskHeaders(headers: Record<string, string>, secrets: KnownSecrets = new Set(), keep?: readonly string[], max = 20) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const k = name.toLowerCase();
    if (keep && !keep.includes(k)) continue;
    if (Object.keys(out).length >= max) break;
    out[k] = SECRET_KEY.test(k) && value !== "" ? MASK : cut(maskKnown(String(value), secrets), 200);
  }
  return out;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/**
 * `"token": "…"`, `token=…` in free text (a body, a reason). The key starts where a word starts (the lookbehind):
 * one attempt per word, so a long run without a secret name costs linear time, not quadratic (no ReDoS). A
 * quoted value cut before its closing quote is masked to the end.
 */
const KEYED_VALUE = new RegExp(
  `((?<![\\w.-])"?[\\w.-]*?(?:${SECRET_WORDS})[\\w.-]*"?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*(?:"|$)|[^\\s,&;}"]+)`,
  "gi",
);
const BEARER = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** C0/C1 controls other than tab and line breaks, and U+FFFD (what invalid UTF-8 decodes to), in runs */
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]+/g;

/**
 * Free text (a response body, an error reason) made safe to show: known secrets masked (on the whole text, so a
 * cut never leaves a secret's prefix), then cut, then secret-named values masked and unprintable runs replaced by
 * one "\ufffd"; at most `max` characters, with the original length said when cut.
 */
export function maskText(text: string, secrets: KnownSecrets = new Set(), max = MAX_STRING): string {
  const known = maskKnown(text, secrets);
  const masked = known
    .slice(0, max)
    .replace(KEYED_VALUE, (_m, key: string, value: string) => `${key}${value.startsWith('"') ? `"${MASK}"` : MASK}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`)
    .replace(UNPRINTABLE, "\ufffd");
  return known.length > max ? `${masked}… (${text.length} chars)` : masked;
}

/**
 * A value (an action's parameters, a result) with secret-named keys masked, URLs masked (maskUrl), known secrets
 * masked, strings cut and the whole bounded in depth and size.
 */
export function maskSecrets(value: unknown, secrets: KnownSecrets = new Set(), depth = 0): unknown {
  if (typeof value === "string") {
    const v = /^https?:\/\//i.test(value.trim()) ? maskUrl(value.trim(), secrets) : maskKnown(value, secrets);
    return cut(v, MAX_STRING);
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => maskSecrets(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_KEYS)) {
    // `url_env`, `secret_env` name a variable, not its value: those are shown
    out[k] = SECRET_KEY.test(k) && !k.endsWith("_env") && v !== null && v !== "" ? MASK : maskSecrets(v, secrets, depth + 1);
  }
  return out;
}
