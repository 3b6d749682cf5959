/**
 * A process's memory and CPU time from /proc (Linux), for the benches: VmRSS (resident now) and VmHWM (peak
 * resident) from /proc/<pid>/status, in kB; user and system CPU time of all its threads from /proc/<pid>/stat;
 * the CPU time of one thread (a PostgreSQL backend is one) from /proc/<pid>/schedstat, in ns; and the CPU time of
 * every PostgreSQL process on the machine (backends, WAL writer, checkpointer).
 */
import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: /proc/<pid>/stat counts clock ticks of 10 ms */
const TICK_MS = 10;

/** user and system CPU time of `pid` so far, all its threads, in ms (clock ticks: 10 ms steps) */
export function cpuTimes(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return { user: Number(f[11]) * TICK_MS, sys: Number(f[12]) * TICK_MS };
}

/** user + system CPU time of `pid` so far, all its threads, in ms */
export function cpuMs(pid) {
  const { user, sys } = cpuTimes(pid);
  return user + sys;
}

/** CPU time of `pid`'s main thread so far, ns (time on a core; finer than the ticks of cpuTimes) */
export const threadCpuNs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);

/** CPU time of every PostgreSQL process on this machine so far, ms (one thread each: schedstat) */
export function postgresCpuMs() {
  let sum = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres") sum += threadCpuNs(pid) / 1e6;
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

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
