import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { automationsJsonSchema } from "../../src/automations/index.js";
import { configReferenceMarkdown } from "../../src/automations/reference-doc.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README configuration reference", () => {
  it("is exactly what the JSON Schema generates (run `npm run docs` after a schema change)", () => {
    const start = README.indexOf("<!-- config-reference:start -->\n");
    const end = README.indexOf("\n<!-- config-reference:end -->");
    expect(start).toBeGreaterThan(0);
    expect(README.slice(start + "<!-- config-reference:start -->\n".length, end)).toBe(
      configReferenceMarkdown(automationsJsonSchema() as Record<string, unknown>),
    );
  });

  it("documents every action type and notifier type of the schema", () => {
    const md = configReferenceMarkdown(automationsJsonSchema() as Record<string, unknown>);
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
