import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "hookline.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Runs the real `bin/hookline.js` (the built CLI) the way a user does. */
export function cli(args: string[], input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.split("\n").filter((l) => l !== "") };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "hookline-cli-"));
}

export function writeTemp(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

let n = 0;
/** A valid standard event; ids are deterministic per call order within a test file. */
export function event(name: string, occurred: string, resource: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    occurred,
    event: name,
    resource: { "prefect.resource.id": "github.workflow-run.1", ...resource },
    ...extra,
  };
}

export function jsonl(items: unknown[]): string {
  return items.map((i) => JSON.stringify(i)).join("\n") + "\n";
}

/**
 * `hookline simulate` of `yaml` over `events` from `since` to `until` (a tick at `since` first), run as a user
 * runs it: its JSON lines, parsed. The run must exit 0 and print nothing on stderr.
 */
export function simulateRecords(yaml: string, events: readonly unknown[], since: string, until: string): Record<string, unknown>[] {
  const dir = tempDir();
  const lines = [JSON.stringify({ tick: since }), ...events.map((e) => JSON.stringify(e))];
  const r = cli([
    "simulate",
    "--automations",
    writeTemp(dir, "a.yaml", yaml),
    "--events",
    writeTemp(dir, "e.jsonl", lines.join("\n") + "\n"),
    "--until",
    until,
  ]);
  if (r.code !== 0 || r.stderr !== "") throw new Error(`hookline simulate exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  return r.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}
