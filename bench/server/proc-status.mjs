/** A process's memory from /proc/<pid>/status (Linux): VmRSS (resident now), VmHWM (peak resident), in kB. */
import { readFileSync } from "node:fs";

export function readStatusKb(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(m[1]);
}

/** VmRSS every `everyMs` until stop() (which returns the samples, kB). */
export function sampleRss(pid, everyMs) {
  const samples = [];
  const timer = setInterval(() => {
    try {
      samples.push(readStatusKb(pid, "VmRSS"));
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}
