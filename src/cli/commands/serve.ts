/**
 * `hookline serve`: the server (bots/server) in the foreground. Flags win over the environment. Loaded
 * lazily so the other commands do not pay for the server's dependencies.
 */
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "./validate.js";
import { docsOf } from "../../errors/index.js";

export async function serveCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags("serve", argv, {
    port: { type: "string" },
    host: { type: "string" },
    "config-dir": { type: "string" },
    "data-dir": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, "serve");
  const { serve, ServerConfigError } = await import("../../../bots/server/index.js");
  try {
    return await serve(process.env, {
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values["config-dir"] !== undefined ? { configDir: values["config-dir"] } : {}),
      ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    });
  } catch (err) {
    if (err instanceof ServerConfigError) {
      for (const p of err.problems) io.err(p);
      io.err(`hookline serve: ${err.code}: ${err.message}`);
      io.err(`See ${err.docs}.`);
      return EXIT.usage;
    }
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("HOOKLINE_")) {
      io.err(`hookline serve: ${code}: ${(err as Error).message}`);
      const docs = docsOf(code);
      if (docs !== undefined) io.err(`See ${docs}.`);
      return EXIT.usage;
    }
    throw err;
  }
}
