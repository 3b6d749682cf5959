/**
 * Console sessions (issue 16): the API token is exchanged once at `POST /api/session` for a random session id in
 * an HttpOnly, SameSite=Strict cookie, so the page never keeps the token. Sessions live in this process's memory
 * with a fixed expiry (a restart signs everyone out; several instances behind one address need sticky routing).
 * Each session has its own CSRF token, which the page reads from `GET /api/session` and sends in
 * `X-Hookline-CSRF` on every write; a cookie alone never writes. Sign-out (or expiry) also closes the session's
 * live feeds through `onEnd`.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "hookline_session";
export const CSRF_HEADER = "x-hookline-csrf";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const MAX_SESSIONS = 1000;

export interface Session {
  id: string;
  csrf: string;
  /** public, short: names the session as an actor (`console:<label>`) without revealing the cookie */
  label: string;
  created: number;
  expires: number;
  /** called once when the session ends (sign-out, expiry, shutdown) */
  onEnd: Set<() => void>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export interface Sessions {
  create(now: number): Session;
  /** the live session of a cookie value, or null (unknown or expired: expired ones are ended) */
  get(id: string, now: number): Session | null;
  end(id: string): void;
  endAll(): void;
  size(): number;
}

export function createSessions(ttlMs = SESSION_TTL_MS, max = MAX_SESSIONS): Sessions {
  const byId = new Map<string, Session>();
  const end = (id: string) => {
    const s = byId.get(id);
    if (!s) return;
    byId.delete(id);
    for (const f of s.onEnd) f();
  };
  return {
    create(now) {
      // Map order is creation order: the oldest session makes room when the table is full
      while (byId.size >= max) end(byId.keys().next().value!);
      const s: Session = {
        id: randomBytes(32).toString("base64url"),
        csrf: randomBytes(32).toString("base64url"),
        label: randomBytes(4).toString("hex"),
        created: now,
        expires: now + ttlMs,
        onEnd: new Set(),
      };
      byId.set(s.id, s);
      return s;
    },
    get(id, now) {
      const s = byId.get(id);
      if (!s) return null;
      if (s.expires <= now) {
        end(id);
        return null;
      }
      return s;
    },
    end,
    endAll: () => [...byId.keys()].forEach(end),
    size: () => byId.size,
  };
}

/** the session cookie's value from a Cookie header, or null */
export function sessionCookieOf(header: string | undefined): string | null {
  if (typeof header !== "string") return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const v = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(v) ? v : null;
    }
  }
  return null;
}
