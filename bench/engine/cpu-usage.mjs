/**
 * Preloaded into the bench's child processes (`node --import ./bench/engine/cpu-usage.mjs ...`): prints the
 * process's CPU time (user + system, all threads) on exit, so run.js can compare CPU time as well as wall time.
 * On a machine shared with other work, wall time includes waiting for a core; CPU time mostly does not.
 */
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-us ${user + system}\n`);
});
