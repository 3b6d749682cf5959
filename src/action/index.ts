/**
 * The runner's entry (action.yml `main: dist/index.js`, built by scripts/build-dist.mjs). It speaks the runner's
 * protocol itself (runner-commands.ts) rather than through @actions/core, and loads what a mode needs only
 * when that mode runs: the bundle's start-up is part of every step's time.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import type { ActionIO } from "./io.js";
import { run } from "./main.js";
import { getInput, runnerCommands, summaryText } from "./runner-commands.js";

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
const runner = runnerCommands(env);
const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
const io: ActionIO = {
  info: (line) => runner.info(line),
  error: (message, props) => runner.error(message, props),
  warning: (message, props) => runner.warning(message, props),
  setOutput: (name, value) => runner.setOutput(name, value),
  writeSummary: (heading, blocks) => runner.appendSummary(summaryText(heading, blocks)),
  readWorkspaceFile: workspaceReader(workspace),
};

await run({
  env,
  getInput: (name) => getInput(env, name),
  io,
  readEventFile: (path) => readFileSync(path, "utf8"),
  setFailed: (message) => runner.setFailed(message),
  now: () => Date.now(),
});
