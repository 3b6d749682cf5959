import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageVersion } from "../../src/cli/version.js";
import { tempDir } from "./run-cli.js";

describe("hookline --version", () => {
  it("is the version of the nearest package.json named hookline, skipping other packages' files on the way up", () => {
    const root = tempDir();
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "hookline", version: "9.8.7" }));
    mkdirSync(join(root, "build", "src", "cli"), { recursive: true });
    writeFileSync(join(root, "build", "package.json"), JSON.stringify({ name: "other", version: "1.0.0" }));
    writeFileSync(join(root, "build", "src", "package.json"), "{ not json");
    expect(packageVersion(pathToFileURL(join(root, "build", "src", "cli", "main.js")).href)).toBe("9.8.7");
  });
});
