/**
 * The JSON Schema (draft 2020-12) of automations.yaml, generated from the raw zod schema, for editors:
 * `# yaml-language-server: $schema=./schema/automations.schema.json`. Committed as schema/automations.schema.json.
 */
import { z } from "zod";
import { AutomationsFile } from "./raw-schema.js";

export function automationsJsonSchema(): object {
  return z.toJSONSchema(AutomationsFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

/** the committed file's exact text: pretty, with a trailing newline */
export function automationsJsonSchemaText(): string {
  return `${JSON.stringify(automationsJsonSchema(), null, 2)}\n`;
}
