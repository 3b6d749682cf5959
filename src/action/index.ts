/** The runner's entry (action.yml `main: dist/index.js`, built by scripts/build-dist.mjs). */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";
import * as core from "@actions/core";
import type { ActionIO } from "./io.js";
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

const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
const io: ActionIO = {
  info: (line) => core.info(line),
  error: (message, props) => core.error(message, props),
  warning: (message, props) => core.warning(message, props),
  setOutput: (name, value) => core.setOutput(name, value),
  writeSummary: async (heading, blocks) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    let summary = core.summary.addHeading(heading, 3);
    for (const block of blocks) summary = summary.addRaw(block, true);
    await summary.write();
  },
  readWorkspaceFile: workspaceReader(workspace),
};

await run({
  env: process.env,
  getInput: (name) => core.getInput(name),
  io,
  readEventFile: (path) => readFileSync(path, "utf8"),
  setFailed: (message) => core.setFailed(message),
  now: () => Date.now(),
});
