/** The wall clock the workers use unless a test injects another. */
import type { Clock } from "./types.js";

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) =>
    new Promise<void>((resolve) => {
      // a sleeping worker never keeps the process alive on its own
      setTimeout(resolve, Math.max(0, ms)).unref();
    }),
  random: () => Math.random(),
};
