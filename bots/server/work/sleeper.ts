/**
 * A loop's sleep that `wake()` cuts short. A wake while the loop is busy is remembered, so the next sleep
 * returns at once (an ingest during an evaluation is not missed).
 */
import type { Clock } from "./types.js";

export interface Sleeper {
  sleep(ms: number): Promise<void>;
  wake(): void;
}

export function createSleeper(clock: Pick<Clock, "sleep">): Sleeper {
  let woken = false;
  let interrupt: (() => void) | null = null;
  return {
    async sleep(ms) {
      if (woken || ms <= 0) {
        woken = false;
        return;
      }
      await Promise.race([clock.sleep(ms), new Promise<void>((resolve) => (interrupt = resolve))]);
      interrupt = null;
      woken = false;
    },
    wake() {
      woken = true;
      interrupt?.();
    },
  };
}
