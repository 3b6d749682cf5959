/**
 * One HTTP request on node:http / node:https, the body read as text: what the GitHub and Slack ports send.
 * Not the global `fetch`: its first use loads and compiles Node's own copy of undici and web streams
 * (~50 ms of a short process, more than the request), and these ports need none of it. Follows redirects the
 * way `fetch` does (301/302 turn POST into GET, 303 turns anything but HEAD into GET, at most 20, the
 * `authorization` header dropped when the origin changes); keeps connections alive through the global agents.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface NodeHttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface NodeHttpResponse {
  /** the final URL, after redirects */
  url: string;
  status: number;
  /** lower-case names; repeated headers joined with ", " */
  headers: Record<string, string>;
  text: string;
}

const MAX_REDIRECTS = 20;

function flatHeaders(raw: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

function once(url: URL, req: NodeHttpRequest): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : url.protocol === "http:" ? httpRequest : undefined;
    if (!send) return reject(new TypeError(`unsupported URL scheme ${url.protocol}`));
    const headers = { ...req.headers };
    if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
    const r = send(url, { method: req.method, headers, ...(req.signal ? { signal: req.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    r.on("error", reject);
    r.end(req.body);
  });
}

export async function nodeHttp(url: string, req: NodeHttpRequest): Promise<NodeHttpResponse> {
  let current = new URL(url);
  let request = req;
  for (let hop = 0; ; hop++) {
    const res = await once(current, request);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.status) || location === undefined) return { url: current.href, ...res };
    if (hop >= MAX_REDIRECTS) throw new TypeError(`redirect count exceeded (${MAX_REDIRECTS}) at ${current.href}`);
    const next = new URL(location, current);
    const toGet =
      (res.status === 303 && request.method !== "HEAD") || ((res.status === 301 || res.status === 302) && request.method === "POST");
    const headers = { ...request.headers };
    if (toGet)
      for (const h of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) delete headers[h];
    if (next.origin !== current.origin) delete headers.authorization;
    request = toGet ? { method: "GET", headers, ...(request.signal ? { signal: request.signal } : {}) } : { ...request, headers };
    current = next;
  }
}
