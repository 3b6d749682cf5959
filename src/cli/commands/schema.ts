import { z } from "zod";
import { automationsJsonSchema, automationsJsonSchemaText } from "../../automations/index.js";
import { configReferenceMarkdown } from "../../automations/reference-doc.js";
import { databaseJsonSchemaText } from "../../database/index.js";
import { eventSchema } from "../../events/event-schema.js";
import { parseFlags } from "../args.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "./validate.js";

export function schemaCommand(argv: string[], io: CliIO): number {
  const { values, positionals } = parseFlags("schema", argv, {
    event: { type: "boolean" },
    reference: { type: "boolean" },
    database: { type: "boolean" },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, "schema");
  if (values.reference) {
    io.out(configReferenceMarkdown(automationsJsonSchema() as Record<string, unknown>));
  } else if (values.database) {
    io.out(databaseJsonSchemaText().replace(/\n$/, ""));
  } else if (values.event) {
    io.out(JSON.stringify(z.toJSONSchema(eventSchema, { io: "input", unrepresentable: "any" }), null, 2));
  } else {
    io.out(automationsJsonSchemaText().replace(/\n$/, ""));
  }
  return EXIT.ok;
}
