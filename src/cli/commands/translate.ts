import { translateWebhook } from "../../github/index.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import { LineWriter, openLines } from "../io.js";
import type { CliIO } from "./validate.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Why a parsed line is not a delivery, or null when it is one. */
function deliveryProblem(v: unknown): string | null {
  if (!isRecord(v)) return "line is not an object of the form {name, delivery?, payload}";
  if (typeof v.name !== "string" || v.name === "") return 'missing "name" (the X-GitHub-Event header, e.g. "workflow_run")';
  if (v.delivery !== undefined && v.delivery !== null && typeof v.delivery !== "string") return '"delivery" must be a string';
  if (!("payload" in v)) return 'missing "payload" (the webhook body)';
  return null;
}

export async function translateCommand(argv: string[], io: CliIO, writer: LineWriter): Promise<number> {
  const { values, positionals } = parseFlags("translate", argv, { "events-only": { type: "boolean" } });
  const eventsOnly = values["events-only"] === true;
  if (positionals.length !== 1) throw new UsageError("name one input file (JSONL), or - for standard input", "translate");
  const file = positionals[0]!;
  let exit: number = EXIT.ok;
  let lineNo = 0;
  for await (const line of openLines(file)) {
    const index = lineNo++;
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      writer.flush();
      io.err(`${file}:${index + 1}: not valid JSON: ${(err as Error).message}`);
      exit = EXIT.invalid;
      continue;
    }
    const problem = deliveryProblem(parsed);
    if (problem !== null) {
      if (!eventsOnly) writer.line(JSON.stringify({ index, skipped: problem }));
      continue;
    }
    const d = parsed as Record<string, unknown>;
    const result = translateWebhook({
      name: d.name as string,
      delivery: typeof d.delivery === "string" ? d.delivery : undefined,
      payload: d.payload,
      received: typeof d.received === "string" ? d.received : undefined,
    });
    if (eventsOnly) {
      // one standard event per line: ready for `simulate --events -`
      if ("events" in result) for (const e of result.events) writer.line(JSON.stringify(e));
    } else {
      writer.line(JSON.stringify("skipped" in result ? { index, skipped: result.skipped } : { index, events: result.events }));
    }
  }
  writer.flush();
  return exit;
}
