// Regenerates the generated parts of docs/configuration.md from the JSON Schemas (run `npm run docs` after a
// schema change; test/automations/reference-doc.test.ts fails while the page is stale).
import { readFileSync, writeFileSync } from "node:fs";
import { automationsJsonSchema } from "../build/src/automations/index.js";
import { configReferenceMarkdown, listFileReferenceMarkdown } from "../build/src/automations/reference-doc.js";
import { databaseJsonSchema } from "../build/src/database/index.js";
import { webhooksJsonSchema } from "../build/src/webhooks/index.js";
import { slackPolicyJsonSchema } from "../build/bots/slack/policy.js";

const blocks = {
  automations: configReferenceMarkdown(automationsJsonSchema()),
  webhooks: listFileReferenceMarkdown(webhooksJsonSchema()),
  database: listFileReferenceMarkdown(databaseJsonSchema()),
  slack: listFileReferenceMarkdown(slackPolicyJsonSchema()),
};
const page = new URL("../docs/configuration.md", import.meta.url);
const before = readFileSync(page, "utf8");
let text = before;
for (const [name, markdown] of Object.entries(blocks)) {
  const start = `<!-- reference:${name}:start -->`;
  const end = `<!-- reference:${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/configuration.md needs the markers ${start} and ${end}`);
  text = `${text.slice(0, a + start.length)}\n${markdown}\n${text.slice(b)}`;
}
writeFileSync(page, text);
console.log(text === before ? "docs/configuration.md is up to date" : "docs/configuration.md regenerated");
