/**
 * A stand-in for GitHub's side of the App manifest flow on 127.0.0.1, laid out like GitHub Enterprise Server
 * (web pages at the root, the REST API under /api/v3):
 *   POST /settings/apps/new?state=S (or /organizations/ORG/settings/apps/new): the browser's form post; records the
 *     manifest and redirects to its redirect_url with ?code=C&state=S, as GitHub does once the user confirms
 *   POST /api/v3/app-manifests/C/conversions: answers like GitHub (201, the App with id, pem, webhook_secret, client
 *     id and secret); a code works once
 * It also hands out installation tokens, so a server started from the written credentials can use them.
 * Every request is recorded (method, path, headers, body) for the tests to check.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ManifestRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function fakeGitHubManifest() {
  const requests: ManifestRequest[] = [];
  const manifests: { org: string | null; state: string; manifest: Record<string, any> }[] = [];
  const codes = new Map<string, Record<string, any>>();
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const webhookSecret = randomBytes(20).toString("hex");
  let url = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(r);
      const u = new URL(r.url, url);
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      const newApp = /^(?:\/organizations\/([^/]+))?\/settings\/apps\/new$/.exec(u.pathname);
      if (newApp && r.method === "POST") {
        const manifest = JSON.parse(new URLSearchParams(r.body).get("manifest") ?? "null") as Record<string, any>;
        const state = u.searchParams.get("state") ?? "";
        manifests.push({ org: newApp[1] ?? null, state, manifest });
        const code = randomBytes(10).toString("hex");
        codes.set(code, { manifest, org: newApp[1] ?? null });
        const back = new URL(manifest.redirect_url);
        back.searchParams.set("code", code);
        back.searchParams.set("state", state);
        return res.writeHead(302, { location: back.toString() }).end();
      }
      const conversion = /^\/api\/v3\/app-manifests\/([^/]+)\/conversions$/.exec(u.pathname);
      if (conversion && r.method === "POST") {
        const found = codes.get(conversion[1]!);
        if (!found)
          return json(404, {
            message: "Not Found",
            documentation_url: "https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest",
          });
        codes.delete(conversion[1]!);
        const owner = found.org ?? "octocat";
        const slug = String(found.manifest.name).toLowerCase();
        return json(201, {
          id: 424242,
          slug,
          node_id: "A_kwDOAAABBB",
          owner: { login: owner, id: 1, type: found.org ? "Organization" : "User" },
          name: found.manifest.name,
          description: found.manifest.description,
          external_url: found.manifest.url,
          html_url: `${url}/apps/${slug}`,
          created_at: "2026-12-07T15:00:00Z",
          updated_at: "2026-12-07T15:00:00Z",
          permissions: found.manifest.default_permissions,
          events: found.manifest.default_events,
          client_id: "Iv23liFakeClientId",
          client_secret: "fake-client-secret-0123456789",
          webhook_secret: webhookSecret,
          pem,
        });
      }
      if (/^\/api\/v3\/app\/installations\/\d+\/access_tokens$/.test(u.pathname))
        return json(201, { token: "ghs_fake", expires_at: new Date(Date.now() + 3600e3).toISOString() });
      json(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/v3`,
    requests,
    manifests,
    pem,
    webhookSecret,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const unescapeHtml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!);

/** The setup page's form: where it posts and the manifest it carries (as a browser would read them). */
export function readForm(html: string): { action: string; manifest: Record<string, any> } {
  const action = /<form action="([^"]+)" method="post">/.exec(html)?.[1];
  const manifest = /<input type="hidden" name="manifest" value="([^"]+)">/.exec(html)?.[1];
  if (!action || !manifest) throw new Error(`no manifest form in the page:\n${html}`);
  return { action: unescapeHtml(action), manifest: JSON.parse(unescapeHtml(manifest)) as Record<string, any> };
}

/** What a browser does with the form: POST it to GitHub, and return where GitHub sends the browser back. */
export async function submitForm(form: { action: string; manifest: Record<string, any> }): Promise<string> {
  const res = await fetch(form.action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ manifest: JSON.stringify(form.manifest) }).toString(),
    redirect: "manual",
  });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`GitHub's stand-in answered ${res.status} without a redirect`);
  return location;
}
