/**
 * docs/errors.md, generated from the registry (scripts/errors-doc.mjs writes it; test/errors/errors-doc.test.ts
 * fails when the committed page differs). One section per area, one heading per code, so each code has the
 * anchor messages link to (`docs/errors.md#hookline_secret_missing`).
 */
import { ERROR_AREAS, errorAnchor, type HooklineCode } from "./registry.js";
import type { CodeEntry } from "./codes/table.js";

const INTRO = `# Error codes

Every error hookline reports carries a stable \`HOOKLINE_*\` code: in \`hookline validate\` output and the
Action's annotations (\`file:line:col: CODE message\`), in the server's JSON answers
(\`{ "error": { "code", "message", "docs" } }\`), in failed action outcomes and in the logs. This page says, for
each code, what happened and how to fix it. It is generated from \`src/errors/registry.ts\` by
\`npm run docs:errors\`; do not edit it by hand.
`;

/** Markdown text of a table cell on one line: `|` escaped. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** GitHub's heading anchor: lower case, spaces to `-`, punctuation dropped. */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/\s/g, "-");
}

export function errorsMarkdown(): string {
  const out: string[] = [INTRO, "## Areas", ""];
  for (const area of ERROR_AREAS) out.push(`- [${area.title}](#${slug(area.title)}) (${Object.keys(area.codes).length})`);
  for (const area of ERROR_AREAS) {
    out.push("", `## ${area.title}`, "", "| Code | What happened | How to fix it |", "| --- | --- | --- |");
    for (const [code, entry] of Object.entries(area.codes) as [HooklineCode, CodeEntry][])
      out.push(`| <a id="${errorAnchor(code)}"></a>\`${code}\` | ${cell(entry.summary)} | ${cell(entry.fix)} |`);
  }
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}
