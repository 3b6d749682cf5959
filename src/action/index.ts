/**
 * The runner's entry (action.yml `main: dist/index.js`, built by scripts/build-dist.mjs): @actions/core for
 * inputs, log, annotations, outputs, the job summary, secrets and the exit code, handed to main.ts as ActionIO.
 * Every log line goes through log.ts, so no untrusted text can act as a workflow command.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import * as core from "@actions/core";
import type { ActionIO } from "./io.js";
import { commandSafeLines } from "./log.js";
import { run } from "./main.js";

function workspaceReader(workspace: string): (path: string) => string | undefined {
  return (path) => {
    const full = resolve(workspace, path);
    if (!existsSync(full) || !statSync(full).isFile()) return undefined;
    const root = realpathSync(workspace);
    const real = realpathSync(full);
    if (real !== root && !real.startsWith(root + sep)) return undefined; // a symlink out of the workspace
    return readFileSync(real, "utf8");
  };
}

const env = process.env;
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
const io: ActionIO = {
  info: (text) => commandSafeLines(text).forEach((line) => core.info(line)),
  error: (message, props) => core.error(message, props),
  warning: (message, props) => core.warning(message, props),
  setOutput: (name, value) => core.setOutput(name, value),
  async writeSummary(heading, blocks) {
    if (!env.GITHUB_STEP_SUMMARY) return; // outside a job step there is no summary to write
    core.summary.addHeading(heading, 3);
    for (const block of blocks) core.summary.addRaw(block, true);
    await core.summary.write();
  },
  mask: (secret) => core.setSecret(secret),
  readWorkspaceFile: workspaceReader(workspace),
};

await run({
  env,
  getInput: (name) => core.getInput(name),
  io,
  readEventFile: (path) => readFileSync(path, "utf8"),
  setFailed: (message) => core.setFailed(message),
  now: () => Date.now(),
});
