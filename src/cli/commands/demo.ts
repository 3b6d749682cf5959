import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { LineWriter } from "../io.js";
import type { CliIO } from "./validate.js";
import { runSimulation } from "./simulate.js";

/** examples/ of the hookline checkout (this file is src/cli/commands/ or build/src/cli/commands/). */
export const BUNDLED_EXAMPLES = fileURLToPath(
  new URL(import.meta.url.includes("/build/src/") ? "../../../../examples/" : "../../../examples/", import.meta.url),
);

/** The title of an example: the first comment line of its automations.yaml. */
function titleOf(file: string): string {
  const first = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith("#") && !l.includes("yaml-language-server"));
  return first ? first.replace(/^#+\s*/, "") : "";
}

export async function demoCommand(argv: string[], io: CliIO, writer: LineWriter): Promise<number> {
  const { positionals } = parseFlags("demo", argv, {});
  if (positionals.length > 1) throw new UsageError("name at most one examples folder", "demo");
  const root = positionals[0] ?? BUNDLED_EXAMPLES;
  if (!existsSync(root)) throw new UsageError(`no examples folder at ${root}`, "demo");
  const examples = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, "automations.yaml")) && existsSync(join(root, d.name, "events.jsonl")))
    .map((d) => d.name)
    .sort();
  if (examples.length === 0) throw new UsageError(`${root} holds no example folders with automations.yaml and events.jsonl`, "demo");
  let exit: number = EXIT.ok;
  for (const name of examples) {
    const dir = join(root, name);
    const automationsFile = join(dir, "automations.yaml");
    writer.line("");
    writer.line(`== ${name}: ${titleOf(automationsFile)}`);
    writer.line(
      `   hookline simulate --automations ${join("examples", name, "automations.yaml")} --events ${join("examples", name, "events.jsonl")} --format table`,
    );
    writer.line("");
    const untilFile = join(dir, "until.txt");
    const until = existsSync(untilFile) ? Date.parse(readFileSync(untilFile, "utf8").trim()) : null;
    const code = await runSimulation(
      { automationsFile, eventsFile: join(dir, "events.jsonl"), untilMs: until, format: "table" },
      io,
      writer,
    );
    if (code !== EXIT.ok) exit = code;
  }
  writer.flush();
  return exit;
}
