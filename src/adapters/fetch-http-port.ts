/** HttpPort on the global fetch: no redirects followed (a webhook answering 3xx is a failure), body cut at 64 KB. */
import type { HttpPort, HttpRequest, HttpResponse } from "../executors/types.js";

export const RESPONSE_TEXT_LIMIT = 64 * 1024;

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_TEXT_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_TEXT_LIMIT).toString("utf8");
}

export function createFetchHttpPort(fetchImpl: typeof fetch = fetch): HttpPort {
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const res = await fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        redirect: "manual",
        signal: req.signal,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, headers, body: await readLimited(res) };
    },
  };
}
