/**
 * The node:http server with graceful close: stop accepting, let in-flight requests finish (idle keep-alive
 * connections are closed at once), and after `graceMs` cut whatever is left.
 *
 * Slow clients (slow-loris): headers must arrive within HEADERS_TIMEOUT_MS and a whole request (a 25 MiB GitHub
 * delivery included) within REQUEST_TIMEOUT_MS, else node answers 408 and closes; headers are capped at
 * MAX_HEADER_BYTES (431 past it). A slow body holds its budget reservation (read-body.ts) until then at most.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Listening {
  server: Server;
  url: string;
  /** requests not yet answered */
  inFlight(): number;
  close(graceMs?: number): Promise<void>;
}

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const MAX_HEADER_BYTES = 16 * 1024;

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Listening> {
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | null = null;
  const server = createServer(
    { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, maxHeaderSize: MAX_HEADER_BYTES, keepAliveTimeout: 5_000 },
    (req, res) => {
      inFlight++;
      if (closing) res.setHeader("connection", "close");
      res.once("close", () => {
        inFlight--;
        if (closing) server.closeIdleConnections();
        if (inFlight === 0) idle?.();
      });
      handler(req, res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    inFlight: () => inFlight,
    async close(graceMs = 10_000) {
      closing = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const drained = new Promise<void>((r) => (idle = r));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([drained, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
