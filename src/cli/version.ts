/**
 * The CLI's version is the package's: read once from the nearest package.json named "hookline" above this file,
 * which is two folders up from src/cli and three from build/src/cli, so the same code works in both.
 */
import { readFileSync } from "node:fs";

export function packageVersion(from: string = import.meta.url): string {
  for (let dir = new URL(".", from); ; dir = new URL("..", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "hookline" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // no package.json here (or not ours): keep walking up
    }
    if (dir.pathname === "/") return "unknown";
  }
}
