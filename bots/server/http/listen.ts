/**
 * The node:http server with graceful close: stop accepting, let in-flight requests finish (idle keep-alive
 * connections are closed at once), and after `graceMs` cut whatever is left.
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

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<Listening> {
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | null = null;
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, (req, res) => {
    inFlight++;
    if (closing) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight--;
      if (closing) server.closeIdleConnections();
      if (inFlight === 0) idle?.();
    });
    handler(req, res);
  });
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
