/**
 * One hostile upload: POSTs `bytes` of filler as fast as the socket takes it and settles with the server's answer
 * (status and Retry-After) as soon as it arrives, cutting the rest of the body. A connection the server cut
 * while the client was still sending settles as `error <code>`: refused too, only the answer was lost.
 * Shared by test/security/hostile-load.test.ts and bench/server/hostile-load.mjs so the two load the server alike.
 */
import { request } from "node:http";

const MiB = 1024 * 1024;

export function upload({ url, path, headers, bytes, chunked = false, localAddress }) {
  const block = Buffer.alloc(Math.min(MiB, bytes), 0x61);
  return new Promise((resolve) => {
    const u = new URL(path, url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        localAddress,
        headers: { ...headers, ...(chunked ? {} : { "content-length": String(bytes) }) },
      },
      (res) => {
        // the answer is all we need: stop sending what the server no longer reads
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] ?? null });
        res.resume();
        req.destroy();
      },
    );
    req.on("error", (err) => resolve({ status: `error ${err.code ?? err.message}`, retryAfter: null }));
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        const n = Math.min(block.length, bytes - sent);
        sent += n;
        if (!req.write(n === block.length ? block : block.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}
