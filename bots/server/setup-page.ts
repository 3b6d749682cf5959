/**
 * The HTML of the GitHub App setup (github-app-setup.ts): the page whose form POSTs the manifest to GitHub, the
 * page after GitHub sent the browser back, and the error page. Every value is HTML-escaped; the headers forbid
 * scripts, framing and referrers (the page's URL holds the setup key), and let the form post only to GitHub.
 */
import type { ServerResponse } from "node:http";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code,pre{background:#f3f3f3;padding:0 .2rem}button{font-size:1rem;padding:.5rem 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string, formAction?: string): void {
  const text = layout(title, body);
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action ${formAction ? new URL(formAction).origin : "'none'"}`,
  });
  res.end(text);
}

export function manifestForm(o: { action: string; manifest: object; webhookUrl: string; org: string | null }): string {
  return `<p>This registers a new GitHub App for this hookline server ${o.org ? `in the organisation <b>${escapeHtml(o.org)}</b>` : "on your account"}.
GitHub shows the App's name, permissions and events before you confirm; you can rename it there.</p>
<p>GitHub will deliver webhooks to <code>${escapeHtml(o.webhookUrl)}</code>.</p>
<form action="${escapeHtml(o.action)}" method="post">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(o.manifest))}">
<button type="submit">Create the GitHub App on GitHub</button>
</form>`;
}

export function createdPage(o: { slug: string; htmlUrl: string; file: string; restart: boolean }): string {
  const install = `${o.htmlUrl}/installations/new`;
  return `<p>installed: the GitHub App <b>${escapeHtml(o.slug)}</b> exists and its id, private key and webhook secret are in
<code>${escapeHtml(o.file)}</code> (mode 0600).</p>
<p>next, install the App on repositories: <a href="${escapeHtml(install)}">${escapeHtml(install)}</a></p>
${o.restart ? "<p>Then restart the hookline server: it reads the file on start.</p>" : ""}`;
}

export function problemPage(code: string, message: string): string {
  return `<p><code>${escapeHtml(code)}</code></p><p>${escapeHtml(message)}</p>`;
}
