/**
 * The console's only way to the server: the public /api, same origin, with the session cookie. Writes carry the
 * session's CSRF token (read from GET /api/session) in X-Hookline-CSRF. A 401 means the session ended: the app
 * shows the sign-in form again. A read while the server is still starting (503 HOOKLINE_NOT_READY: migrations,
 * workers) is retried after its Retry-After, for up to NOT_READY_TRIES tries, so a page opened early fills in.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the answer's Retry-After in ms (1 s when it has none) */
    readonly retryAfterMs = 1000,
  ) {
    super(message);
  }
}

export interface SessionInfo {
  signed_in: boolean;
  csrf?: string;
  expires?: string;
  actor?: string;
}

let csrf: string | null = null;
let onSignedOut: () => void = () => {};

export function setSession(s: SessionInfo | null): void {
  csrf = s?.signed_in ? (s.csrf ?? null) : null;
}

export function whenSignedOut(f: () => void): void {
  onSignedOut = f;
}

/** tries of a read while the server answers 503 HOOKLINE_NOT_READY (about a minute at its Retry-After of 1 s) */
export const NOT_READY_TRIES = 60;

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await apiOnce<T>(path, init);
    } catch (err) {
      const starting = err instanceof ApiError && err.code === "HOOKLINE_NOT_READY" && (init.method ?? "GET") === "GET";
      if (!starting || tries >= NOT_READY_TRIES) throw err;
      await new Promise((r) => setTimeout(r, err.retryAfterMs));
    }
  }
}

async function apiOnce<T>(path: string, init: { method?: string; body?: unknown }): Promise<T> {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-hookline-csrf"] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) {
    const retryAfter = Number(res.headers.get("retry-after") ?? "1");
    const err = new ApiError(
      res.status,
      json?.error?.code ?? "HOOKLINE_HTTP",
      json?.error?.message ?? `HTTP ${res.status}`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 10) * 1000 : 1000,
    );
    if (res.status === 401 && path !== "/api/session") onSignedOut();
    throw err;
  }
  return json as T;
}

/** `/api/events?name=a&limit=5` from a record, skipping empty values */
export function withQuery(path: string, q: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

export interface ApiEvent {
  id: string;
  occurred: string;
  received?: string;
  event: string;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: Record<string, unknown>;
  follows?: string | null;
}
