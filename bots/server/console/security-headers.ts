/**
 * The console's security headers. The Content-Security-Policy allows only this origin: scripts, styles, images
 * and connections (`/api`, the live feed) from 'self', no inline script or style, no plugins, no framing, no
 * base-tag or form tricks. Also sent on every /api answer (cheap, and a JSON answer opened in a tab gets the same
 * protection).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const CONSOLE_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};
