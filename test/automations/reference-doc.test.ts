/**
 * docs/configuration.md is generated from the schemas the loaders validate with (issue 13 item 5): each generated
 * block is exactly what its schema gives (`npm run docs`), and no field of any file goes undescribed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { slackPolicyJsonSchema } from "../../bots/slack/policy.js";
import { automationsJsonSchema } from "../../src/automations/index.js";
import { configReferenceMarkdown, listFileReferenceMarkdown } from "../../src/automations/reference-doc.js";
import { databaseJsonSchema } from "../../src/database/index.js";
import { webhooksJsonSchema } from "../../src/webhooks/index.js";

const PAGE = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
type Schema = Record<string, unknown>;
const BLOCKS: Record<string, () => string> = {
  automations: () => configReferenceMarkdown(automationsJsonSchema() as Schema),
  webhooks: () => listFileReferenceMarkdown(webhooksJsonSchema() as Schema),
  database: () => listFileReferenceMarkdown(databaseJsonSchema() as Schema),
  slack: () => listFileReferenceMarkdown(slackPolicyJsonSchema() as Schema),
};

function block(name: string): string {
  const start = `<!-- reference:${name}:start -->\n`;
  const a = PAGE.indexOf(start);
  const b = PAGE.indexOf(`\n<!-- reference:${name}:end -->`);
  expect(a, `docs/configuration.md has the ${name} markers`).toBeGreaterThan(0);
  return PAGE.slice(a + start.length, b);
}

describe("docs/configuration.md", () => {
  for (const [name, generate] of Object.entries(BLOCKS)) {
    it(`its ${name} reference is exactly what the schema generates (run \`npm run docs\` after a schema change)`, () => {
      expect(block(name)).toBe(generate());
    });

    it(`every field of ${name} has a description (filled in at the schema with .describe())`, () => {
      const rows = generate()
        .split("\n")
        .filter((l) => l.startsWith("| `"));
      expect(rows.length).toBeGreaterThan(3);
      const undescribed = rows.filter(
        (l) =>
          l
            .split(/(?<!\\)\|/)
            .at(-2)!
            .trim() === "",
      );
      expect(undescribed).toEqual([]);
    });
  }

  it("documents every action type and notifier type of the schema", () => {
    const md = configReferenceMarkdown(automationsJsonSchema() as Schema);
    for (const t of [
      "do-nothing",
      "run-workflow",
      "repository-dispatch",
      "cancel-workflow-run",
      "rerun-workflow-run",
      "enable-workflow",
      "disable-workflow",
      "pause-automation",
      "resume-automation",
      "send-notification",
      "call-webhook",
      "emit-event",
      "create-issue",
      "comment",
    ]) {
      expect(md).toContain(`#### Action \`${t}\``);
    }
    for (const n of ["slack", "teams", "email"]) expect(md).toContain(`#### Notifier \`type: ${n}\``);
  });
});
