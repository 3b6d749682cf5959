/**
 * SIGTERM / SIGINT: the first one closes the server gracefully and exits 0 (1 if closing failed); a second
 * one exits at once (130 / 143) without waiting.
 */
import type { Logger } from "./work/types.js";

export function exitOnSignals(close: () => Promise<void>, log: Logger, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      exit(signal === "SIGINT" ? 130 : 143);
      return;
    }
    stopping = true;
    log.info({ signal }, "signal received: closing (send it again to exit at once)");
    close().then(
      () => exit(0),
      (err: unknown) => {
        log.error({ err }, "graceful shutdown failed");
        exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
