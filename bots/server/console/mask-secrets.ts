/**
 * Request and response summaries for the delivery log, with secrets masked: any value under a key that names a
 * secret (token, secret, password, authorization, signature, cookie, api key, ...) becomes "***", long strings are
 * cut, and the whole summary is bounded, so an action's headers or a receiver's answer never leak a credential
 * into the console.
 */
const SECRET_KEY = /(secret|token|passw|authori[sz]ation|signature|cookie|api[-_]?key|private|credential|session)/i;
const MAX_STRING = 500;
const MAX_DEPTH = 6;
const MAX_KEYS = 50;

export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "…";
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => maskSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, MAX_KEYS)) {
    // `url_env`, `secret_env` name a variable, not its value: those are shown
    out[k] = SECRET_KEY.test(k) && !k.endsWith("_env") && v !== null && v !== "" ? "***" : maskSecrets(v, depth + 1);
  }
  return out;
}
