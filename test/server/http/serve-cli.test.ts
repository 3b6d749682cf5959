/** `hookline serve` as a user runs it (the built bin/hookline.js, `npm start`): start, serve, SIGTERM, exit codes. */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { call, cleanupDirs, configDir, event, tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "hookline.js");

afterAll(() => cleanupDirs());

function envWithout(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of [
    "PORT",
    "HOST",
    "DATABASE_URL",
    "HOOKLINE_API_TOKEN",
    "APP_ID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "HOOKLINE_CONFIG_DIR",
    "HOOKLINE_DATA_DIR",
  ])
    delete env[k];
  return env;
}

describe("hookline serve", () => {
  it("starts with JSON logs, serves with the API token it created beside the data folder, and exits 0 on SIGTERM after a graceful close", async () => {
    const dir = configDir({ webhooks: "webhooks: []\n" });
    const home = tempDir("hookline-serve-");
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--config-dir", dir, "--data-dir", join(home, "data")], {
      cwd: ROOT,
      env: envWithout(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /"msg":"ready (http:\/\/[^"]+)"/.exec(out);
        if (m) {
          clearInterval(t);
          resolve(m[1]!);
        }
      }, 20);
      void exited.then((code) => reject(new Error(`exited ${code}: ${out}\n${err}`)));
    });
    expect((await call(`${url}/readyz`)).status).toBe(200);
    expect((await call(`${url}/api/events`, { json: event(), headers: { authorization: "" } })).status).toBe(401);
    const token = readFileSync(join(home, "api-token"), "utf8").trim();
    expect(statSync(join(home, "api-token")).mode & 0o777).toBe(0o600);
    expect(out).not.toContain(token);
    expect((await call(`${url}/api/events`, { json: event(), headers: { authorization: `Bearer ${token}` } })).status).toBe(202);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["workers stopped, claims released", "stopped"]));
  });

  it("bad settings exit 2 with the code and the fix", () => {
    const r = spawnSync(process.execPath, [BIN, "serve", "--port", "http"], { cwd: ROOT, env: envWithout(), encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("HOOKLINE_CONFIG_BAD_PORT");
    const partial = spawnSync(process.execPath, [BIN, "serve", "--port", "0"], {
      cwd: ROOT,
      env: { ...envWithout(), APP_ID: "1" },
      encoding: "utf8",
    });
    expect(partial.status).toBe(2);
    expect(partial.stderr).toContain("missing: PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET");
  });

  it("configuration files with errors exit 2 with file:line:col problems", () => {
    const dir = configDir({ webhooks: "webhooks:\n  - slug: Not A Slug\n    template: '{}'\n" });
    const r = spawnSync(process.execPath, [BIN, "serve", "--port", "0", "--config-dir", dir], {
      cwd: ROOT,
      env: envWithout(),
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/webhooks\.yaml:2:\d+: /);
    expect(r.stderr).toContain("HOOKLINE_CONFIG_INVALID");
  });

  it("--help prints the usage; an unknown flag is bad usage", () => {
    const help = spawnSync(process.execPath, [BIN, "serve", "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: hookline serve [--port N] [--host H] [--config-dir DIR] [--data-dir DIR]");
    const bad = spawnSync(process.execPath, [BIN, "serve", "--colour"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("hookline serve");
  });
});
