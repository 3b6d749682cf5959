/** The `hookline` command: parses the command name, runs it, maps errors to the documented exit codes. */
import { dbCommand } from "./commands/db.js";
import { demoCommand } from "./commands/demo.js";
import { schemaCommand } from "./commands/schema.js";
import { serveCommand } from "./commands/serve.js";
import { setupCommand } from "./commands/setup.js";
import { simulateCommand } from "./commands/simulate.js";
import { translateCommand } from "./commands/translate.js";
import { validateCommand, type CliIO } from "./commands/validate.js";
import { EXIT, UsageError } from "./errors.js";
import { LineWriter, drainStdout } from "./io.js";
import { USAGE } from "./usage.js";
import { packageVersion } from "./version.js";

type Command = (argv: string[], io: CliIO, writer: LineWriter) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  validate: (argv, io) => validateCommand(argv, io),
  simulate: simulateCommand,
  translate: translateCommand,
  schema: (argv, io) => schemaCommand(argv, io),
  demo: demoCommand,
  serve: (argv, io) => serveCommand(argv, io),
  db: (argv, io) => dbCommand(argv, io),
  // the page URL must show while the command waits: each line is flushed at once
  setup: (argv, io, writer) => setupCommand(argv, io, () => writer.flush()),
};

export async function main(argv: string[], io?: CliIO): Promise<number> {
  const writer = new LineWriter(io ? (t) => t.split("\n").slice(0, -1).forEach(io.out) : undefined);
  const cli: CliIO = io ?? { out: (l) => writer.line(l), err: (l) => process.stderr.write(`${l}\n`) };
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      cli.out(USAGE.main!);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === "--version" || name === "-v") {
      cli.out(packageVersion());
      return EXIT.ok;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      cli.out(USAGE[name]!);
      return EXIT.ok;
    }
    return await command(rest, cli, writer);
  } catch (err) {
    writer.flush();
    if (err instanceof UsageError) {
      const where = err.command ? `hookline ${err.command}` : "hookline";
      cli.err(`${where}: ${err.message}`);
      cli.err(`Run '${where} --help' for usage.`);
      return EXIT.usage;
    }
    cli.err(`hookline: internal error: ${(err as Error).stack ?? String(err)}`);
    cli.err("This is a bug in hookline; please report it with the input that caused it.");
    return EXIT.invalid;
  } finally {
    writer.flush();
    if (!io) await drainStdout();
  }
}
