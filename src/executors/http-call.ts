/** Plain HTTP for webhooks (call-webhook, Teams, Slack incoming webhooks, webhook notifiers). */
import { ActionError, invalidParams, statusError } from "./errors.js";
import type { ActionPorts, HttpResponse } from "./types.js";

/** Only http(s) URLs: a rendered URL must not reach other schemes. Returns the URL without credentials in messages. */
export function checkUrl(raw: unknown, what: string): { url: string; shown: string } {
  if (typeof raw !== "string" || raw.trim() === "") throw invalidParams(`${what}: the URL is empty`);
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw invalidParams(`${what}: not a URL`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw invalidParams(`${what}: only http and https URLs are allowed, got ${u.protocol}`);
  return { url: u.toString(), shown: `${u.protocol}//${u.host}` };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Header names must be HTTP tokens and values free of CR, LF and NUL (no header injection from templates). */
export function checkHeaders(headers: unknown, what: string): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== "object" || Array.isArray(headers)) throw invalidParams(`${what}: \`headers\` must be a mapping of name → value`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const value = typeof v === "string" ? v : v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    if (!TOKEN.test(k)) throw invalidParams(`${what}: header name ${JSON.stringify(k).slice(0, 60)} is not valid`);
    if (/[\r\n\0]/.test(value)) throw invalidParams(`${what}: header ${k} holds a line break or NUL`);
    out[k] = value;
  }
  return out;
}

/** What a failure reason says instead of the answer's text when the ports say `quoteAnswers: false`. */
export const ANSWER_WITHHELD = "the answer's text is not recorded for repository automations";

/**
 * Sends one request; a non-2xx answer throws (classified: 429/5xx retryable). `shown` names the target in
 * messages without its path or query (webhook URLs are secrets); the reason quotes the answer's first 300
 * characters unless the ports say `quoteAnswers: false` (repository scopes: status and a fixed text only).
 */
export async function send(
  ports: Pick<ActionPorts, "http" | "clock" | "quoteAnswers">,
  req: { url: string; shown: string; method: string; headers: Record<string, string>; body?: string },
  what: string,
  signal: AbortSignal,
): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await ports.http.request({
      url: req.url,
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal,
    });
  } catch (err) {
    // a port's own verdict (the egress policy's refusals) says which call it was about
    if (err instanceof ActionError && !signal.aborted)
      throw new ActionError(err.code, `${what} (${req.shown}): ${err.message}`, err.retryable, err.retryAfterMs);
    throw err;
  }
  if (res.status < 200 || res.status > 299) {
    const detail = ports.quoteAnswers === false ? ANSWER_WITHHELD : res.body;
    throw statusError(res.status, res.headers, `${what} (${req.shown})`, detail, ports.clock.now());
  }
  return res;
}

/** JSON POST helper. */
export function postJson(
  ports: Pick<ActionPorts, "http" | "clock" | "quoteAnswers">,
  target: { url: string; shown: string },
  body: unknown,
  what: string,
  signal: AbortSignal,
  extra: Record<string, string> = {},
) {
  return send(
    ports,
    { ...target, method: "POST", headers: { "content-type": "application/json", ...extra }, body: JSON.stringify(body) },
    what,
    signal,
  );
}
