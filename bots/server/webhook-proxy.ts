/**
 * Local development through a webhook proxy channel (Probot's WEBHOOK_PROXY_URL convention): GitHub delivers to a
 * public smee.io-style channel, and this process subscribes to it (server-sent events) and replays each delivery
 * to its own /api/github/webhooks, where the signature is verified like any other delivery (the channel is public:
 * anyone can post to it; only deliveries signed with the App's webhook secret are stored). The client is
 * `smee-client`, the library Probot itself loads for this, so the SSE reading and reconnection are not ours. It is
 * imported only when WEBHOOK_PROXY_URL is set (it brings its own undici and builds a proxy agent on import).
 */
import type { Logger as PinoLogger } from "pino";

export interface WebhookProxy {
  stop(): Promise<void>;
}

/** Connects (within `connectMs`) and starts relaying; a channel that cannot be reached throws. */
export async function startWebhookProxy(o: { source: string; target: string; log: PinoLogger; connectMs?: number }): Promise<WebhookProxy> {
  const log = o.log.child({ webhookProxy: o.source });
  const { SmeeClient } = await import("smee-client");
  const client = new SmeeClient({
    source: o.source,
    target: o.target,
    // each relayed delivery is already one request log line of the server: the client's own lines at debug
    logger: {
      info: (...args: unknown[]) => log.debug(args.map(String).join(" ")),
      error: (...args: unknown[]) =>
        log.warn({ err: args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ") }, "webhook proxy"),
    },
    maxConnectionTimeout: o.connectMs ?? 10_000,
  });
  await client.start();
  return { stop: () => client.stop() };
}
